"""The CIDR planner: subnets never overlap, stay in the VPC, and never move."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awsarch.blueprint.cidr import VpcTooSmall, plan_subnets

vpc_prefixes = st.integers(min_value=16, max_value=24)
tier_counts = st.integers(min_value=1, max_value=6)
az_counts = st.integers(min_value=1, max_value=6)


@given(vpc_prefixes, tier_counts, az_counts, st.integers(min_value=0, max_value=4))
def test_planned_subnets_never_overlap_and_lie_inside(
    prefix: int, tiers: int, azs: int, extra_bits: int
) -> None:
    """For any AZ count and tier set that fits, subnets are disjoint and inside the VPC."""
    vpc = ipaddress.IPv4Network(f"10.0.0.0/{prefix}")
    subnet_prefix = min(prefix + 4 + extra_bits, 28)
    try:
        planned = plan_subnets(str(vpc), [f"t{i}" for i in range(tiers)], azs, subnet_prefix)
    except VpcTooSmall:
        return
    networks = [ipaddress.IPv4Network(p.cidr) for p in planned]
    assert len(networks) == tiers * azs
    for i, network in enumerate(networks):
        assert network.subnet_of(vpc)
        assert not any(network.overlaps(other) for other in networks[:i])


@given(tier_counts, st.integers(min_value=1, max_value=5))
def test_adding_an_az_or_a_tier_never_moves_a_subnet(tiers: int, azs: int) -> None:
    """Existing subnets keep their CIDR when an AZ or a tier is added."""
    names = [f"t{i}" for i in range(tiers)]
    before = {(p.tier, p.az_index): p.cidr for p in plan_subnets("10.0.0.0/16", names, azs)}
    more_azs = plan_subnets("10.0.0.0/16", names, azs + 1)
    more_tiers = plan_subnets("10.0.0.0/16", [*names, "new"], azs)
    for after in (more_azs, more_tiers):
        moved = {(p.tier, p.az_index): p.cidr for p in after}
        assert all(moved[key] == cidr for key, cidr in before.items())


def test_too_small_vpc_is_refused() -> None:
    """A VPC that cannot hold every (tier, AZ) slot raises VpcTooSmall with the counts."""
    with pytest.raises(VpcTooSmall) as caught:
        plan_subnets("10.0.0.0/24", ["a", "b", "c"], 2, 28)
    assert (caught.value.needed_slots, caught.value.available_slots) == (18, 16)
