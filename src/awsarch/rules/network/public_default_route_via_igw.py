"""NET007: public subnets send their default route (0.0.0.0/0) to an attached internet gateway."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path, Subnet
from awsarch.rules.base import Rule, at

DEFAULT = "0.0.0.0/0"


def _problem(arch: Architecture, subnet: Subnet) -> str | None:
    """What is wrong with the subnet's default route, or None when it reaches an attached IGW."""
    table = arch.route_table_of(subnet.id)
    if table is None:
        return "has no route table"
    route = next((r for r in table.routes if r.destination == DEFAULT), None)
    if route is None:
        return f"has no default route in route table {table.name}"
    if route.target != "internet-gateway":
        return f"sends {DEFAULT} to a {route.target} in route table {table.name}"
    attached = {igw.id for igw in arch.internet_gateways if igw.vpc_id == subnet.vpc_id}
    if route.target_id not in attached:
        return (
            f"sends {DEFAULT} to internet gateway {route.target_id or '?'}, which is not"
            " attached to its VPC"
        )
    return None


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for subnet in arch.subnets:
        if subnet.kind != "public":
            continue
        problem = _problem(arch, subnet)
        if problem is not None:
            yield (
                subnet.id,
                f"public subnet {subnet.name} {problem} — route {DEFAULT} to the internet"
                " gateway attached to the VPC",
                at(arch, subnet.id),
            )


RULE = Rule(
    id="NET007",
    title="Public subnets route 0.0.0.0/0 to an attached internet gateway",
    rationale=(
        "A subnet is public only when its route table sends internet traffic to an internet"
        " gateway attached to its VPC; otherwise its web servers and NAT gateway are cut off."
    ),
    severity="error",
    check=check,
)
