"""The hops a flow crosses, in order, for each shape of flow.

One leg is a flow between two placements for one source address atom and one destination
address atom. The order follows the packet: source group egress, source subnet ACL outbound,
routing (and the gateways it leads to), destination ACL inbound, destination group ingress (and,
at a load balancer, the listener the connection ends at), then the reply through both ACLs on
ephemeral ports (ACLs are stateless, groups are not).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from awsarch.analysis.endpoints import Placement
from awsarch.analysis.hops import (
    Hop,
    Step,
    acl_step,
    atom_text,
    fixed,
    group_filter,
    group_step,
    public_address_hop,
    same_subnet_hop,
)
from awsarch.analysis.listeners import listener_step
from awsarch.analysis.network import Network, RouteChoice
from awsarch.analysis.peering import crosses_vpcs, edge_hops, peering_hops
from awsarch.analysis.sets import Interval, Services, family
from awsarch.model import NatGateway
from awsarch.record import record


@record
class Leg:
    """One stretch of a path between two placements, for one address pair (atom)."""

    src: Placement
    dst: Placement
    src_atom: Interval
    dst_atom: Interval


Outcome = tuple[Services, tuple[Hop, ...]]
"""What got through a leg (nothing when a hop denied) and the hops the packet met."""


def steps(net: Network, leg: Leg) -> Iterator[Step]:
    """Every hop of the leg, in the order the packet meets them (made as the packet gets there,
    so a flow denied at its first hop costs one hop)."""
    if leg.src.is_internet:
        return iter(_from_internet(net, leg))
    if leg.dst.is_internet:
        return iter(_to_internet(net, leg))
    return _inside(net, leg)


def run_leg(net: Network, leg: Leg, wanted: Services) -> Outcome:
    """Push traffic through the leg's hops; stop at the first hop that lets nothing through."""
    if leg.src.is_internet or leg.dst.is_internet:
        return _run(steps(net, leg), wanted)
    return _run_inside(net, leg, wanted)


def _run(found: Iterable[Step], wanted: Services) -> Outcome:
    current, hops = wanted, []
    for step in found:
        current, hop = step(current)
        hops.append(hop)
        if hop.decision in STOPS:
            return Services.none(), tuple(hops)
    return current, tuple(hops)


def _run_inside(net: Network, leg: Leg, wanted: Services) -> Outcome:
    """As `_run` over `_inside`, with the parts between the two groups (ACLs, route, replies)
    looked up once per subnet pair, atom pair and traffic: only the groups depend on who talks."""
    src, dst = leg.src, leg.dst
    got, egress = group_filter(net, src, dst, leg.dst_atom, wanted, egress=True)
    if egress.decision in STOPS:
        return got, (egress,)
    where = (src.subnet_id, dst.subnet_id, leg.src_atom, leg.dst_atom)
    got, middle = net.remember(
        ("inside-out", *where, got), lambda: _run(_network_steps(net, leg), got)
    )
    if middle[-1].decision in STOPS:
        return got, (egress, *middle)
    got, ingress = group_filter(net, dst, src, leg.src_atom, got, egress=False)
    hops = (egress, *middle, ingress)
    if ingress.decision not in STOPS and dst.balancer:
        got, listener = listener_step(net, dst)(got)
        hops += (listener,)
        if listener.decision in STOPS:
            return got, hops
    if ingress.decision in STOPS or src.subnet_id == dst.subnet_id:
        return got, hops
    got, replies = net.remember(  # replies go back to the client's own ephemeral ports
        ("inside-back", *where, src.ephemeral, got), lambda: _run(_reply_steps(net, leg), got)
    )
    return got, (*hops, *replies)


def _inside(net: Network, leg: Leg) -> Iterator[Step]:
    yield group_step(net, leg.src, leg.dst, leg.dst_atom, egress=True)
    yield from _network_steps(net, leg)
    yield group_step(net, leg.dst, leg.src, leg.src_atom, egress=False)
    if leg.dst.balancer:
        yield listener_step(net, leg.dst)
    yield from _reply_steps(net, leg)


def _network_steps(net: Network, leg: Leg) -> Iterator[Step]:
    """Source ACL out, the local route (or a peering into another VPC), destination ACL in (no
    ACL inside one subnet)."""
    src, dst = leg.src, leg.dst
    same = src.subnet_id == dst.subnet_id
    if same:
        yield fixed(same_subnet_hop(net, src.subnet_id))
    else:
        yield acl_step(net, src.subnet_id, leg.dst_atom, egress=True)
    if crosses_vpcs(net, src.subnet_id, dst.subnet_id):
        found = peering_hops(net, src.subnet_id, dst.subnet_id, leg.src_atom, leg.dst_atom)
        yield from map(fixed, found)
    else:
        yield fixed(_local_route(net, src.subnet_id, leg.dst_atom, dst))
    if not same:
        yield acl_step(net, dst.subnet_id, leg.src_atom, egress=False)


def _reply_steps(net: Network, leg: Leg) -> Iterator[Step]:
    """The reply through both ACLs on ephemeral ports (none inside one subnet)."""
    if leg.src.subnet_id != leg.dst.subnet_id:
        client = leg.src.ephemeral
        yield acl_step(net, leg.dst.subnet_id, leg.src_atom, egress=True, reply=True, client=client)
        yield acl_step(
            net, leg.src.subnet_id, leg.dst_atom, egress=False, reply=True, client=client
        )


def _route_text(choice: RouteChoice) -> str:
    table = choice.table.id if choice.table else "the main route table"
    if choice.route is None:
        return table
    target = choice.route.target_id or choice.route.target
    implicit = " (implicit)" if choice.implicit_local else ""
    return f"{table} routes {choice.route.destination} to {target}{implicit}"


def _local_route(net: Network, subnet_id: str, atom: Interval, dst: Placement) -> Hop:
    """Inside a VPC the `local` route carries traffic between subnets
    (https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html)."""
    choice = net.route(subnet_id, atom)
    resource = choice.table.id if choice.table else subnet_id
    if choice.route is not None and choice.route.target == "local":
        return Hop(resource=resource, kind="route", decision="allow", reason=_route_text(choice))
    if choice.route is not None and choice.route.target == "other":
        return _unmodelled_route(resource, choice)
    where = f"{dst.subnet_id} ({atom_text(atom)})"
    if choice.route is None:
        reason = f"{resource} has no route to {where}"
    else:
        reason = f"{_route_text(choice)}, which does not reach {where} inside the VPC"
    cidr = net.arch.subnet(dst.subnet_id).cidr
    fix = f"route {cidr} locally in {resource}"
    return Hop(resource=resource, kind="route", decision="deny", reason=reason, fix=fix)


STOPS = frozenset({"deny", "unknown"})
"""Decisions after which a packet is followed no further."""
TARGET_KINDS = {
    "tgw-": "a transit gateway",
    "pcx-": "a VPC peering connection",
    "vpce-": "a VPC endpoint",
    "eni-": "a network interface",
    "i-": "an instance",
    "eigw-": "an egress-only internet gateway",
    "vgw-": "a virtual private gateway",
    "cagw-": "a carrier gateway",
    "lgw-": "a local gateway",
}


def _unmodelled_route(resource: str, choice: RouteChoice) -> Hop:
    """A route to a target awsarch does not follow: neither reachable nor unreachable is known."""
    target = choice.route.target_id if choice.route else ""
    what = next((k for p, k in TARGET_KINDS.items() if target.startswith(p)), "a target")
    return Hop(
        resource=resource,
        kind="route",
        decision="unknown",
        reason=f"{_route_text(choice)}, {what} awsarch does not model: where the traffic goes"
        " from there is not known",
    )


# ---- the internet ---------------------------------------------------------------------------
# An instance reaches, and is reached from, the internet only with a public address and a route
# in its subnet's table to an internet gateway attached to its VPC
# (https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html).
def _gateway_hops(
    net: Network, subnet_id: str, atom: Interval, *, why: str, inbound: bool = False
) -> list[Hop]:
    """The route for `atom` from the subnet leads to an attached internet gateway (or, for
    connections that go out over IPv6, to an egress-only one)."""
    key = ("gateway", subnet_id, atom, why, inbound)
    return list(
        net.remember(
            key, lambda: tuple(_gateway_hops_of(net, subnet_id, atom, why=why, inbound=inbound))
        )
    )


def _gateway_hops_of(
    net: Network, subnet_id: str, atom: Interval, *, why: str, inbound: bool
) -> list[Hop]:
    choice = net.route(subnet_id, atom)
    resource = choice.table.id if choice.table else subnet_id
    route = choice.route
    if route is not None and route.target == "other":
        return [_unmodelled_route(resource, choice)]
    if route is not None and route.target == "egress-only-gateway":
        return _egress_only(resource, choice, inbound=inbound)
    if route is not None and route.target == "peering":
        return edge_hops(net, subnet_id, choice, why=why)
    if route is None or route.target != "internet-gateway":
        wanted = route.destination if route else "0.0.0.0/0"
        reason = f"{resource} has no route to an internet gateway ({why})"
        if route is not None:
            reason = f"{_route_text(choice)}, not to an internet gateway ({why})"
        fix = f"route {wanted} to an internet gateway attached to the VPC in {resource}"
        return [Hop(resource=resource, kind="route", decision="deny", reason=reason, fix=fix)]
    found = [Hop(resource=resource, kind="route", decision="allow", reason=_route_text(choice))]
    vpc_id = net.arch.subnet(subnet_id).vpc_id
    igw = net.arch.find(route.target_id)
    if igw is None or getattr(igw, "vpc_id", "") != vpc_id:
        state = "does not exist" if igw is None else "is not attached to " + vpc_id
        fix = f"attach {route.target_id} to {vpc_id}"
        found.append(
            Hop(
                resource=route.target_id,
                kind="internet-gateway",
                decision="deny",
                reason=f"{route.target_id} {state}",
                fix=fix,
            )
        )
    else:
        reason = f"{route.target_id} is attached to {vpc_id}"
        found.append(
            Hop(resource=route.target_id, kind="internet-gateway", decision="allow", reason=reason)
        )
    return found


# An egress-only internet gateway lets IPv6 connections out and their replies back in, and
# lets no connection in from the internet
# (https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html).
def _egress_only(resource: str, choice: RouteChoice, *, inbound: bool) -> list[Hop]:
    gateway = choice.route.target_id if choice.route else ""
    route = Hop(resource=resource, kind="route", decision="allow", reason=_route_text(choice))
    if inbound:
        reason = (
            f"{_route_text(choice)}: an egress-only internet gateway lets no connection in"
            " from the internet"
        )
        destination = choice.route.destination if choice.route else "::/0"
        fix = f"route {destination} to an internet gateway attached to the VPC in {resource}"
        return [Hop(resource=resource, kind="route", decision="deny", reason=reason, fix=fix)]
    reason = f"{gateway} lets connections out over IPv6 and their replies back in"
    return [
        route,
        Hop(resource=gateway, kind="egress-only-gateway", decision="allow", reason=reason),
    ]


def _from_internet(net: Network, leg: Leg) -> list[Step]:
    dst = leg.dst
    found = [fixed(public_address_hop(dst, ipv6=family(leg.src_atom[0]) == "IPv6"))]
    found += [
        fixed(h)
        for h in _gateway_hops(net, dst.subnet_id, leg.src_atom, why="replies", inbound=True)
    ]
    found.append(acl_step(net, dst.subnet_id, leg.src_atom, egress=False))
    found.append(group_step(net, dst, leg.src, leg.src_atom, egress=False))
    if dst.balancer:
        found.append(listener_step(net, dst))
    found.append(acl_step(net, dst.subnet_id, leg.src_atom, egress=True, reply=True))
    return found


def _to_internet(net: Network, leg: Leg) -> list[Step]:
    src = leg.src
    found = [
        group_step(net, src, leg.dst, leg.dst_atom, egress=True),
        acl_step(net, src.subnet_id, leg.dst_atom, egress=True),
    ]
    route = net.route(src.subnet_id, leg.dst_atom).route
    if route is not None and route.target == "nat-gateway":
        found += _through_nat(net, leg, route.target_id)
    else:
        found += [fixed(h) for h in _gateway_hops(net, src.subnet_id, leg.dst_atom, why="outbound")]
        ipv6 = family(leg.dst_atom[0]) == "IPv6"
        found.append(fixed(public_address_hop(src, ipv6=ipv6)))
    found.append(
        acl_step(net, src.subnet_id, leg.dst_atom, egress=False, reply=True, client=src.ephemeral)
    )
    return found


# ---- NAT ------------------------------------------------------------------------------------
# A public NAT gateway needs an Elastic IP and must sit in a public subnet, one whose route table
# sends internet traffic to an attached internet gateway; the NAT's subnet ACL filters the traffic
# on its way in from the instance, out to the internet, and both replies
# (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html,
#  https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html).
def _through_nat(net: Network, leg: Leg, nat_id: str) -> list[Step]:
    choice = net.route(leg.src.subnet_id, leg.dst_atom)
    table = choice.table.id if choice.table else leg.src.subnet_id
    found = [fixed(Hop(resource=table, kind="route", decision="allow", reason=_route_text(choice)))]
    nat = net.arch.find(nat_id)
    if not isinstance(nat, NatGateway):
        hop = Hop(
            resource=nat_id,
            kind="nat-gateway",
            decision="deny",
            reason=f"{nat_id} does not exist",
            fix=f"create {nat_id} or route to an existing NAT gateway",
        )
        return [*found, fixed(hop)]
    found.append(fixed(_nat_address_hop(nat)))
    same = nat.subnet_id == leg.src.subnet_id
    if not same:
        found.append(acl_step(net, nat.subnet_id, leg.src_atom, egress=False))
    found.append(acl_step(net, nat.subnet_id, leg.dst_atom, egress=True))
    found += [
        fixed(h) for h in _gateway_hops(net, nat.subnet_id, leg.dst_atom, why=f"{nat.id} egress")
    ]
    # The NAT gateway is the internet's client (its ports: 1024-65535); the instance is the NAT's.
    found.append(acl_step(net, nat.subnet_id, leg.dst_atom, egress=False, reply=True))
    if not same:
        found.append(
            acl_step(
                net, nat.subnet_id, leg.src_atom, egress=True, reply=True, client=leg.src.ephemeral
            )
        )
    return found


def _nat_address_hop(nat: NatGateway) -> Hop:
    if nat.has_public_ip:
        eip = f" ({nat.elastic_ip_id})" if nat.elastic_ip_id else ""
        reason = f"{nat.id} in {nat.subnet_id} has an Elastic IP{eip}"
        return Hop(resource=nat.id, kind="nat-gateway", decision="allow", reason=reason)
    return Hop(
        resource=nat.id,
        kind="nat-gateway",
        decision="deny",
        reason=f"{nat.id} has no Elastic IP, so it cannot reach the internet",
        fix=f"allocate an Elastic IP to {nat.id}",
    )
