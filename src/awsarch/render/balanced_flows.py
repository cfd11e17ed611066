"""The load balancer's arrows, read from its structure: internet → listener, listener → targets.

Pure. An Application Load Balancer ends the client's connection at a listener and opens a new
one to a registered target on the target group's port (traffic and health checks)
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/introduction.html), so the
diagram draws two hops, never a straight internet → server arrow:

- the internet → an internet-facing load balancer, on the listener ports its own groups open to
  0.0.0.0/0, when one of its subnets routes to an attached internet gateway (an internet-facing
  load balancer takes public addresses in those subnets;
  https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-scheme);
- the load balancer → each target of each target group a listener forwards to, on
  `TargetGroup.ports`.

Both the intended and the proved diagram use these until the proofs cover load balancers.
"""

from __future__ import annotations

from awsarch.model import Architecture, AutoScalingGroup, LoadBalancer
from awsarch.render.flow import INTERNET, Flow

__all__ = ["asg_label", "balancer_flows", "listener_text", "short_name"]


def short_name(resource_id: str, name: str) -> str:
    """The blueprint's own name for an owned resource (`lb/front` → front), else its name."""
    kind, slash, rest = resource_id.partition("/")
    return rest if slash and kind in ("lb", "asg", "tg") and "/" not in rest else name


def listener_text(lb: LoadBalancer) -> str:
    """`HTTPS 443, HTTP 80→443`: each listener's protocol and port, a redirect with its port."""
    parts = []
    for listener in lb.listeners:
        text = f"{listener.protocol} {listener.port}"
        if listener.redirect_port is not None:
            text += f"→{listener.redirect_port}"
        parts.append(text)
    return ", ".join(parts)


def asg_label(arch: Architecture, group_id: str) -> tuple[str, str]:
    """(`asg app · 2–6`, `desired 2`) for an Auto Scaling group."""
    group: AutoScalingGroup = arch.get(group_id)
    name = group.server_group or short_name(group.id, group.name)
    return f"asg {name} · {group.min_size}–{group.max_size}", f"desired {group.desired}"


def balancer_flows(arch: Architecture) -> list[Flow]:
    """Internet → each internet-facing load balancer, then it → its targets, in model order;
    nothing for a load balancer in none of the model's subnets (the diagram cannot place it)."""
    flows: list[Flow] = []
    for lb in arch.load_balancers:
        if not any(arch.find(subnet_id) is not None for subnet_id in lb.subnet_ids):
            continue  # not drawn: it has no subnet in the model
        ports = _open_listener_ports(arch, lb)
        if ports and _routed(arch, lb):
            label = ", ".join(str(p) for p in ports)
            flows.append(Flow(source_id=INTERNET, destination_id=lb.id, label=label))
        flows += _to_targets(arch, lb)
    return flows


def _routed(arch: Architecture, lb: LoadBalancer) -> bool:
    if not lb.internet_facing:
        return False
    return any(
        arch.find(subnet_id) is not None and arch.routes_to_internet_gateway(subnet_id)
        for subnet_id in lb.subnet_ids
    )


def _open_listener_ports(arch: Architecture, lb: LoadBalancer) -> list[int]:
    """Listener ports, ascending, that the load balancer's groups admit from 0.0.0.0/0."""
    rules = [
        rule
        for group_id in lb.security_group_ids
        if arch.find(group_id) is not None
        for rule in arch.security_group(group_id).ingress
        if rule.peer.kind == "cidr" and rule.peer.value == "0.0.0.0/0"
    ]
    return sorted(
        {
            listener.port
            for listener in lb.listeners
            for rule in rules
            if rule.protocol == "all"
            or (rule.protocol == "tcp" and rule.ports.first <= listener.port <= rule.ports.last)
        }
    )


def _to_targets(arch: Architecture, lb: LoadBalancer) -> list[Flow]:
    """Targets of the forwarding listeners' groups, labelled with the groups' ports."""
    ports: dict[str, list[int]] = {}
    forwarded = {listener.target_group_id for listener in lb.listeners}
    for group in arch.target_groups:
        if group.id not in forwarded:
            continue
        for target in arch.targets_of(group):
            known = ports.setdefault(target.id, [])
            known += [p for p in group.ports if p not in known]
    return [
        Flow(source_id=lb.id, destination_id=inst.id, label=", ".join(map(str, ports[inst.id])))
        for inst in arch.instances
        if inst.id in ports
    ]
