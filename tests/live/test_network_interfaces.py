"""Instances with a second network interface, built through the plain EC2 API in the emulator,
read back by discovery and proved by `reach`: each interface answers with its own subnet, its
subnet's ACL and its own groups, and the path names the interface."""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest

from awsarch.adapters.emulator import Emulator
from tests.adapters.aws import estate as estate_module
from tests.adapters.aws.estate import VPC_CIDR, Estate
from tests.live.support import reach_json

REGION = "eu-north-1"


def _admin_subnet(ec2: Any, built: Estate) -> str:
    """A subnet in web-1's zone (an interface must share its instance's zone) whose own ACL
    admits ssh from the VPC and lets the replies out."""
    subnet = ec2.create_subnet(
        VpcId=built["vpc/main"], CidrBlock="10.0.4.0/24", AvailabilityZone=f"{REGION}a"
    )["Subnet"]["SubnetId"]
    acl = ec2.create_network_acl(VpcId=built["vpc/main"])["NetworkAcl"]["NetworkAclId"]
    for egress, ports in ((False, (22, 22)), (True, (1024, 65535))):
        ec2.create_network_acl_entry(
            NetworkAclId=acl,
            RuleNumber=100,
            Protocol="6",
            RuleAction="allow",
            Egress=egress,
            CidrBlock=VPC_CIDR,
            PortRange={"From": ports[0], "To": ports[1]},
        )
    current = ec2.describe_network_acls(
        Filters=[{"Name": "association.subnet-id", "Values": [subnet]}]
    )["NetworkAcls"][0]
    association = next(a for a in current["Associations"] if a["SubnetId"] == subnet)
    ec2.replace_network_acl_association(
        AssociationId=association["NetworkAclAssociationId"], NetworkAclId=acl
    )
    return str(subnet)


def _attach(ec2: Any, instance: str, subnet: str, group: str) -> str:
    nic = ec2.create_network_interface(SubnetId=subnet, Groups=[group])["NetworkInterface"]
    ec2.attach_network_interface(
        NetworkInterfaceId=nic["NetworkInterfaceId"], InstanceId=instance, DeviceIndex=1
    )
    return str(nic["NetworkInterfaceId"])


@pytest.fixture(scope="module")
def wired(emulator: Emulator) -> Estate:
    """web-1 gets an interface in a subnet of its zone whose ACL admits ssh; web-2 one in
    private-b, whose ACL denies ssh first. Both carry only group `admin` (ssh from the VPC);
    the web group admits ssh from the office prefix list only."""
    built = estate_module.build(emulator.endpoint_url, REGION, suffix=f"-{uuid.uuid4().hex[:6]}")
    ec2 = boto3.client("ec2", endpoint_url=emulator.endpoint_url, region_name=REGION)
    admin = ec2.create_security_group(
        GroupName="admin", Description="ssh from the VPC", VpcId=built["vpc/main"]
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=admin,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": VPC_CIDR}]}
        ],
    )
    built.ids["sg/admin"] = admin
    subnet = _admin_subnet(ec2, built)
    built.ids["eni/web-1"] = _attach(ec2, built["instance/web-1"], subnet, admin)
    built.ids["eni/web-2"] = _attach(ec2, built["instance/web-2"], built["subnet/private-b"], admin)
    return built


def _passing(answer: dict[str, Any]) -> set[str]:
    return {p["placement"].split(" -> ")[1] for p in answer["paths"] if p["verdict"] == "reachable"}


def test_ssh_reaches_web_1_through_its_second_interface_only(
    emulator: Emulator, wired: Estate
) -> None:
    """The second interface's subnet ACL and group admit ssh; the primary's group does not."""
    answer = reach_json(emulator, REGION, "public", wired["instance/web-1"], 22)
    assert answer["verdict"] == "reachable", json.dumps(answer["paths"], indent=1)
    named = f"{wired['instance/web-1']} ({wired['eni/web-1']})"
    assert _passing(answer) and all(p.startswith(named) for p in _passing(answer))
    blocked = {b["placement"].split(" -> ")[1]: b["kind"] for b in answer["blocked_by"]}
    primary = f"{wired['instance/web-1']} ({wired['subnet/public-a']})"
    assert blocked == {primary: "security-group-ingress"}


def test_the_primary_interface_keeps_its_own_groups(emulator: Emulator, wired: Estate) -> None:
    """443 reaches web-1 through its primary interface (the web group), not through the second
    one (the admin group admits ssh only)."""
    answer = reach_json(emulator, REGION, "public", wired["instance/web-1"], 443)
    assert answer["verdict"] == "reachable"
    assert _passing(answer) == {f"{wired['instance/web-1']} ({wired['subnet/public-a']})"}


def test_the_second_interface_s_acl_blocks_what_merged_groups_let_through(
    emulator: Emulator, wired: Estate
) -> None:
    """web-2's admin group sits on its interface in private-b, whose ACL denies ssh: no ssh to
    web-2 (read as one interface with both groups, it was reachable in public-b)."""
    answer = reach_json(emulator, REGION, "public", wired["instance/web-2"], 22)
    assert answer["verdict"] == "unreachable"
    kinds = {b["kind"] for b in answer["blocked_by"]}
    assert kinds == {"security-group-ingress", "network-acl-inbound"}


def test_a_group_endpoint_covers_only_the_interfaces_in_it(
    emulator: Emulator, wired: Estate
) -> None:
    """`sg-admin` stands for the two second interfaces, never for the instances' primaries."""
    answer = reach_json(emulator, REGION, "public", wired["sg/admin"], 22)
    ends = {p["placement"].split(" -> ")[1] for p in answer["paths"]}
    assert ends == {
        f"{wired['instance/web-1']} ({wired['eni/web-1']}) ({_subnet_of(emulator, wired)})",
        f"{wired['instance/web-2']} ({wired['eni/web-2']}) ({wired['subnet/private-b']})",
    }
    assert answer["verdict"] == "partially-reachable"


def _subnet_of(emulator: Emulator, wired: Estate) -> str:
    ec2 = boto3.client("ec2", endpoint_url=emulator.endpoint_url, region_name=REGION)
    nic = ec2.describe_network_interfaces(NetworkInterfaceIds=[wired["eni/web-1"]])
    return str(nic["NetworkInterfaces"][0]["SubnetId"])
