"""NET002: no two subnets of a VPC overlap."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from awsarch.model import Architecture, Path, Subnet
from awsarch.rules.base import Rule, at


def _overlap(first: Subnet, second: Subnet) -> bool:
    a = ipaddress.ip_network(first.cidr, strict=False)
    b = ipaddress.ip_network(second.cidr, strict=False)
    return a.version == b.version and a.overlaps(b)


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    subnets = arch.subnets
    for index, subnet in enumerate(subnets):
        earlier = (
            other
            for other in subnets[:index]
            if other.vpc_id == subnet.vpc_id and _overlap(other, subnet)
        )
        clash = next(earlier, None)
        if clash is not None:
            yield (
                subnet.id,
                f"subnet {subnet.name} ({subnet.cidr}) overlaps subnet {clash.name}"
                f" ({clash.cidr}) — give each subnet its own block",
                at(arch, subnet.id, "cidrs"),
            )


RULE = Rule(
    id="NET002",
    title="Subnets do not overlap",
    rationale=(
        "Two subnets of one VPC cannot share addresses: AWS refuses the second, and"
        " routing and network ACLs could not tell them apart."
    ),
    severity="error",
    check=check,
    fix=(
        "Give each subnet a CIDR block of its own (leave cidrs out and awsarch plans them "
        "without overlap)."
    ),
    docs="https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
)
