"""Network rules: one planted violation and one near miss per rule, from the seed."""

from __future__ import annotations

import pytest

from awsarch.model import Route, Subnet, Vpc

from .support import Compliant, Violation, add, assert_compliant, assert_violation, both, swap

PUBLIC = ("network", "tiers", "public")
PRIVATE = ("network", "tiers", "private")
ALL_SUBNETS = ("subnet/public-a", "subnet/public-b", "subnet/private-a", "subnet/private-b")
LOCAL = Route(destination="10.0.0.0/16", target="local")

VIOLATIONS = [
    Violation(
        name="outside-vpc",
        rule_id="NET001",
        plant=swap("subnet/public-a", cidr="10.1.0.0/24"),
        resource_id="subnet/public-a",
        path=(*PUBLIC, "cidrs"),
    ),
    Violation(
        name="unknown-vpc",
        rule_id="NET001",
        plant=swap("subnet/private-b", vpc_id="vpc/gone"),
        resource_id="subnet/private-b",
        path=PRIVATE,
    ),
    Violation(
        name="overlap",
        rule_id="NET002",
        plant=swap("subnet/public-b", cidr="10.0.0.128/25"),
        resource_id="subnet/public-b",
        path=(*PUBLIC, "cidrs"),
    ),
    Violation(
        name="tier-in-one-az",
        rule_id="NET003",
        plant=swap("subnet/private-b", az="ap-northeast-2a"),
        resource_id="vpc/main",
        path=PRIVATE,
    ),
    Violation(
        name="untiered-vpc-in-one-az",
        rule_id="NET003",
        plant=both(*(swap(s, tier="", az="ap-northeast-2c") for s in ALL_SUBNETS)),
        resource_id="vpc/main",
        path=PUBLIC,
    ),
    Violation(
        name="nat-in-private-subnet",
        rule_id="NET004",
        plant=swap("nat/a", subnet_id="subnet/private-a"),
        resource_id="nat/a",
        path=("network", "nat"),
    ),
    Violation(
        name="nat-behind-detached-igw",
        rule_id="NET004",
        plant=swap("igw/main", vpc_id=""),
        resource_id="nat/a",
        path=("network", "nat"),
    ),
    Violation(
        name="nat-without-eip",
        rule_id="NET005",
        plant=swap("nat/a", has_public_ip=False, elastic_ip_id=""),
        resource_id="nat/a",
        path=("network", "nat"),
    ),
    Violation(
        name="private-default-to-igw",
        rule_id="NET006",
        plant=swap(
            "rtb/private",
            routes=(
                LOCAL,
                Route(destination="0.0.0.0/0", target="internet-gateway", target_id="igw/main"),
            ),
        ),
        resource_id="subnet/private-b",
        path=PRIVATE,
    ),
    Violation(
        name="private-default-to-missing-nat",
        rule_id="NET006",
        plant=swap(
            "rtb/private",
            routes=(LOCAL, Route(destination="0.0.0.0/0", target="nat-gateway", target_id="nat/z")),
        ),
        resource_id="subnet/private-a",
        path=PRIVATE,
    ),
    Violation(
        name="private-on-main-table",
        rule_id="NET006",
        plant=swap("rtb/private", subnet_ids=()),
        resource_id="subnet/private-a",
        path=PRIVATE,
    ),
    Violation(
        name="public-igw-detached",
        rule_id="NET007",
        plant=swap("igw/main", vpc_id=""),
        resource_id="subnet/public-a",
        path=PUBLIC,
    ),
    Violation(
        name="public-default-to-nat",
        rule_id="NET007",
        plant=swap(
            "rtb/public",
            routes=(LOCAL, Route(destination="0.0.0.0/0", target="nat-gateway", target_id="nat/a")),
        ),
        resource_id="subnet/public-b",
        path=PUBLIC,
    ),
]

COMPLIANT = [
    Compliant(
        name="subnet-fills-a-small-vpc",
        rule_id="NET001",
        plant=swap("vpc/main", cidr="10.0.0.0/20"),
    ),
    Compliant(
        name="same-block-in-another-vpc",
        rule_id="NET002",
        plant=both(
            add("vpcs", Vpc(id="vpc/other", name="other", cidr="10.0.0.0/16")),
            add(
                "subnets",
                Subnet(
                    id="subnet/other",
                    name="other",
                    vpc_id="vpc/other",
                    cidr="10.0.0.0/24",
                    az="ap-northeast-2a",
                ),
            ),
        ),
    ),
    Compliant(
        name="adjacent-blocks",
        rule_id="NET002",
        plant=swap("subnet/public-b", cidr="10.0.2.0/23"),
    ),
    Compliant(
        name="untiered-subnets-over-two-azs",
        rule_id="NET003",
        plant=both(*(swap(s, tier="") for s in ALL_SUBNETS)),
    ),
    Compliant(
        name="nat-in-other-public-subnet",
        rule_id="NET004",
        plant=swap("nat/a", subnet_id="subnet/public-b"),
    ),
    Compliant(
        name="isolated-subnet-without-default-route",
        rule_id="NET006",
        plant=both(
            swap("subnet/private-a", kind="isolated"),
            swap("subnet/private-b", kind="isolated"),
            swap("rtb/private", routes=(LOCAL,)),
        ),
    ),
    Compliant(
        name="untyped-subnet-on-main-table",
        rule_id="NET007",
        plant=both(
            swap("subnet/public-a", kind=""), swap("rtb/public", subnet_ids=("subnet/public-b",))
        ),
    ),
]


@pytest.mark.parametrize("case", VIOLATIONS, ids=str)
def test_violation_is_found_at_its_blueprint_key(case: Violation) -> None:
    """A broken network is reported on the right resource, pointing at the key to change."""
    assert_violation(case)


@pytest.mark.parametrize("case", COMPLIANT, ids=str)
def test_near_miss_is_not_reported(case: Compliant) -> None:
    """A network that bends but keeps the rule raises no finding."""
    assert_compliant(case)
