"""Load balancer rules: one planted violation and one near miss per rule, from the three tiers."""

from __future__ import annotations

import dataclasses

import pytest

from awsarch.model import Architecture, Listener, Peer, PortRange, SecurityGroupRule
from awsarch.rules.registry import run_rules

from .support import (
    Compliant,
    Violation,
    assert_compliant,
    assert_violation,
    swap,
    three_tier_arch,
)

LB = ("load_balancers", "front")
ARCH = three_tier_arch()
APP_IN = ARCH.security_group("sg/app").ingress
DB_IN = ARCH.security_group("sg/db-main").ingress
HTTPS, REDIRECT = ARCH.get("lb/front").listeners


def tcp_from(port: int, peer: Peer) -> SecurityGroupRule:
    return SecurityGroupRule(protocol="tcp", ports=PortRange.single(port), peer=peer)


def public_app(arch: Architecture) -> Architecture:
    """App servers in the public subnets, with public IPs."""
    moved = {"subnet/app-a": "subnet/public-a", "subnet/app-b": "subnet/public-b"}
    instances = tuple(
        dataclasses.replace(i, subnet_id=moved[i.subnet_id], has_public_ip=True)
        if i.group == "app"
        else i
        for i in arch.instances
    )
    return dataclasses.replace(arch, instances=instances)


VIOLATIONS = [
    Violation(
        name="one-zone",
        rule_id="NET008",
        plant=swap("lb/front", subnet_ids=("subnet/public-a",)),
        resource_id="lb/front",
        path=(*LB, "tier"),
        base=three_tier_arch,
    ),
    Violation(
        name="internet-facing-in-private-subnets",
        rule_id="NET009",
        plant=swap("lb/front", subnet_ids=("subnet/app-a", "subnet/app-b")),
        resource_id="lb/front",
        path=(*LB, "tier"),
        base=three_tier_arch,
    ),
    Violation(
        name="internal-in-public-subnets",
        rule_id="NET009",
        plant=swap("lb/front", scheme="internal"),
        resource_id="lb/front",
        path=(*LB, "tier"),
        base=three_tier_arch,
    ),
    Violation(
        name="no-deletion-protection",
        rule_id="NET010",
        plant=swap("lb/front", deletion_protection=False),
        resource_id="lb/front",
        path=(*LB, "deletion_protection"),
        base=three_tier_arch,
    ),
    Violation(
        name="plain-http",
        rule_id="SEC007",
        plant=swap(
            "lb/front", listeners=(Listener(port=80, protocol="HTTP", target_group_id="tg/front"),)
        ),
        resource_id="lb/front",
        path=(*LB, "listeners", 0),
        base=three_tier_arch,
    ),
    Violation(
        name="public-targets",
        rule_id="SEC008",
        plant=public_app,
        resource_id="instance/app-1",
        path=("servers", "app", "tier"),
        base=three_tier_arch,
    ),
    Violation(
        name="target-port-from-the-internet",
        rule_id="SEC009",
        plant=swap("sg/app", ingress=(*APP_IN, tcp_from(8080, Peer.cidr("0.0.0.0/0")))),
        resource_id="sg/app",
        path=("servers", "app", "public_ports"),
        base=three_tier_arch,
    ),
    Violation(
        name="target-port-from-another-group",
        rule_id="SEC009",
        plant=swap("sg/app", ingress=(*APP_IN, tcp_from(8080, Peer.group("sg/db-main")))),
        resource_id="sg/app",
        path=("servers", "app", "public_ports"),
        base=three_tier_arch,
    ),
    Violation(
        name="database-admits-the-load-balancer",
        rule_id="DATA010",
        plant=swap("sg/db-main", ingress=(*DB_IN, tcp_from(3306, Peer.group("sg/lb-front")))),
        resource_id="db/main",
        path=("databases", "main", "allow_from"),
        base=three_tier_arch,
    ),
]

COMPLIANT = [
    Compliant(
        name="three-zones",
        rule_id="NET008",
        plant=swap("lb/front", subnet_ids=("subnet/public-a", "subnet/public-b")),
        base=three_tier_arch,
    ),
    Compliant(
        name="https-only",
        rule_id="SEC007",
        plant=swap("lb/front", listeners=(HTTPS,)),
        base=three_tier_arch,
    ),
    Compliant(
        name="redirect-only-http",
        rule_id="SEC007",
        plant=swap("lb/front", listeners=(REDIRECT, HTTPS)),
        base=three_tier_arch,
    ),
    Compliant(
        name="other-port-from-anywhere",
        rule_id="SEC009",
        plant=swap("sg/app", ingress=(*APP_IN, tcp_from(9100, Peer.cidr("10.0.0.0/16")))),
        base=three_tier_arch,
    ),
    Compliant(
        name="database-admits-app",
        rule_id="DATA010",
        plant=swap("sg/db-main", ingress=(*DB_IN, tcp_from(3306, Peer.group("sg/app")))),
        base=three_tier_arch,
    ),
]


@pytest.mark.parametrize("case", VIOLATIONS, ids=str)
def test_violation_is_found(case: Violation) -> None:
    """Each planted fault in the three tiers gives its rule's finding, at the blueprint line."""
    assert_violation(case)


@pytest.mark.parametrize("case", COMPLIANT, ids=str)
def test_near_miss_is_accepted(case: Compliant) -> None:
    """A change that stays within the rule gives no finding."""
    assert_compliant(case)


def test_the_three_tier_blueprint_passes_every_rule() -> None:
    """The three tiers awsarch proposes pass all of its own rules."""
    assert run_rules(three_tier_arch()) == []


def test_only_the_load_balancers_group_admitted_passes_the_target_rule() -> None:
    """The app group admitting 8080 from the load balancer's group alone is what SEC009 asks."""
    peers = [r.peer for r in ARCH.security_group("sg/app").ingress if r.ports.first == 8080]
    assert peers == [Peer.group("sg/lb-front")]
