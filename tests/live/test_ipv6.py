"""IPv6 end to end on an estate built through the plain EC2 API in the emulator: a dual-stack VPC,
a web server reached over IPv6 only (no public IPv4 address, a rule from `::/0` only), and a
private server behind an egress-only internet gateway, read back by discovery, proved by `reach`."""

from __future__ import annotations

import ipaddress
import itertools
import json
from typing import Any

import boto3
import pytest

from awsarch.adapters.emulator import Emulator
from tests.live.support import reach_json

REGION = "sa-east-1"


@pytest.fixture(scope="module")
def estate(emulator: Emulator) -> dict[str, str]:
    ec2 = boto3.client("ec2", endpoint_url=emulator.endpoint_url, region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]
    vpc_id = vpc["VpcId"]
    block = vpc["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"]
    public = _subnet(ec2, vpc_id, "10.60.1.0/24", block, 1)
    private = _subnet(ec2, vpc_id, "10.60.2.0/24", block, 2)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    eigw = ec2.create_egress_only_internet_gateway(VpcId=vpc_id)["EgressOnlyInternetGateway"]
    _table(ec2, vpc_id, public, {"DestinationIpv6CidrBlock": "::/0", "GatewayId": igw})
    _table(
        ec2,
        vpc_id,
        private,
        {
            "DestinationIpv6CidrBlock": "::/0",
            "EgressOnlyInternetGatewayId": eigw["EgressOnlyInternetGatewayId"],
        },
    )
    web_group = ec2.create_security_group(GroupName="web6", Description="web", VpcId=vpc_id)
    ec2.authorize_security_group_ingress(
        GroupId=web_group["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            }
        ],
    )
    app_group = ec2.create_security_group(GroupName="app6", Description="app", VpcId=vpc_id)
    image = ec2.describe_images()["Images"][0]["ImageId"]
    return {
        "web": _instance(ec2, image, public, web_group["GroupId"]),
        "app": _instance(ec2, image, private, app_group["GroupId"]),
    }


def _subnet(ec2: Any, vpc_id: str, cidr: str, vpc_block: str, index: int) -> str:
    """A subnet with the `index`th /64 of the VPC's /56, assigning IPv6 addresses on creation."""
    block = str(next(itertools.islice(ipaddress.ip_network(vpc_block).subnets(64), index, None)))
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, Ipv6CidrBlock=block)["Subnet"]
    ec2.modify_subnet_attribute(
        SubnetId=subnet["SubnetId"], AssignIpv6AddressOnCreation={"Value": True}
    )
    return str(subnet["SubnetId"])


def _table(ec2: Any, vpc_id: str, subnet: str, route: dict[str, str]) -> None:
    table = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, **route)
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)


def _instance(ec2: Any, image: str, subnet: str, group: str) -> str:
    launched = ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        SubnetId=subnet,
        SecurityGroupIds=[group],
    )
    return str(launched["Instances"][0]["InstanceId"])


def _families(answer: dict[str, Any]) -> set[str]:
    return {f for path in answer["paths"] for f in path["families"]}


def test_the_internet_reaches_web_over_ipv6_only(
    emulator: Emulator, estate: dict[str, str]
) -> None:
    """No public IPv4 address and a rule from `::/0` only: reachable, over IPv6, on 443 only."""
    answer = reach_json(emulator, REGION, "internet", estate["web"], 443)
    assert answer["verdict"] == "reachable", json.dumps(answer["paths"], indent=1)
    assert _families(answer) == {"IPv6"}
    assert reach_json(emulator, REGION, "internet", estate["web"], 22)["verdict"] == "unreachable"


def test_an_egress_only_gateway_lets_app_out_and_nobody_in(
    emulator: Emulator, estate: dict[str, str]
) -> None:
    out = reach_json(emulator, REGION, estate["app"], "internet", 443)
    assert out["verdict"] == "reachable", json.dumps(out["paths"], indent=1)
    assert _families(out) == {"IPv6"}
    inbound = reach_json(emulator, REGION, "internet", estate["app"], 443)
    assert inbound["verdict"] == "unreachable"
    reasons = [b["reason"] for b in inbound["blocked_by"]]
    assert any("public" in r or "egress-only" in r for r in reasons), reasons
