"""NET004: every NAT gateway sits in a public subnet."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for nat in arch.nat_gateways:
        if not arch.routes_to_internet_gateway(nat.subnet_id):
            name = arch.subnet(nat.subnet_id).name
            yield (
                nat.id,
                f"NAT gateway {nat.name} sits in subnet {name}, whose route table reaches no"
                " attached internet gateway — place it in a public subnet",
                at(arch, nat.id),
            )


RULE = Rule(
    id="NET004",
    title="Every NAT gateway sits in a public subnet",
    rationale=(
        "A public NAT gateway forwards private traffic through its own subnet's route"
        " table; without a route to an attached internet gateway nothing gets out."
    ),
    severity="error",
    check=check,
    fix=(
        "Place the NAT gateway in a public subnet, one whose route table sends 0.0.0.0/0 to "
        "the internet gateway."
    ),
    docs="https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-scenarios.html",
)
