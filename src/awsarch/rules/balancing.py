"""What the load-balancer rules share: who forwards to a target group, and under what name."""

from __future__ import annotations

from awsarch.model import Architecture, LoadBalancer, TargetGroup


def label(arch: Architecture, lb: LoadBalancer) -> str:
    """A load balancer as people name it: `front` for the blueprint's `lb/front`."""
    return arch.balancer_name(lb)


def forwarders(arch: Architecture, group: TargetGroup) -> tuple[LoadBalancer, ...]:
    """The load balancers with a listener that forwards to the target group."""
    return tuple(
        lb for lb in arch.load_balancers if any(x.target_group_id == group.id for x in lb.listeners)
    )


def balancer_group_ids(arch: Architecture) -> frozenset[str]:
    """Every security group some load balancer carries."""
    return frozenset(g for lb in arch.load_balancers for g in lb.security_group_ids)
