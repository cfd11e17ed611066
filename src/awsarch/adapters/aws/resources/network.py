"""VPC, subnets, internet gateway, NAT gateways, route tables and the default network ACL."""

from __future__ import annotations

from typing import Any

from awsarch.adapters.aws.resources.base import Handler, first
from awsarch.adapters.aws.resources.context import ApplyContext
from awsarch.deploy.diff import Change
from awsarch.deploy.plan import Action
from awsarch.model import (
    AclEntry,
    ElasticIp,
    InternetGateway,
    NatGateway,
    NetworkAcl,
    RouteTable,
    Subnet,
    Vpc,
)

PROTOCOL_NUMBERS = {"tcp": "6", "udp": "17", "icmp": "1", "all": "-1"}


class VpcHandler(Handler):
    def create(self, ctx: ApplyContext, desired: Vpc, action: Action) -> None:
        found = first(
            ctx.call("ec2", "describe_vpcs", Filters=ctx.stack_filters(desired.id))["Vpcs"]
        )
        if found is None:
            found = ctx.call(
                "ec2",
                "create_vpc",
                CidrBlock=desired.cidr,
                TagSpecifications=ctx.tag_spec("vpc", desired.id),
            )["Vpc"]
        ctx.remember(desired.id, found["VpcId"])
        for attribute, value in (
            ("EnableDnsSupport", desired.dns_support),
            ("EnableDnsHostnames", desired.dns_hostnames),
        ):
            ctx.call(
                "ec2", "modify_vpc_attribute", VpcId=found["VpcId"], **{attribute: {"Value": value}}
            )

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        ctx.call("ec2", "delete_vpc", VpcId=change.live_id)


class SubnetHandler(Handler):
    def create(self, ctx: ApplyContext, desired: Subnet, action: Action) -> None:
        found = first(
            ctx.call("ec2", "describe_subnets", Filters=ctx.stack_filters(desired.id))["Subnets"]
        )
        if found is None:
            tags = ctx.tag_spec(
                "subnet", desired.id, **{"awsarch:tier": desired.tier, "awsarch:kind": desired.kind}
            )
            found = ctx.call(
                "ec2",
                "create_subnet",
                VpcId=ctx.resolve(desired.vpc_id),
                CidrBlock=desired.cidr,
                AvailabilityZone=desired.az,
                TagSpecifications=tags,
            )["Subnet"]
        ctx.remember(desired.id, found["SubnetId"])
        ctx.call(
            "ec2",
            "modify_subnet_attribute",
            SubnetId=found["SubnetId"],
            MapPublicIpOnLaunch={"Value": desired.map_public_ip},
        )

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        ctx.call("ec2", "delete_subnet", SubnetId=change.live_id)


class InternetGatewayHandler(Handler):
    def create(self, ctx: ApplyContext, desired: InternetGateway, action: Action) -> None:
        filters = ctx.stack_filters(desired.id)
        found = first(
            ctx.call("ec2", "describe_internet_gateways", Filters=filters)["InternetGateways"]
        )
        if found is None:
            found = ctx.call(
                "ec2",
                "create_internet_gateway",
                TagSpecifications=ctx.tag_spec("internet-gateway", desired.id),
            )["InternetGateway"]
        ctx.remember(desired.id, found["InternetGatewayId"])
        attached = {a["VpcId"] for a in found.get("Attachments", [])}
        if desired.vpc_id and ctx.resolve(desired.vpc_id) not in attached:
            ctx.call(
                "ec2",
                "attach_internet_gateway",
                InternetGatewayId=found["InternetGatewayId"],
                VpcId=ctx.resolve(desired.vpc_id),
            )

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        if change.observed.vpc_id:
            ctx.call(
                "ec2",
                "detach_internet_gateway",
                InternetGatewayId=change.live_id,
                VpcId=ctx.resolve(change.observed.vpc_id),
            )
        ctx.call("ec2", "delete_internet_gateway", InternetGatewayId=change.live_id)


class NatGatewayHandler(Handler):
    def create(self, ctx: ApplyContext, desired: NatGateway, action: Action) -> None:
        filters = [
            *ctx.stack_filters(desired.id),
            {"Name": "state", "Values": ["pending", "available"]},
        ]
        found = first(ctx.call("ec2", "describe_nat_gateways", Filter=filters)["NatGateways"])
        if found is None:
            allocation = ctx.resolve(desired.elastic_ip_id)
            if not allocation.startswith("eipalloc-"):
                allocation = _elastic_ip(ctx, desired.elastic_ip_id)
            found = ctx.call(
                "ec2",
                "create_nat_gateway",
                SubnetId=ctx.resolve(desired.subnet_id),
                AllocationId=allocation,
                TagSpecifications=ctx.tag_spec("natgateway", desired.id),
            )["NatGateway"]
        ctx.remember(desired.id, found["NatGatewayId"])
        ctx.wait("ec2", "nat_gateway_available", NatGatewayIds=[found["NatGatewayId"]])

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        """Deleted and waited for; its Elastic IP is released by its own action, after this."""
        ctx.call("ec2", "delete_nat_gateway", NatGatewayId=change.live_id)
        ctx.wait("ec2", "nat_gateway_deleted", NatGatewayIds=[change.live_id])


class ElasticIpHandler(Handler):
    def create(self, ctx: ApplyContext, desired: ElasticIp, action: Action) -> None:
        ctx.remember(desired.id, _elastic_ip(ctx, desired.id))

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        """Released once nothing holds it: a NAT gateway being deleted keeps its address until it
        is gone, and AWS answers AuthFailure meanwhile (retried by `ctx.call`)
        (https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html)."""
        ctx.call("ec2", "release_address", AllocationId=change.live_id)


def _elastic_ip(ctx: ApplyContext, logical: str) -> str:
    """The Elastic IP for a NAT gateway: the tagged one if an earlier run allocated it."""
    found = first(
        ctx.call("ec2", "describe_addresses", Filters=ctx.stack_filters(logical))["Addresses"]
    )
    if found is None:
        found = ctx.call(
            "ec2",
            "allocate_address",
            Domain="vpc",
            TagSpecifications=ctx.tag_spec("elastic-ip", logical),
        )
    allocation: str = found["AllocationId"]
    return allocation


class RouteTableHandler(Handler):
    def create(self, ctx: ApplyContext, desired: RouteTable, action: Action) -> None:
        table = self._find_or_create(ctx, desired)
        ctx.remember(desired.id, table["RouteTableId"])
        _sync_routes(ctx, desired, table)
        if not desired.is_main:
            _sync_associations(ctx, desired, table)

    def _find_or_create(self, ctx: ApplyContext, desired: RouteTable) -> dict[str, Any]:
        if desired.is_main:
            filters = [
                {"Name": "vpc-id", "Values": [ctx.resolve(desired.vpc_id)]},
                {"Name": "association.main", "Values": ["true"]},
            ]
            table: dict[str, Any] = ctx.call("ec2", "describe_route_tables", Filters=filters)[
                "RouteTables"
            ][0]
            ctx.call(
                "ec2", "create_tags", Resources=[table["RouteTableId"]], Tags=ctx.tags(desired.id)
            )
            return table
        found = first(
            ctx.call("ec2", "describe_route_tables", Filters=ctx.stack_filters(desired.id))[
                "RouteTables"
            ]
        )
        if found is None:
            found = ctx.call(
                "ec2",
                "create_route_table",
                VpcId=ctx.resolve(desired.vpc_id),
                TagSpecifications=ctx.tag_spec("route-table", desired.id),
            )["RouteTable"]
        return dict(found)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        if change.observed.is_main:
            return  # the VPC's main table goes with the VPC
        table = ctx.call("ec2", "describe_route_tables", RouteTableIds=[change.live_id])[
            "RouteTables"
        ][0]
        for association in table.get("Associations", []):
            if not association.get("Main"):
                ctx.call(
                    "ec2",
                    "disassociate_route_table",
                    AssociationId=association["RouteTableAssociationId"],
                )
        ctx.call("ec2", "delete_route_table", RouteTableId=change.live_id)


def _route_target(ctx: ApplyContext, target: str, target_id: str) -> dict[str, str]:
    key = "NatGatewayId" if target == "nat-gateway" else "GatewayId"
    return {key: ctx.resolve(target_id)}


def _sync_routes(ctx: ApplyContext, desired: RouteTable, table: dict[str, Any]) -> None:
    table_id = table["RouteTableId"]
    live = {
        r.get("DestinationCidrBlock"): r
        for r in table.get("Routes", [])
        if r.get("GatewayId") != "local"
    }
    wanted = {r.destination: r for r in desired.routes if r.target != "local"}
    for destination, route in wanted.items():
        target = _route_target(ctx, route.target, route.target_id)
        current = live.get(destination)
        if current is None:
            ctx.call(
                "ec2",
                "create_route",
                RouteTableId=table_id,
                DestinationCidrBlock=destination,
                **target,
            )
        elif not all(current.get(k) == v for k, v in target.items()):
            ctx.call(
                "ec2",
                "replace_route",
                RouteTableId=table_id,
                DestinationCidrBlock=destination,
                **target,
            )
    for destination in live.keys() - wanted.keys():
        if destination:
            ctx.call("ec2", "delete_route", RouteTableId=table_id, DestinationCidrBlock=destination)


def _sync_associations(ctx: ApplyContext, desired: RouteTable, table: dict[str, Any]) -> None:
    wanted = {ctx.resolve(s) for s in desired.subnet_ids}
    live = {
        a["SubnetId"]: a["RouteTableAssociationId"]
        for a in table.get("Associations", [])
        if a.get("SubnetId")
    }
    for subnet in sorted(wanted - live.keys()):
        _move_here(ctx, table["RouteTableId"], subnet)
    for subnet in sorted(live.keys() - wanted):
        if ctx.owns(subnet):
            continue  # the stack's table that wants it moves it
        ctx.call("ec2", "disassociate_route_table", AssociationId=live[subnet])


def _move_here(ctx: ApplyContext, table_id: str, subnet: str) -> None:
    """A subnet is in one route table at a time: one associated elsewhere is moved with
    ReplaceRouteTableAssociation (AWS refuses a second AssociateRouteTable). The stack's own
    subnets are left to the table that wants them, so the outcome does not depend on the order."""
    filters = [{"Name": "association.subnet-id", "Values": [subnet]}]
    tables = ctx.call("ec2", "describe_route_tables", Filters=filters)["RouteTables"]
    current = [
        a["RouteTableAssociationId"]
        for t in tables
        for a in t.get("Associations", [])
        if a.get("SubnetId") == subnet
    ]
    if current:
        ctx.call(
            "ec2",
            "replace_route_table_association",
            AssociationId=current[0],
            RouteTableId=table_id,
        )
    else:
        ctx.call("ec2", "associate_route_table", RouteTableId=table_id, SubnetId=subnet)


class NetworkAclHandler(Handler):
    """Only the VPC's default ACL is managed: adopted, tagged and its entries converged."""

    def create(self, ctx: ApplyContext, desired: NetworkAcl, action: Action) -> None:
        filters = [
            {"Name": "vpc-id", "Values": [ctx.resolve(desired.vpc_id)]},
            {"Name": "default", "Values": ["true"]},
        ]
        acl = ctx.call("ec2", "describe_network_acls", Filters=filters)["NetworkAcls"][0]
        ctx.remember(desired.id, acl["NetworkAclId"])
        ctx.call("ec2", "create_tags", Resources=[acl["NetworkAclId"]], Tags=ctx.tags(desired.id))
        _sync_acl_entries(ctx, acl, desired.entries)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        """The default ACL goes with its VPC; it was adopted, so give it back untagged (the
        emulator keeps a deleted VPC's default ACL, which would otherwise stay tagged)."""
        tags = [{"Key": t["Key"]} for t in ctx.tags(change.logical_id)]
        ctx.call("ec2", "delete_tags", Resources=[change.live_id], Tags=tags)


def _sync_acl_entries(ctx: ApplyContext, acl: dict[str, Any], wanted: tuple[AclEntry, ...]) -> None:
    live = {
        (e["RuleNumber"], e["Egress"]): e for e in acl.get("Entries", []) if e["RuleNumber"] < 32767
    }
    desired = {(e.rule_number, e.egress): e for e in wanted}
    for key, entry in desired.items():
        params = _acl_params(entry)
        if key not in live:
            ctx.call("ec2", "create_network_acl_entry", NetworkAclId=acl["NetworkAclId"], **params)
        elif not _acl_matches(live[key], params):
            ctx.call("ec2", "replace_network_acl_entry", NetworkAclId=acl["NetworkAclId"], **params)
    for number, egress in live.keys() - desired.keys():
        ctx.call(
            "ec2",
            "delete_network_acl_entry",
            NetworkAclId=acl["NetworkAclId"],
            RuleNumber=number,
            Egress=egress,
        )


def _acl_params(entry: AclEntry) -> dict[str, Any]:
    params: dict[str, Any] = {
        "RuleNumber": entry.rule_number,
        "Egress": entry.egress,
        "CidrBlock": entry.cidr,
        "Protocol": PROTOCOL_NUMBERS[entry.protocol],
        "RuleAction": "allow" if entry.allow else "deny",
    }
    if entry.protocol in ("tcp", "udp"):
        params["PortRange"] = {"From": entry.ports.first, "To": entry.ports.last}
    if entry.protocol == "icmp":
        icmp_type, code = entry.ports.icmp_type_code()
        params["IcmpTypeCode"] = {"Type": icmp_type, "Code": code}
    return params


def _acl_matches(live: dict[str, Any], params: dict[str, Any]) -> bool:
    keys = ("CidrBlock", "Protocol", "RuleAction")
    same = all(str(live.get(k)) == str(params[k]) for k in keys)
    return same and live.get("PortRange", params.get("PortRange")) == params.get("PortRange")
