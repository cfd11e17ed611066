"""SEC008: servers behind a load balancer have no public address."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at

DOCS = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
    "application-load-balancers.html#load-balancer-scheme"
)


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    seen: set[str] = set()
    for group in arch.target_groups:
        for instance in arch.targets_of(group):
            public = instance.has_public_ip or any(
                nic.has_public_ip for nic in instance.secondary_interfaces
            )
            if public and instance.id not in seen:
                seen.add(instance.id)
                yield (
                    instance.id,
                    f"instance {instance.name} is a target of {group.name} and has a public IP"
                    " — move its server group to a private tier: the load balancer reaches it"
                    " over its private address",
                    at(arch, instance.id, "tier"),
                )


RULE = Rule(
    id="SEC008",
    title="Servers behind a load balancer have no public IP",
    rationale=(
        "A load balancer reaches its targets over private addresses; a public IP on a target"
        " is a second way in that bypasses the listener, its TLS and its security group."
    ),
    severity="error",
    check=check,
    fix="Put servers behind a load balancer in a private tier, without public addresses.",
    docs=DOCS,
)
