"""The hop a connection to a load balancer ends at: a listener on its port, or none.

An Application Load Balancer accepts connections only on the ports its listeners listen on, and
each listener either forwards requests to a target group or answers them itself (a redirect)
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html).
The connection from the client ends there: what reaches the targets is a new connection, proved
on its own (see `through.py`).
"""

from __future__ import annotations

from awsarch.analysis.endpoints import Placement, balancer_name
from awsarch.analysis.hops import Hop, Step
from awsarch.analysis.network import Network
from awsarch.analysis.sets import Services
from awsarch.model import Architecture, Listener, LoadBalancer, PortRange, TargetGroup


def listener_services(listener: Listener) -> Services:
    """HTTP and HTTPS listeners take TCP connections on their port."""
    return Services.of("tcp", PortRange.single(listener.port))


def listener_text(arch: Architecture, lb: LoadBalancer, listener: Listener) -> str:
    """`listener front:443 (HTTPS) → target group shop-front:8080`, or where it redirects."""
    head = f"listener {balancer_name(arch, lb)}:{listener.port} ({listener.protocol})"
    if listener.target_group_id:
        group = arch.find(listener.target_group_id)
        if isinstance(group, TargetGroup):
            return f"{head} → target group {group.name}:{group.port}"
        return f"{head} → target group {listener.target_group_id}, which does not exist"
    if listener.redirect_port is not None:
        return f"{head} redirects to HTTPS on {listener.redirect_port}"
    return f"{head} forwards nowhere"


def listener_step(net: Network, node: Placement) -> Step:
    """The load balancer's listeners: only their ports are accepted."""

    def step(wanted: Services) -> tuple[Services, Hop]:
        key = ("listener", node.balancer, wanted)
        return net.remember(key, lambda: _listener_decision(net.arch, node.balancer, wanted))

    return step


def _listener_decision(
    arch: Architecture, balancer_id: str, wanted: Services
) -> tuple[Services, Hop]:
    lb = arch.find(balancer_id)
    assert isinstance(lb, LoadBalancer)
    accepted, used = Services.none(), []
    for listener in lb.listeners:
        matched = wanted & listener_services(listener)
        if matched:
            accepted |= matched
            used.append(listener_text(arch, lb, listener))
    if accepted:
        return accepted, Hop(
            resource=lb.id, kind="listener", decision="allow", reason="; ".join(used)
        )
    name = balancer_name(arch, lb)
    have = ", ".join(f"{x.port} ({x.protocol})" for x in lb.listeners) or "none"
    return accepted, Hop(
        resource=lb.id,
        kind="listener",
        decision="deny",
        reason=f"no listener of {name} takes {wanted}: its listeners are on {have}",
        fix=f"add a listener for {wanted} to {name}",
    )
