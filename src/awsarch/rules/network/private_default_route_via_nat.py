"""NET006: private subnets send their default route (0.0.0.0/0) through a NAT gateway."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path, Route, Subnet
from awsarch.rules.base import Rule
from awsarch.rules.routes import (
    DEFAULT,
    default_route_problem,
    subnets_with_problems,
)


def _nat_problem(arch: Architecture, subnet: Subnet, route: Route) -> str | None:
    if route.target_id not in {nat.id for nat in arch.nat_gateways}:
        return f"sends {DEFAULT} to NAT gateway {route.target_id or '?'}, which does not exist"
    return None


def _problem(arch: Architecture, subnet: Subnet) -> str | None:
    """What is wrong with the subnet's default route, or None when it goes through a NAT."""
    return default_route_problem(arch, subnet, "nat-gateway", _nat_problem)


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    fix = f"route {DEFAULT} to a NAT gateway (network.nat: single or per-az)"
    return subnets_with_problems(arch, "private", _problem, fix)


RULE = Rule(
    id="NET006",
    title="Private subnets route 0.0.0.0/0 through a NAT gateway",
    rationale=(
        "A private subnet reaches out (updates, AWS APIs) only through a NAT gateway, which"
        " admits no connection from the internet; a direct internet route would make it public."
    ),
    severity="error",
    check=check,
    fix=(
        "Route 0.0.0.0/0 of every private subnet's route table to a NAT gateway (network.nat:"
        " single or per-az)."
    ),
    docs="https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-scenarios.html",
)
