"""ipv6_addressing: a subnet's IPv6 block reads back `associated`, a VPC with an IPv6 block has
default ACL rules for IPv6, and a subnet that assigns IPv6 addresses on creation gives a new
instance one. moto renders the state as text, adds IPv4 rules only and assigns nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.adapters.emulator.support import Pair, client, pair


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("ipv6_addressing")


def _dual_stack(ec2: Any) -> tuple[str, str]:
    vpc = ec2.create_vpc(CidrBlock="10.86.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]
    block = vpc["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"].replace("/56", "/64")
    subnet = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.86.1.0/24", Ipv6CidrBlock=block)
    subnet_id = subnet["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=subnet_id, AssignIpv6AddressOnCreation={"Value": True})
    return vpc["VpcId"], subnet_id


@pytest.mark.parametrize("side", ["on", "off"])
def test_a_dual_stack_subnet_reads_as_aws_answers(emulators: Pair, side: str) -> None:
    ec2 = client(getattr(emulators, side), "ec2")
    vpc, subnet = _dual_stack(ec2)
    read = ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0]
    state = read["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlockState"]["State"]
    acl = ec2.describe_network_acls(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "default", "Values": ["true"]}]
    )["NetworkAcls"][0]
    ipv6_rules = {
        (e["RuleNumber"], e["Egress"], e["RuleAction"])
        for e in acl["Entries"]
        if e.get("Ipv6CidrBlock") == "::/0"
    }
    image = ec2.describe_images()["Images"][0]["ImageId"]
    launched = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet)
    interface = launched["Instances"][0]["NetworkInterfaces"][0]
    if side == "on":
        assert state == "associated"
        assert ipv6_rules == {
            (101, False, "allow"),
            (101, True, "allow"),
            (32768, False, "deny"),
            (32768, True, "deny"),
        }
        assert len(interface["Ipv6Addresses"]) == 1
    else:
        assert state != "associated"
        assert ipv6_rules == set()
        assert interface["Ipv6Addresses"] == []


def test_an_explicit_count_of_zero_assigns_no_address(emulators: Pair) -> None:
    ec2 = client(emulators.on, "ec2")
    _, subnet = _dual_stack(ec2)
    image = ec2.describe_images()["Images"][0]["ImageId"]
    launched = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet, Ipv6AddressCount=0
    )
    assert launched["Instances"][0]["NetworkInterfaces"][0]["Ipv6Addresses"] == []
