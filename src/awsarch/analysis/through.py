"""Proofs through a load balancer: `internet -> app:8080 via front`.

An Application Load Balancer ends the client's connection at a listener and opens a new one from
its own network interface to a registered target, on the target group's port; with cross-zone
load balancing (always on for an ALB) any node may pick any target, and it checks the targets'
health on the health-check port
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/how-elastic-load-balancing-works.html,
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html).

So the claim holds when the source reaches a listener that forwards to a target group whose
targets are the destination's instances, on the port asked, and every node of the load balancer
(one per zone) reaches every target on the target group's ports. Each path shown is one source,
one node and one target: the client's connection, the listener and target group, then the
node's own connection.
"""

from __future__ import annotations

from awsarch.analysis.endpoints import (
    Endpoint,
    Placement,
    UnknownEndpointError,
    balancer_endpoint,
    balancer_name,
    balancer_names,
    classes,
    find_balancer,
    instance_placement,
    owner_of,
)
from awsarch.analysis.hops import Hop
from awsarch.analysis.listeners import listener_services, listener_text
from awsarch.analysis.network import Network
from awsarch.analysis.reach import evaluate_pair
from awsarch.analysis.sets import Services
from awsarch.analysis.verdict import PathResult, Verdict, classify
from awsarch.model import Architecture, Instance, Listener, LoadBalancer, PortRange, TargetGroup
from awsarch.record import record


@record
class Through:
    """What the proof goes through: the load balancer, one of its listeners, the target group
    it forwards to (None when it forwards nowhere, or to a group that does not exist)."""

    name: str
    lb: LoadBalancer
    listener: Listener
    group: TargetGroup | None


def reach_through(
    net: Network, source: Endpoint, destination: Endpoint, via: str, services: Services | None
) -> Verdict:
    """The verdict through the listener that serves the claim best: the first that passes,
    else the one that got furthest (one that forwards to a target group on the port asked)."""
    arch = net.arch
    lb = find_balancer(arch, via)
    if lb is None:
        known = ", ".join(balancer_names(arch)) or "none in this architecture"
        raise UnknownEndpointError(
            f"unknown load balancer {via!r} after 'via' — use one of {known}"
        )
    if not lb.listeners:
        return _no_listener(net, source, destination, via, lb, services)
    ways = sorted(
        (_through(arch, via, lb, x) for x in lb.listeners), key=lambda t: _rank(t, services)
    )
    verdicts = [_verdict(net, source, destination, way, services) for way in ways]
    return next((v for v in verdicts if v.verdict == "reachable"), verdicts[0])


def _through(arch: Architecture, via: str, lb: LoadBalancer, listener: Listener) -> Through:
    group = arch.find(listener.target_group_id) if listener.target_group_id else None
    found = group if isinstance(group, TargetGroup) else None
    return Through(name=via, lb=lb, listener=listener, group=found)


def _rank(way: Through, services: Services | None) -> int:
    if way.group is None:
        return 2
    return 0 if services is None or _target_services(way.group).covers(services) else 1


def _target_services(group: TargetGroup) -> Services:
    return Services.of("tcp", PortRange.single(group.port))


def _all_ports(group: TargetGroup) -> Services:
    """Traffic and health checks: every port the nodes must reach the targets on."""
    found = Services.none()
    for port in group.ports:
        found |= Services.of("tcp", PortRange.single(port))
    return found


def _verdict(
    net: Network,
    source: Endpoint,
    destination: Endpoint,
    way: Through,
    services: Services | None,
) -> Verdict:
    query = services or (_target_services(way.group) if way.group else Services.of("tcp"))
    nodes = balancer_endpoint(way.name, way.lb).placements
    targets = _targets(net.arch, destination, way.group)
    paths = tuple(
        _path(net, src, node, dst, way, query, is_target)
        for src in source.placements
        for node in nodes
        for dst, is_target in targets
    )
    return _make(source, destination, way.name, query, services is not None, paths)


def _make(
    source: Endpoint,
    destination: Endpoint,
    via: str,
    query: Services,
    port_given: bool,
    paths: tuple[PathResult, ...],
) -> Verdict:
    reachable = Services.none()
    for path in paths:
        reachable |= path.allowed
    return Verdict(
        verdict=classify(paths),
        source=source.name,
        destination=destination.name,
        via=via,
        query=query,
        port_given=port_given,
        reachable=reachable,
        paths=paths,
    )


def _targets(
    arch: Architecture, destination: Endpoint, group: TargetGroup | None
) -> list[tuple[Placement, bool]]:
    """The destination's instances as the load balancer sees them, on their primary interface
    (a target registered by instance id gets traffic on its primary private address), each
    marked whether the target group sends to it; anything else of the destination is not."""
    registered = {i.id for i in arch.targets_of(group)} if group is not None else set()
    owners = dict.fromkeys(owner_of(m) for p in destination.placements for m in p.members)
    instances = [i for o in owners if isinstance(i := arch.find(o), Instance)]
    found = [
        (p, sends)
        for sends in (True, False)
        for p in classes(instance_placement(i) for i in instances if (i.id in registered) == sends)
    ]
    others = [p for p in destination.placements if not set(p.members) & {i.id for i in instances}]
    found += [(p, False) for p in others]
    return found


def _path(
    net: Network,
    src: Placement,
    node: Placement,
    dst: Placement,
    way: Through,
    query: Services,
    is_target: bool,
) -> PathResult:
    """One source, one node of the load balancer, one target."""
    front = evaluate_pair(net, src, node, listener_services(way.listener))
    hops = front.hops
    if not front.reachable:
        return PathResult(source=src, destination=dst, via=node, allowed=front.allowed, hops=hops)
    forward = _forward_hop(net.arch, way, dst, query, is_target)
    hops += (forward,)
    if forward.decision != "allow" or way.group is None:
        return PathResult(source=src, destination=dst, via=node, allowed=Services.none(), hops=hops)
    wanted = _all_ports(way.group)
    back = evaluate_pair(net, node, dst, wanted)
    if back.reachable and not back.allowed.covers(wanted):
        back = evaluate_pair(net, node, dst, wanted - back.allowed)  # the port that fails
    allowed = query if back.allowed.covers(wanted) else Services.none()
    return PathResult(
        source=src,
        destination=dst,
        via=node,
        allowed=allowed,
        hops=(*hops, *back.hops),
        addresses=front.addresses,
    )


def _forward_hop(
    arch: Architecture, way: Through, dst: Placement, query: Services, is_target: bool
) -> Hop:
    """The listener forwards to a target group that sends the asked port to this target."""
    said = listener_text(arch, way.lb, way.listener)
    group = way.group
    name = balancer_name(arch, way.lb)
    members = ", ".join(dst.members)
    if group is None:
        return Hop(
            resource=way.lb.id,
            kind="listener",
            decision="deny",
            reason=f"{said}: it forwards nothing to {members}",
            fix=f"forward {name}:{way.listener.port} to a target group of {members}",
        )
    ports = _target_services(group)
    if not ports.covers(query):
        return Hop(
            resource=group.id,
            kind="target-group",
            decision="deny",
            reason=f"{said}: target group {group.name} sends {ports}, not {query}",
            fix=f"set the port of target group {group.name} to {query}",
        )
    if not is_target:
        return Hop(
            resource=group.id,
            kind="target-group",
            decision="deny",
            reason=f"target group {group.name} of {said}: {members} is not among its targets",
            fix=f"register {members} with target group {group.name}, or attach its Auto"
            " Scaling group to it",
        )
    health = group.health_check_port or group.port
    reason = (
        f"target group {group.name} sends {ports} to {members}; health checks"
        f" {group.health_check_path} on tcp/{health}"
    )
    return Hop(resource=group.id, kind="target-group", decision="allow", reason=reason)


def _no_listener(
    net: Network,
    source: Endpoint,
    destination: Endpoint,
    via: str,
    lb: LoadBalancer,
    services: Services | None,
) -> Verdict:
    hop = Hop(
        resource=lb.id,
        kind="listener",
        decision="deny",
        reason=f"{via} has no listener: it accepts no connection",
        fix=f"add an HTTPS listener to {via} forwarding to a target group",
    )
    query = services or Services.of("tcp")
    paths = tuple(
        PathResult(source=src, destination=dst, allowed=Services.none(), hops=(hop,))
        for src in source.placements
        for dst in destination.placements
    )
    return _make(source, destination, via, query, services is not None, paths)
