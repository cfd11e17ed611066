"""Routing between two VPCs through a VPC peering connection.

A peering connection carries traffic between the two VPCs it joins once it is active and both
sides route to it: the source subnet's table sends the destination's address to the connection,
and the destination subnet's table sends the source's address back to the same connection
(https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html). It delivers only into
the peer VPC's own CIDR blocks: no transitive peering through a third VPC, and no edge-to-edge
routing through the peer's internet gateway or NAT gateway
(https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html). A route added while the
connection is pending acceptance is a blackhole until it becomes active.

The hops: the route out (kind `route`), the connection (`vpc-peering`), the route back
(`return-route`); the first that does not allow ends the list.
"""

from __future__ import annotations

from awsarch.analysis.hops import Hop, atom_text
from awsarch.analysis.network import Network, RouteChoice, contains
from awsarch.analysis.sets import Interval
from awsarch.model import VpcPeering

BASICS = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html"


def crosses_vpcs(net: Network, src_subnet: str, dst_subnet: str) -> bool:
    """The two subnets lie in different VPCs: only a peering connection joins them here."""
    return net.arch.subnet(src_subnet).vpc_id != net.arch.subnet(dst_subnet).vpc_id


def peering_hops(
    net: Network, src_subnet: str, dst_subnet: str, src_atom: Interval, dst_atom: Interval
) -> tuple[Hop, ...]:
    """Route out, connection, route back, for a flow from one VPC into another."""
    key = ("peering", src_subnet, dst_subnet, src_atom, dst_atom)
    return net.remember(key, lambda: _hops(net, src_subnet, dst_subnet, src_atom, dst_atom))


def _hops(
    net: Network, src_subnet: str, dst_subnet: str, src_atom: Interval, dst_atom: Interval
) -> tuple[Hop, ...]:
    src_vpc, dst_vpc = net.arch.subnet(src_subnet).vpc_id, net.arch.subnet(dst_subnet).vpc_id
    out, connection = _route_out(net, src_subnet, dst_vpc, dst_atom)
    if connection is None:
        return (out,)
    joined = _connection_hop(net, connection, src_vpc, dst_vpc, src_atom, dst_atom)
    if joined.decision != "allow":
        return out, joined
    return out, joined, _route_back(net, dst_subnet, src_vpc, src_atom, connection)


def _table(choice: RouteChoice, subnet_id: str) -> str:
    return choice.table.id if choice.table else subnet_id


def _route_text(choice: RouteChoice) -> str:
    table = choice.table.id if choice.table else "the main route table"
    route = choice.route
    if route is None:
        return f"{table} has no route"
    return f"{table} routes {route.destination} to {route.target_id or route.target}"


def _unmodelled(resource: str, kind: str, text: str) -> Hop:
    return Hop(
        resource=resource,
        kind=kind,
        decision="unknown",
        reason=f"{text}, which awsarch does not model: where the traffic goes is not known",
    )


def _route_out(
    net: Network, src_subnet: str, dst_vpc: str, atom: Interval
) -> tuple[Hop, VpcPeering | None]:
    """The source subnet's route for the destination, and the connection it names (if any)."""
    choice = net.route(src_subnet, atom)
    table, route = _table(choice, src_subnet), choice.route
    if route is not None and route.target == "other":
        return _unmodelled(table, "route", _route_text(choice)), None
    if route is not None and route.target == "peering":
        found = net.arch.find(route.target_id)
        if not isinstance(found, VpcPeering):
            text = f"{_route_text(choice)}, a VPC peering connection discovery did not read"
            return _unmodelled(route.target_id, "vpc-peering", text), None
        allow = Hop(resource=table, kind="route", decision="allow", reason=_route_text(choice))
        return allow, found
    src_vpc = net.arch.subnet(src_subnet).vpc_id
    wanted = f"{atom_text(atom)} ({dst_vpc})"
    if route is None:
        reason = f"{table} has no route to {wanted}"
    elif route.target == "blackhole":
        reason = f"{_route_text(choice)}, a blackhole: the target is gone or not active"
    elif route.target == "local":
        reason = f"{_route_text(choice)}: the address is {src_vpc}'s own, not {dst_vpc}'s"
    else:
        reason = f"{_route_text(choice)}, which does not lead into {dst_vpc}"
    fix = (
        f"route {_vpc_cidrs(net, dst_vpc)} in {table} to an active peering connection between"
        f" {src_vpc} and {dst_vpc}"
    )
    return Hop(resource=table, kind="route", decision="deny", reason=reason, fix=fix), None


def _vpc_cidrs(net: Network, vpc_id: str) -> str:
    found = next((v for v in net.arch.vpcs if v.id == vpc_id), None)
    return ", ".join((found.cidr, *found.ipv6_cidrs)) if found else vpc_id


def side_cidrs(net: Network, connection: VpcPeering, vpc_id: str) -> tuple[str, ...]:
    """The blocks of `vpc_id` the connection carries (the VPC's own when none are listed)."""
    listed = (
        connection.requester_cidrs
        if vpc_id == connection.requester_vpc_id
        else connection.accepter_cidrs
    )
    if listed:
        return listed
    found = next((v for v in net.arch.vpcs if v.id == vpc_id), None)
    return (found.cidr, *found.ipv6_cidrs) if found else ()


def _other_side(connection: VpcPeering, vpc_id: str) -> str:
    if vpc_id == connection.requester_vpc_id:
        return connection.accepter_vpc_id
    return connection.requester_vpc_id


def _connection_hop(
    net: Network,
    connection: VpcPeering,
    src_vpc: str,
    dst_vpc: str,
    src_atom: Interval,
    dst_atom: Interval,
) -> Hop:
    """The connection is active, joins the two VPCs, and carries both addresses."""
    pcx = connection.id
    joins = f"{pcx} joins {connection.requester_vpc_id} and {connection.accepter_vpc_id}"

    def deny(reason: str, fix: str) -> Hop:
        return Hop(resource=pcx, kind="vpc-peering", decision="deny", reason=reason, fix=fix)

    if not connection.active:
        state = connection.status or "not active"
        return deny(
            f"{joins} but is {state}: it carries traffic only once accepted (active)",
            f"accept {pcx} as the owner of {connection.accepter_vpc_id}",
        )
    if src_vpc not in (connection.requester_vpc_id, connection.accepter_vpc_id):
        return deny(f"{joins}, not {src_vpc}", f"route to a peering connection of {src_vpc}")
    peer = _other_side(connection, src_vpc)
    if peer != dst_vpc:
        return deny(
            f"{joins}: it delivers only into {peer}, never on to {dst_vpc} through it"
            f" (no transitive peering: {BASICS})",
            f"peer {src_vpc} with {dst_vpc} directly and route {_vpc_cidrs(net, dst_vpc)}"
            " to that connection",
        )
    for vpc_id, atom in ((dst_vpc, dst_atom), (src_vpc, src_atom)):
        carried = side_cidrs(net, connection, vpc_id)
        if not any(contains(cidr, atom) for cidr in carried):
            blocks = ", ".join(carried) or "no block"
            return deny(
                f"{pcx} carries only {blocks} of {vpc_id}, and {atom_text(atom)} is outside them",
                f"place the endpoint in a block of {vpc_id} that {pcx} carries ({blocks})",
            )
    reason = (
        f"{joins} and is active: it carries {atom_text(dst_atom)} into {dst_vpc} and"
        f" {atom_text(src_atom)} back into {src_vpc}"
    )
    return Hop(resource=pcx, kind="vpc-peering", decision="allow", reason=reason)


def _route_back(
    net: Network, dst_subnet: str, src_vpc: str, src_atom: Interval, connection: VpcPeering
) -> Hop:
    """The destination subnet's table sends replies to the source through the same connection."""
    choice = net.route(dst_subnet, src_atom)
    table, route = _table(choice, dst_subnet), choice.route
    text = _route_text(choice)
    if route is not None and route.target == "other":
        return _unmodelled(table, "return-route", text)
    if route is not None and route.target == "peering" and route.target_id == connection.id:
        return Hop(resource=table, kind="return-route", decision="allow", reason=text)
    wanted = atom_text(src_atom)
    reason = f"replies to {wanted} ({src_vpc}) do not go back through {connection.id}: {text}"
    if route is None:
        reason = f"replies to {wanted} ({src_vpc}) have no route back: {text}"
    return Hop(
        resource=table,
        kind="return-route",
        decision="deny",
        reason=reason,
        fix=f"route {_vpc_cidrs(net, src_vpc)} to {connection.id} in {table}",
    )


def edge_hops(net: Network, subnet_id: str, choice: RouteChoice, *, why: str) -> list[Hop]:
    """A route to a peering connection for an internet address: the peer's internet gateway or
    NAT gateway is never used through a peering (no edge-to-edge routing)."""
    table, route = _table(choice, subnet_id), choice.route
    assert route is not None
    found = net.arch.find(route.target_id)
    peer = (
        f"{found.requester_vpc_id} and {found.accepter_vpc_id}"
        if isinstance(found, VpcPeering)
        else "two VPCs"
    )
    vpc_id = net.arch.subnet(subnet_id).vpc_id
    return [
        Hop(resource=table, kind="route", decision="allow", reason=_route_text(choice)),
        Hop(
            resource=route.target_id,
            kind="vpc-peering",
            decision="deny",
            reason=(
                f"{route.target_id} joins {peer} only: traffic to or from the internet never"
                f" leaves through the peer's internet gateway or NAT gateway ({why}; no edge to"
                f" edge routing: {BASICS})"
            ),
            fix=(
                f"route {route.destination} in {table} to an internet gateway attached to"
                f" {vpc_id}, or to a NAT gateway of {vpc_id}"
            ),
        ),
    ]
