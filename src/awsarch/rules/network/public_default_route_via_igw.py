"""NET007: public subnets send their default route (0.0.0.0/0) to an attached internet gateway."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path, Route, Subnet
from awsarch.rules.base import Rule
from awsarch.rules.routes import (
    DEFAULT,
    default_route_problem,
    subnets_with_problems,
)


def _gateway_problem(arch: Architecture, subnet: Subnet, route: Route) -> str | None:
    attached = {igw.id for igw in arch.internet_gateways if igw.vpc_id == subnet.vpc_id}
    if route.target_id not in attached:
        return (
            f"sends {DEFAULT} to internet gateway {route.target_id or '?'}, which is not"
            " attached to its VPC"
        )
    return None


def _problem(arch: Architecture, subnet: Subnet) -> str | None:
    """What is wrong with the subnet's default route, or None when it reaches an attached IGW."""
    return default_route_problem(arch, subnet, "internet-gateway", _gateway_problem)


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    fix = f"route {DEFAULT} to the internet gateway attached to the VPC"
    return subnets_with_problems(arch, "public", _problem, fix)


RULE = Rule(
    id="NET007",
    title="Public subnets route 0.0.0.0/0 to an attached internet gateway",
    rationale=(
        "A subnet is public only when its route table sends internet traffic to an internet"
        " gateway attached to its VPC; otherwise its web servers and NAT gateway are cut off."
    ),
    severity="error",
    check=check,
    fix=(
        "Route 0.0.0.0/0 of every public subnet's route table to an internet gateway attached"
        " to the VPC."
    ),
    docs="https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html",
)
