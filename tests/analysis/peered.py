"""The seed and two more VPCs for the peering tests: `vpc/peer` peered with the seed's VPC,
`vpc/third` peered with `vpc/peer` only, each with one subnet, one tier and one server."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from awsarch.model import (
    Architecture,
    Instance,
    InternetGateway,
    NetworkAcl,
    Peer,
    Route,
    RouteTable,
    SecurityGroup,
    Subnet,
    Vpc,
    VpcPeering,
    allow_all_acl_entries,
)

from .build import replace_by_id, rule, seed

MAIN, PEER, THIRD = "10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"
PCX, PCX_THIRD = "pcx/main-peer", "pcx/peer-third"


def to_pcx(destination: str, pcx: str = PCX) -> Route:
    return Route(destination=destination, target="peering", target_id=pcx)


def _vpc(name: str, cidr: str, subnet_cidr: str, *routes: Route) -> dict[str, tuple[object, ...]]:
    """One VPC with one subnet (tier `name`), its table, its default ACL, one group and server."""
    vpc, subnet, group = f"vpc/{name}", f"subnet/{name}-a", f"sg/{name}-app"
    return {
        "vpcs": (Vpc(id=vpc, name=name, cidr=cidr),),
        "subnets": (
            Subnet(
                id=subnet,
                name=f"{name}-a",
                vpc_id=vpc,
                cidr=subnet_cidr,
                az="ap-northeast-2a",
                tier=name,
                kind="private",
            ),
        ),
        "route_tables": (
            RouteTable(
                id=f"rtb/{name}",
                name=name,
                vpc_id=vpc,
                is_main=True,
                routes=(Route(destination=cidr, target="local"), *routes),
            ),
        ),
        "network_acls": (
            NetworkAcl(
                id=f"acl/{name}",
                name=name,
                vpc_id=vpc,
                is_default=True,
                entries=allow_all_acl_entries(),
            ),
        ),
        "security_groups": (
            SecurityGroup(
                id=group,
                name=f"{name}-app",
                vpc_id=vpc,
                description="app",
                ingress=(rule("tcp", 5432, 5432, Peer.group("sg/web")),),
                egress=(rule("all", 0, 65535, Peer.cidr("0.0.0.0/0")),),
            ),
        ),
        "instances": (
            Instance(
                id=f"instance/{name}-1",
                name=f"{name}-1",
                group=f"{name}app",
                subnet_id=subnet,
                security_group_ids=(group,),
                instance_type="t3.micro",
                image="ami-1",
                platform="linux",
            ),
        ),
    }


@cache
def peered() -> Architecture:
    """web (public subnets of vpc/main) may reach peer-1:5432 across an active peering."""
    base = seed()
    public = next(t for t in base.route_tables if t.id == "rtb/public")
    base = replace(
        base,
        route_tables=replace_by_id(
            base.route_tables, "rtb/public", routes=(*public.routes, to_pcx(PEER), to_pcx(THIRD))
        ),
    )
    parts = [
        _vpc("peer", PEER, "10.1.1.0/24", to_pcx(MAIN), to_pcx(THIRD, PCX_THIRD)),
        _vpc("third", THIRD, "10.2.1.0/24", to_pcx(PEER, PCX_THIRD), to_pcx(MAIN, PCX_THIRD)),
    ]
    changes = {
        key: getattr(base, key) + tuple(item for part in parts for item in part[key])
        for key in parts[0]
    }
    peerings = (
        VpcPeering(
            id=PCX,
            name="main-peer",
            requester_vpc_id="vpc/main",
            accepter_vpc_id="vpc/peer",
            requester_cidrs=(MAIN,),
            accepter_cidrs=(PEER,),
            status="active",
        ),
        VpcPeering(
            id=PCX_THIRD,
            name="peer-third",
            requester_vpc_id="vpc/peer",
            accepter_vpc_id="vpc/third",
            status="active",
        ),
    )
    return replace(base, vpc_peerings=peerings, **changes)


def with_peer_gateway(arch: Architecture) -> Architecture:
    """vpc/peer has an attached internet gateway and routes the internet to it."""
    igw = InternetGateway(id="igw/peer", name="peer", vpc_id="vpc/peer")
    table = next(t for t in arch.route_tables if t.id == "rtb/peer")
    default = Route(destination="0.0.0.0/0", target="internet-gateway", target_id="igw/peer")
    return replace(
        arch,
        internet_gateways=(*arch.internet_gateways, igw),
        route_tables=replace_by_id(arch.route_tables, "rtb/peer", routes=(*table.routes, default)),
    )
