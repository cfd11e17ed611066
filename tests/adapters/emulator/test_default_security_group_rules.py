"""default_security_group_rules: a VPC's default security group has AWS's default rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.adapters.emulator.support import Pair, client, pair


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("default_security_group_rules")


def _default_group(ec2: Any, vpc: str) -> dict[str, Any]:
    filters = [{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
    groups: list[dict[str, Any]] = ec2.describe_security_groups(Filters=filters)["SecurityGroups"]
    return groups[0]


def test_a_new_vpcs_default_group_admits_all_traffic_from_itself(emulators: Pair) -> None:
    """A new VPC's default group lets its members talk to each other and go out, as on AWS."""
    ec2 = client(emulators.on, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.81.0.0/16")["Vpc"]["VpcId"]
    group = _default_group(ec2, vpc)
    [inbound] = group["IpPermissions"]
    assert inbound["IpProtocol"] == "-1"
    assert [p["GroupId"] for p in inbound["UserIdGroupPairs"]] == [group["GroupId"]]
    [outbound] = group["IpPermissionsEgress"]
    assert outbound["IpProtocol"] == "-1"
    assert outbound["IpRanges"] == [{"CidrIp": "0.0.0.0/0"}]


def test_a_revoked_default_rule_stays_revoked(emulators: Pair) -> None:
    """Revoking the default inbound rule (a hardening step) is not undone by the emulator."""
    ec2 = client(emulators.on, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.82.0.0/16")["Vpc"]["VpcId"]
    group = _default_group(ec2, vpc)
    permissions = group["IpPermissions"]
    ec2.revoke_security_group_ingress(GroupId=group["GroupId"], IpPermissions=permissions)
    assert _default_group(ec2, vpc)["IpPermissions"] == []


def test_without_it_moto_gives_the_default_group_no_inbound_rule(emulators: Pair) -> None:
    """Switched off, the emulator is moto: the default group admits nothing."""
    ec2 = client(emulators.off, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.83.0.0/16")["Vpc"]["VpcId"]
    assert _default_group(ec2, vpc)["IpPermissions"] == []
