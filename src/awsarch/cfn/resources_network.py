"""The network half of the template: VPC, zones, subnets, gateways, routes and network ACLs."""

from __future__ import annotations

from typing import Any

from awsarch.adapters.aws.resources.network import PROTOCOL_NUMBERS
from awsarch.cfn.builder import Builder, CannotSynthesize, Json, get_att, ref
from awsarch.cfn.logical_ids import camel
from awsarch.model import (
    AclEntry,
    Architecture,
    NetworkAcl,
    Route,
    RouteTable,
    allow_all_acl_entries,
)

ZONES_PARAMETER = "AvailabilityZones"
ZONES_CONDITION = "ZonesFromGetAZs"
ROUTE_TARGETS = {"internet-gateway": "GatewayId", "nat-gateway": "NatGatewayId"}


def add_network(b: Builder, arch: Architecture) -> None:
    zones = _zones(b, arch)
    for vpc in arch.vpcs:
        if vpc.ipv6_cidrs:
            raise CannotSynthesize(f"{vpc.id} has IPv6 blocks, which synth does not render yet")
        properties = {
            "CidrBlock": vpc.cidr,
            "EnableDnsHostnames": vpc.dns_hostnames,
            "EnableDnsSupport": vpc.dns_support,
            "Tags": b.tags(vpc.id),
        }
        b.add(b.name(vpc.id), "AWS::EC2::VPC", properties)
    attachments = _internet_gateways(b, arch)
    for subnet in arch.subnets:
        properties = {
            "VpcId": b.ref(subnet.vpc_id),
            "CidrBlock": subnet.cidr,
            "AvailabilityZone": zones[subnet.az],
            "MapPublicIpOnLaunch": subnet.map_public_ip,
            "Tags": b.tags(subnet.id, **{"awsarch:tier": subnet.tier, "awsarch:kind": subnet.kind}),
        }
        b.add(b.name(subnet.id), "AWS::EC2::Subnet", properties)
    _nat_gateways(b, arch, attachments)
    for table in arch.route_tables:
        _route_table(b, table, attachments)
    for acl in arch.network_acls:
        _network_acl(b, acl)


def _zones(b: Builder, arch: Architecture) -> dict[str, Json]:
    """Each zone of the model as the Nth zone of the region, never a hard-coded name.

    Fn::GetAZs lists zones alphabetically, as the model's zones are ordered, but only those with
    a default subnet (all when none has one), and AWS does not promise the order once a zone is
    added (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getavailabilityzones.html):
    the `AvailabilityZones` parameter pins them.
    """
    ordered = sorted({s.az for s in arch.subnets})
    if not ordered:
        return {}
    b.parameters[ZONES_PARAMETER] = {
        "Type": "CommaDelimitedList",
        "Default": "",
        "Description": (
            f"{len(ordered)} zone names to place the subnets in, in order (e.g."
            f" {','.join(ordered)}); empty: the region's first {len(ordered)} from Fn::GetAZs."
            " Pin them: Fn::GetAZs lists only zones with a default subnet, and its order may"
            " change when AWS adds a zone, which would replace subnets."
        ),
    }
    b.conditions[ZONES_CONDITION] = {"Fn::Equals": [{"Fn::Join": ["", ref(ZONES_PARAMETER)]}, ""]}
    return {
        zone: {
            "Fn::If": [
                ZONES_CONDITION,
                {"Fn::Select": [index, {"Fn::GetAZs": ""}]},
                {"Fn::Select": [index, ref(ZONES_PARAMETER)]},
            ]
        }
        for index, zone in enumerate(ordered)
    }


def _internet_gateways(b: Builder, arch: Architecture) -> dict[str, str]:
    """Each gateway and its attachment; the attachment's logical id by gateway id."""
    attachments = {}
    for igw in arch.internet_gateways:
        logical = b.add(b.name(igw.id), "AWS::EC2::InternetGateway", {"Tags": b.tags(igw.id)})
        if igw.vpc_id:
            attachments[igw.id] = b.add(
                b.derived(f"{logical}Attachment"),
                "AWS::EC2::VPCGatewayAttachment",
                {"VpcId": b.ref(igw.vpc_id), "InternetGatewayId": ref(logical)},
            )
    return attachments


def _after_attachment(attachments: dict[str, str]) -> dict[str, Any]:
    """An Elastic IP or a route to the gateway in a VPC of the same template waits for the
    gateway's attachment (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html)."""
    return {"DependsOn": sorted(attachments.values())} if attachments else {}


def _nat_gateways(b: Builder, arch: Architecture, attachments: dict[str, str]) -> None:
    for eip in arch.elastic_ips:
        properties: Json = {"Domain": "vpc", "Tags": b.tags(eip.id)}
        b.add(b.name(eip.id), "AWS::EC2::EIP", properties, **_after_attachment(attachments))
    for nat in arch.nat_gateways:
        if not nat.elastic_ip_id:
            raise CannotSynthesize(f"{nat.id} has no Elastic IP: a public NAT gateway needs one")
        properties = {
            "AllocationId": get_att(b.name(nat.elastic_ip_id), "AllocationId"),
            "SubnetId": b.ref(nat.subnet_id),
            "Tags": b.tags(nat.id),
        }
        b.add(b.name(nat.id), "AWS::EC2::NatGateway", properties)


def _route_table(b: Builder, table: RouteTable, attachments: dict[str, str]) -> None:
    if table.is_main:
        if any(r.target != "local" for r in table.routes):
            raise CannotSynthesize(
                f"{table.id} is the VPC's main route table with routes of its own, which"
                " CloudFormation cannot add to it"
            )
        return  # comes with the VPC, holding the local route
    logical = b.add(
        b.name(table.id),
        "AWS::EC2::RouteTable",
        {"VpcId": b.ref(table.vpc_id), "Tags": b.tags(table.id)},
    )
    routes = [_route(b, logical, r, attachments) for r in table.routes if r.target != "local"]
    for subnet_id in table.subnet_ids:
        subnet = b.name(subnet_id)
        association = b.add(
            b.derived(f"{subnet}RouteTableAssociation"),
            "AWS::EC2::SubnetRouteTableAssociation",
            {"SubnetId": ref(subnet), "RouteTableId": ref(logical)},
        )
        b.routing[subnet_id] = [association, *routes]


def _route(b: Builder, table: str, route: Route, attachments: dict[str, str]) -> str:
    key = ROUTE_TARGETS.get(route.target)
    if key is None:
        raise CannotSynthesize(f"a route to a {route.target} is not rendered by synth yet")
    properties: Json = {"RouteTableId": ref(table)}
    properties[
        "DestinationIpv6CidrBlock" if ":" in route.destination else "DestinationCidrBlock"
    ] = route.destination
    properties[key] = b.ref(route.target_id)
    default = route.destination in ("0.0.0.0/0", "::/0")
    suffix = (
        ("Default" + ("Ipv6" if ":" in route.destination else ""))
        if default
        else camel(route.destination)
    )
    waits = _after_attachment({k: v for k, v in attachments.items() if k == route.target_id})
    return b.add(b.derived(f"{table}Route{suffix}"), "AWS::EC2::Route", properties, **waits)


def _network_acl(b: Builder, acl: NetworkAcl) -> None:
    if acl.is_default:
        if set(acl.entries) != set(allow_all_acl_entries()):
            raise CannotSynthesize(
                f"{acl.id} is the VPC's default network ACL with entries of its own, which"
                " CloudFormation cannot change"
            )
        return  # comes with the VPC, allowing everything both ways
    logical = b.add(
        b.name(acl.id),
        "AWS::EC2::NetworkAcl",
        {"VpcId": b.ref(acl.vpc_id), "Tags": b.tags(acl.id)},
    )
    for entry in acl.entries:
        direction = "Egress" if entry.egress else "Ingress"
        b.add(
            b.derived(f"{logical}{direction}{entry.rule_number}"),
            "AWS::EC2::NetworkAclEntry",
            _acl_entry(logical, entry),
        )
    for subnet_id in acl.subnet_ids:
        subnet = b.name(subnet_id)
        b.add(
            b.derived(f"{subnet}NetworkAclAssociation"),
            "AWS::EC2::SubnetNetworkAclAssociation",
            {"SubnetId": ref(subnet), "NetworkAclId": ref(logical)},
        )


def _acl_entry(acl: str, entry: AclEntry) -> Json:
    properties: Json = {
        "NetworkAclId": ref(acl),
        "RuleNumber": entry.rule_number,
        "Protocol": int(PROTOCOL_NUMBERS[entry.protocol]),
        "RuleAction": "allow" if entry.allow else "deny",
        "Egress": entry.egress,
        ("Ipv6CidrBlock" if ":" in entry.cidr else "CidrBlock"): entry.cidr,
    }
    if entry.protocol in ("tcp", "udp"):
        properties["PortRange"] = {"From": entry.ports.first, "To": entry.ports.last}
    elif entry.protocol == "icmp":
        icmp_type, code = entry.ports.icmp_type_code()
        properties["Icmp"] = {"Type": icmp_type, "Code": code}
    return properties
