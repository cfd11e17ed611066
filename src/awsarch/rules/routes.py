"""Shared by NET006 and NET007: where a subnet's default route (0.0.0.0/0) goes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from awsarch.model import Architecture, Path, Route, Subnet, SubnetKind
from awsarch.rules.base import at

DEFAULT = "0.0.0.0/0"
TargetProblem = Callable[[Architecture, Subnet, Route], str | None]


def default_route_problem(
    arch: Architecture, subnet: Subnet, target: str, judge: TargetProblem
) -> str | None:
    """What is wrong with the subnet's default route, or None when it goes to `target` and
    `judge` finds nothing wrong with the target itself."""
    table = arch.route_table_of(subnet.id)
    if table is None:
        return "has no route table"
    route = next((r for r in table.routes if r.destination == DEFAULT), None)
    if route is None:
        return f"has no default route in route table {table.name}"
    if route.target != target:
        return f"sends {DEFAULT} to a {route.target} in route table {table.name}"
    return judge(arch, subnet, route)


def subnets_with_problems(
    arch: Architecture,
    kind: SubnetKind,
    problem: Callable[[Architecture, Subnet], str | None],
    fix: str,
) -> Iterator[tuple[str, str, Path]]:
    """A finding for every subnet of this kind whose default route is wrong."""
    for subnet in arch.subnets:
        if subnet.kind != kind:
            continue
        found = problem(arch, subnet)
        if found is not None:
            yield subnet.id, f"{kind} subnet {subnet.name} {found} — {fix}", at(arch, subnet.id)
