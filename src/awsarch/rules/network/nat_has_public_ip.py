"""NET005: every NAT gateway has a public (Elastic) IP address."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for nat in arch.nat_gateways:
        if not nat.has_public_ip:
            yield (
                nat.id,
                f"NAT gateway {nat.name} has no Elastic IP — allocate one and associate it"
                " with the gateway",
                at(arch, nat.id),
            )


RULE = Rule(
    id="NET005",
    title="Every NAT gateway has a public IP",
    rationale=(
        "A public NAT gateway translates private addresses to its Elastic IP; without one"
        " the private subnets have no way out."
    ),
    severity="error",
    check=check,
    fix="Allocate an Elastic IP and associate it with the NAT gateway when you create it.",
    docs="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
)
