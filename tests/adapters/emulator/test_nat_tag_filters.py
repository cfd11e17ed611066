"""nat_tag_filters: DescribeNatGateways answers only the NAT gateways whose tags match."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.adapters.emulator.support import Pair, client, pair, unique


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("nat_tag_filters")


@pytest.fixture(scope="module")
def stack(emulators: Pair) -> tuple[str, dict[str, str]]:
    """Three NAT gateways of one stack (one per zone) and one of another: (stack, nat per name)."""
    ec2 = client(emulators.on, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.71.0.0/16")["Vpc"]["VpcId"]
    name, nats = unique("stack"), {}
    for i, tag in enumerate(["a", "b", "c", "other"]):
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.71.{i}.0/24")["Subnet"]["SubnetId"]
        allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        owner = name if tag != "other" else unique("other")
        tags = [{"Key": "awsarch:stack", "Value": owner}, {"Key": "awsarch:name", "Value": tag}]
        nat = ec2.create_nat_gateway(
            SubnetId=subnet,
            AllocationId=allocation,
            TagSpecifications=[{"ResourceType": "natgateway", "Tags": tags}],
        )["NatGateway"]
        nats[tag] = nat["NatGatewayId"]
    return name, nats


def _ids(ec2: Any, filters: list[dict[str, Any]]) -> set[str]:
    return {n["NatGatewayId"] for n in ec2.describe_nat_gateways(Filters=filters)["NatGateways"]}


def test_a_tag_filter_finds_only_the_nat_gateways_with_that_tag(
    emulators: Pair, stack: tuple[str, dict[str, str]]
) -> None:
    """Finding a stack's NAT gateway by its tags returns that one, not every NAT of the region."""
    name, nats = stack
    ec2 = client(emulators.on, "ec2")
    by_stack = [{"Name": "tag:awsarch:stack", "Values": [name]}]
    assert _ids(ec2, by_stack) == {nats["a"], nats["b"], nats["c"]}
    by_name = [*by_stack, {"Name": "tag:awsarch:name", "Values": ["b", "c"]}]
    assert _ids(ec2, by_name) == {nats["b"], nats["c"]}


def test_a_tag_key_filter_needs_the_key(emulators: Pair, stack: tuple[str, dict[str, str]]) -> None:
    """`tag-key` keeps the NAT gateways that carry the key, whatever its value."""
    _, nats = stack
    found = _ids(client(emulators.on, "ec2"), [{"Name": "tag-key", "Values": ["awsarch:name"]}])
    assert set(nats.values()) <= found
    assert not _ids(client(emulators.on, "ec2"), [{"Name": "tag-key", "Values": ["no-such-key"]}])


def test_without_it_moto_ignores_tag_filters(
    emulators: Pair, stack: tuple[str, dict[str, str]]
) -> None:
    """Switched off, the emulator is moto: a tag filter returns every NAT gateway."""
    name, nats = stack
    found = _ids(client(emulators.off, "ec2"), [{"Name": "tag:awsarch:stack", "Values": [name]}])
    assert nats["other"] in found
