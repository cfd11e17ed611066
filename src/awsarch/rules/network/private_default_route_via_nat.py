"""NET006: private subnets send their default route (0.0.0.0/0) through a NAT gateway."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path, Subnet
from awsarch.rules.base import Rule, at

DEFAULT = "0.0.0.0/0"


def _problem(arch: Architecture, subnet: Subnet) -> str | None:
    """What is wrong with the subnet's default route, or None when it goes through a NAT."""
    table = arch.route_table_of(subnet.id)
    if table is None:
        return "has no route table"
    route = next((r for r in table.routes if r.destination == DEFAULT), None)
    if route is None:
        return f"has no default route in route table {table.name}"
    if route.target != "nat-gateway":
        return f"sends {DEFAULT} to a {route.target} in route table {table.name}"
    if route.target_id not in {nat.id for nat in arch.nat_gateways}:
        return f"sends {DEFAULT} to NAT gateway {route.target_id or '?'}, which does not exist"
    return None


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for subnet in arch.subnets:
        if subnet.kind != "private":
            continue
        problem = _problem(arch, subnet)
        if problem is not None:
            yield (
                subnet.id,
                f"private subnet {subnet.name} {problem} — route {DEFAULT} to a NAT gateway"
                " (network.nat: single or per-az)",
                at(arch, subnet.id),
            )


RULE = Rule(
    id="NET006",
    title="Private subnets route 0.0.0.0/0 through a NAT gateway",
    rationale=(
        "A private subnet reaches out (updates, AWS APIs) only through a NAT gateway, which"
        " admits no connection from the internet; a direct internet route would make it public."
    ),
    severity="error",
    check=check,
)
