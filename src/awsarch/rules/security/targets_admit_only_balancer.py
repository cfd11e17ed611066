"""SEC009: a target group's servers admit the target port from the load balancer's group only."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path, SecurityGroup, TargetGroup
from awsarch.rules.balancing import forwarders, label
from awsarch.rules.base import Rule, at

DOCS = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
    "load-balancer-update-security-groups.html"
)


def _target_groups(arch: Architecture, group: TargetGroup) -> list[SecurityGroup]:
    """The security groups of the target group's servers' primary interfaces."""
    ids = dict.fromkeys(g for i in arch.targets_of(group) for g in i.security_group_ids)
    return [g for g in map(arch.find, ids) if isinstance(g, SecurityGroup)]


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for target in arch.target_groups:
        balancers = forwarders(arch, target)
        allowed = {g for lb in balancers for g in lb.security_group_ids}
        names = ", ".join(label(arch, lb) for lb in balancers) or "its load balancer"
        for group in _target_groups(arch, target):
            for rule in group.ingress:
                covers = rule.ports.first <= target.port <= rule.ports.last
                if rule.protocol not in ("tcp", "all") or not covers:
                    continue
                if rule.peer.kind == "group" and rule.peer.value in allowed:
                    continue
                yield (
                    group.id,
                    f"security group {group.name} of the targets of {target.name} admits port"
                    f" {target.port} from {rule.peer.kind} {rule.peer.value} — admit it from"
                    f" the group of {names} only (drop the port from public_ports)",
                    at(arch, group.id),
                )


RULE = Rule(
    id="SEC009",
    title="Targets admit the target port from the load balancer's security group only",
    rationale=(
        "Servers behind a load balancer should be reachable through it alone: any other source"
        " on the target port skips the listener's TLS, its redirects and its access logs."
    ),
    severity="error",
    check=check,
    fix=(
        "Admit the target port on the targets' group only from the load balancer's security group."
    ),
    docs=DOCS,
)
