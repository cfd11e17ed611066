"""VPCs, subnets, routing and gateways of a template, as the model has them.

A VPC comes with what AWS creates beside it and a template cannot declare: its main route table
(the local route only), its default network ACL (allow all) and its default security group
(https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html).
"""

from __future__ import annotations

from typing import Any

from awsarch.cfn.names import DEFAULT_ACL, MAIN_TABLE, implicit_id, tag
from awsarch.cfn.reading import Reading, flag, strings
from awsarch.model import (
    ElasticIp,
    InternetGateway,
    NatGateway,
    NetworkAcl,
    Route,
    RouteTable,
    Subnet,
    SubnetKind,
    Vpc,
    allow_all_acl_entries,
)
from awsarch.model.network import RouteTarget

KINDS: dict[str, SubnetKind] = {"public": "public", "private": "private", "isolated": "isolated"}


def vpcs(r: Reading) -> list[Vpc]:
    found = []
    for lid, p in r.of_type("AWS::EC2::VPC"):
        r.origin(r.id(lid), lid)
        found.append(
            Vpc(
                id=r.id(lid),
                name=r.name(lid),
                cidr=r.text(p.get("CidrBlock"), lid, "CidrBlock"),
                # EnableDnsHostnames defaults to false, EnableDnsSupport to true
                # (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpc.html)
                dns_hostnames=flag(p.get("EnableDnsHostnames")),
                dns_support=flag(p.get("EnableDnsSupport"), True),
            )
        )
    return found


def subnets(r: Reading) -> list[Subnet]:
    found = []
    for lid, p in r.of_type("AWS::EC2::Subnet"):
        r.origin(r.id(lid), lid)
        r.alias(lid, "cidrs", "CidrBlock")
        zone = p.get("AvailabilityZone")
        kind = (tag(p, "awsarch:kind") or tag(p, "aws-cdk:subnet-type")).lower()
        found.append(
            Subnet(
                id=r.id(lid),
                name=r.name(lid),
                vpc_id=r.text(p.get("VpcId"), lid, "VpcId"),
                cidr=r.text(p.get("CidrBlock"), lid, "CidrBlock"),
                az=zone if isinstance(zone, str) else "",
                tier=tag(p, "awsarch:tier") or tag(p, "aws-cdk:subnet-name"),
                kind=KINDS.get(kind, ""),
                map_public_ip=flag(p.get("MapPublicIpOnLaunch")),
            )
        )
    return found


def route_tables(r: Reading, vpc_list: list[Vpc]) -> list[RouteTable]:
    routes: dict[str, list[Route]] = {}
    for lid, p in r.of_type("AWS::EC2::Route"):
        routes.setdefault(str(p.get("RouteTableId")), []).append(_route(r, lid, p))
    members: dict[str, list[str]] = {}
    for _, p in r.of_type("AWS::EC2::SubnetRouteTableAssociation"):
        members.setdefault(str(p.get("RouteTableId")), []).extend(strings(p.get("SubnetId")))
    found = [
        RouteTable(
            id=implicit_id(v.id, MAIN_TABLE),
            name=_implicit_name(v, MAIN_TABLE),
            vpc_id=v.id,
            routes=(Route(destination=v.cidr, target="local"),),
            is_main=True,
        )
        for v in vpc_list
    ]
    cidrs = {v.id: v.cidr for v in vpc_list}
    for v in vpc_list:
        r.origin(implicit_id(v.id, MAIN_TABLE), v.id)
    for lid, p in r.of_type("AWS::EC2::RouteTable"):
        r.origin(r.id(lid), lid)
        vpc = r.text(p.get("VpcId"), lid, "VpcId")
        local = Route(destination=cidrs.get(vpc, ""), target="local")
        found.append(
            RouteTable(
                id=r.id(lid),
                name=r.name(lid),
                vpc_id=vpc,
                routes=(local, *routes.get(r.id(lid), ())),
                subnet_ids=tuple(members.get(r.id(lid), ())),
            )
        )
    return found


_TARGETS: tuple[tuple[str, RouteTarget], ...] = (
    ("NatGatewayId", "nat-gateway"),
    ("EgressOnlyInternetGatewayId", "egress-only-gateway"),
    ("VpcPeeringConnectionId", "peering"),
)


def _route(r: Reading, lid: str, p: dict[str, Any]) -> Route:
    key = "DestinationCidrBlock" if "DestinationCidrBlock" in p else "DestinationIpv6CidrBlock"
    destination = r.text(p.get(key), lid, key)
    gateway = p.get("GatewayId")
    if isinstance(gateway, str) and r.type_of(gateway) == "AWS::EC2::InternetGateway":
        return Route(destination=destination, target="internet-gateway", target_id=gateway)
    for prop, target in _TARGETS:
        value = p.get(prop)
        if isinstance(value, str):
            return Route(destination=destination, target=target, target_id=value)
    return Route(destination=destination, target="other")


def internet_gateways(r: Reading) -> list[InternetGateway]:
    attached = {
        str(p.get("InternetGatewayId")): str(p.get("VpcId"))
        for _, p in r.of_type("AWS::EC2::VPCGatewayAttachment")
        if isinstance(p.get("VpcId"), str)
    }
    found = []
    for lid, _ in r.of_type("AWS::EC2::InternetGateway"):
        r.origin(r.id(lid), lid)
        found.append(
            InternetGateway(id=r.id(lid), name=r.name(lid), vpc_id=attached.get(r.id(lid), ""))
        )
    return found


def elastic_ips(r: Reading) -> list[ElasticIp]:
    found = []
    for lid, _ in r.of_type("AWS::EC2::EIP"):
        r.origin(r.id(lid), lid)
        found.append(ElasticIp(id=r.id(lid), name=r.name(lid)))
    return found


def nat_gateways(r: Reading) -> list[NatGateway]:
    found = []
    for lid, p in r.of_type("AWS::EC2::NatGateway"):
        r.origin(r.id(lid), lid)
        allocation = p.get("AllocationId")
        public = isinstance(allocation, str) and p.get("ConnectivityType", "public") == "public"
        found.append(
            NatGateway(
                id=r.id(lid),
                name=r.name(lid),
                subnet_id=r.text(p.get("SubnetId"), lid, "SubnetId"),
                has_public_ip=public,
                elastic_ip_id=allocation if isinstance(allocation, str) else "",
            )
        )
    return found


def default_acls(r: Reading, vpc_list: list[Vpc]) -> list[NetworkAcl]:
    """Each VPC's default ACL: it allows everything both ways until changed."""
    for v in vpc_list:
        r.origin(implicit_id(v.id, DEFAULT_ACL), v.id)
    return [
        NetworkAcl(
            id=implicit_id(v.id, DEFAULT_ACL),
            name=_implicit_name(v, DEFAULT_ACL),
            vpc_id=v.id,
            entries=allow_all_acl_entries(),
            is_default=True,
        )
        for v in vpc_list
    ]


def _implicit_name(vpc: Vpc, suffix: str) -> str:
    """`main` and `default` for a blueprint's VPC, as expansion names them; `<vpc> …` else."""
    found = implicit_id(vpc.id, suffix)
    if "/" in found:
        return found.split("/", 1)[1]
    return f"{vpc.name} {'main' if suffix == MAIN_TABLE else 'default'}"
