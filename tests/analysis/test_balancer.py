"""Proofs through an Application Load Balancer: its nodes as endpoints, listeners as the hop a
connection ends at, and `via` intents that follow the new connection to the targets."""

from __future__ import annotations

import dataclasses

import pytest

from awsarch.analysis import (
    IntentError,
    UnknownEndpointError,
    matrix,
    parse_intent,
    prove,
    resolve,
    to_json,
)
from awsarch.analysis.verdict import format_text
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import three_tier_text
from awsarch.model import Architecture, Peer, PortRange, SecurityGroupRule

ARCH = expand(load_text(three_tier_text(), file="three.yaml").blueprint)
HTTPS, REDIRECT = ARCH.get("lb/front").listeners


def changed(resource_id: str, **changes: object) -> Architecture:
    """The three tiers with one resource's fields replaced."""
    for name in ("load_balancers", "target_groups", "security_groups", "instances"):
        items = getattr(ARCH, name)
        if any(i.id == resource_id for i in items):
            new = tuple(
                dataclasses.replace(i, **changes) if i.id == resource_id else i for i in items
            )
            return dataclasses.replace(ARCH, **{name: new})  # type: ignore[arg-type]
    raise KeyError(resource_id)


def holds(arch: Architecture, text: str) -> bool:
    return prove(arch, parse_intent(text)).holds


@pytest.mark.parametrize("name", ["front", "lb/front", "shop-front"])
def test_a_load_balancer_is_its_interfaces_one_per_subnet(name: str) -> None:
    """`front` (or its id, or its AWS name) stands for one public interface per public subnet,
    each with the load balancer's group."""
    endpoint = resolve(ARCH, name)
    assert endpoint.kind == "load-balancer"
    assert [p.subnet_id for p in endpoint.placements] == ["subnet/public-a", "subnet/public-b"]
    assert all(p.public and p.group_ids == ("sg/lb-front",) for p in endpoint.placements)


def test_the_load_balancers_group_stands_for_its_interfaces() -> None:
    """`sg/lb-front` is the load balancer's interfaces: they carry the group."""
    endpoint = resolve(ARCH, "sg/lb-front")
    assert [p.members for p in endpoint.placements] == [("lb/front",), ("lb/front",)]
    assert prove(ARCH, parse_intent("sg/lb-front -> app:8080")).holds


def test_a_discovered_load_balancer_answers_to_its_logical_name() -> None:
    """On a live model the ARN is the id; the `awsarch:name` tag gives back `front`."""
    arn = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/shop-front/1"
    lb = dataclasses.replace(ARCH.get("lb/front"), id=arn)
    live = dataclasses.replace(ARCH, load_balancers=(lb,), logical_ids=((arn, "lb/front"),))
    for name in ("front", "shop-front", arn):
        assert resolve(live, name).placements[0].members == (arn,)


def test_the_internet_reaches_the_https_listener_in_every_zone() -> None:
    """`internet -> front:443` ends at the HTTPS listener, named in the path."""
    result = prove(ARCH, parse_intent("internet -> front:443"))
    assert result.holds and len(result.verdict.paths) == 2
    listener = result.verdict.paths[0].hops[-2]
    assert listener.kind == "listener"
    assert listener.reason == "listener front:443 (HTTPS) → target group shop-front:8080"


def test_a_port_with_no_listener_is_denied_at_the_listener() -> None:
    """Even with the group open on every port, a port no listener takes is refused, and the
    hop says which listeners there are."""
    everything = SecurityGroupRule(
        protocol="tcp", ports=PortRange.every(), peer=Peer.cidr("0.0.0.0/0")
    )
    arch = changed("sg/lb-front", ingress=(everything,))
    result = prove(arch, parse_intent("internet -> front:8443"))
    assert not result.holds and result.counterexample is not None
    hop = result.counterexample.blocked_by
    assert hop is not None and (hop.resource, hop.kind) == ("lb/front", "listener")
    assert "no listener of front takes tcp/8443" in hop.reason and "443 (HTTPS)" in hop.reason


def test_through_the_load_balancer_the_internet_reaches_the_app_servers() -> None:
    """Every (zone of the load balancer, app server) pair is proved, naming listener and
    target group; the JSON says what it went through."""
    result = prove(ARCH, parse_intent("internet -> app:8080 via front"))
    assert result.holds
    verdict = result.verdict
    assert len(verdict.paths) == 4 and verdict.via == "front"
    path = verdict.paths[0]
    assert path.placement == (
        "internet -> lb/front (subnet/public-a) -> instance/app-1 (subnet/app-a)"
    )
    kinds = [h.kind for h in path.hops]
    assert kinds.index("listener") < kinds.index("target-group")
    assert kinds[-3:] == ["security-group-ingress", "network-acl-return", "network-acl-return"]
    document = to_json(verdict)
    assert (document["destination"], document["via"]) == ("app", "front")
    assert format_text(verdict).startswith("internet -> app via front (tcp/8080): reachable")


def test_a_redirect_only_listener_forwards_nothing() -> None:
    """With HTTP that only redirects, nothing reaches the app through the load balancer."""
    arch = changed("lb/front", listeners=(REDIRECT,))
    result = prove(arch, parse_intent("internet -> app:8080 via front"))
    assert not result.holds and result.counterexample is not None
    hop = result.counterexample.blocked_by
    assert hop is not None and hop.kind == "listener"
    assert "redirects to HTTPS on 443: it forwards nothing" in hop.reason


def test_the_health_check_port_must_get_through_too() -> None:
    """A health check on a port the groups do not open fails the claim at that port."""
    arch = changed("tg/front", health_check_port=8081)
    result = prove(arch, parse_intent("internet -> app:8080 via front"))
    assert not result.holds and result.counterexample is not None
    hop = result.counterexample.blocked_by
    assert hop is not None and hop.resource == "sg/lb-front" and "tcp/8081" in hop.reason


def test_a_port_the_target_group_does_not_send_is_refused() -> None:
    """`app:9090 via front` fails at the target group, which sends 8080."""
    result = prove(ARCH, parse_intent("internet -> app:9090 via front"))
    assert not result.holds and result.counterexample is not None
    hop = result.counterexample.blocked_by
    assert hop is not None and hop.kind == "target-group" and "not tcp/9090" in hop.reason


def test_an_app_server_the_target_group_does_not_send_to_fails_the_claim() -> None:
    """An app server outside the Auto Scaling group is not a target: the claim names it."""
    extra = dataclasses.replace(ARCH.get("instance/app-1"), id="instance/app-9", scaling_group="")
    arch = dataclasses.replace(ARCH, instances=(*ARCH.instances, extra))
    result = prove(arch, parse_intent("internet -> app:8080 via front"))
    assert not result.holds and result.counterexample is not None
    hop = result.counterexample.blocked_by
    assert hop is not None and "instance/app-9 is not among its targets" in hop.reason


def test_the_app_servers_are_not_reachable_directly() -> None:
    """`internet -/-> app` stays a direct proof: the app servers have no public address."""
    assert holds(ARCH, "internet -/-> app")
    assert not holds(ARCH, "internet -> app:8080")


def test_an_unknown_load_balancer_after_via_names_the_known_ones() -> None:
    """A misspelt load balancer is an input error that lists the ones there are."""
    with pytest.raises(UnknownEndpointError, match=r"unknown load balancer 'back'.*front"):
        prove(ARCH, parse_intent("internet -> app:8080 via back"))


def test_via_is_parsed_after_the_destination() -> None:
    """`via NAME` follows the destination and its port; a missing name is pointed at."""
    intent = parse_intent("internet -> app:8080 via front")
    assert (intent.destination, intent.via) == ("app", "front")
    assert intent.services is not None and intent.services.to_text() == ["tcp/8080"]
    assert parse_intent("internet -> web:443").via == ""
    with pytest.raises(IntentError, match="missing load balancer after 'via'"):
        parse_intent("internet -> app:8080 via ")


def test_direct_verdicts_say_nothing_of_via() -> None:
    """The JSON of a direct verdict keeps its keys: no `via`."""
    assert "via" not in to_json(prove(ARCH, parse_intent("app -> main:3306")).verdict)


def test_the_matrix_has_the_load_balancer_as_a_row_and_a_column() -> None:
    """The load balancer takes its listener ports from the internet and sends 8080 to app."""
    m = matrix(ARCH)
    assert "front" in m.names
    into = m.cell("internet", "front")
    out = m.cell("front", "app")
    assert into is not None and into.reachable.to_text() == ["tcp/80,443"]
    assert out is not None and out.reachable.to_text() == ["tcp/8080"]
    empty = m.cell("front", "internet")
    assert empty is not None and empty.verdict == "unreachable"
