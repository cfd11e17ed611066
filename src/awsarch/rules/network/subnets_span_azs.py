"""NET003: the subnets span at least two availability zones (per tier when tiers are known)."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path, Subnet
from awsarch.rules.base import Rule, at

MIN_AZS = 2


def _spreads(arch: Architecture) -> dict[tuple[str, str], list[Subnet]]:
    """Subnets by (VPC, tier); subnets of no known tier are grouped per VPC."""
    spreads: dict[tuple[str, str], list[Subnet]] = {}
    for subnet in arch.subnets:
        spreads.setdefault((subnet.vpc_id, subnet.tier), []).append(subnet)
    return spreads


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for (vpc_id, tier), subnets in _spreads(arch).items():
        zones = sorted({subnet.az for subnet in subnets})
        if len(zones) >= MIN_AZS:
            continue
        what = f"tier {tier}" if tier else f"VPC {vpc_id}"
        yield (
            vpc_id,
            f"the subnets of {what} are all in {', '.join(zones)} — spread them over at least"
            f" {MIN_AZS} availability zones (network.azs: 2 or more)",
            at(arch, subnets[0].id),
        )


RULE = Rule(
    id="NET003",
    title="Subnets span at least two availability zones",
    rationale=(
        "An availability zone can fail as a whole; servers, NAT and database standby need"
        " somewhere else to run, and a tier in one zone has nowhere."
    ),
    severity="warning",
    check=check,
    fix=("Set network.azs: 2 or more, so every tier has a subnet in a second Availability Zone."),
    docs="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-example-private-subnets-nat.html",
)
