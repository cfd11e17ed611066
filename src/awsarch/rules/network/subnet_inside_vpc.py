"""NET001: every subnet lies inside its VPC's CIDR block."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def _inside(inner: str, outer: str) -> bool:
    small = ipaddress.ip_network(inner, strict=False)
    large = ipaddress.ip_network(outer, strict=False)
    return small.version == large.version and small.subnet_of(large)  # type: ignore[arg-type]


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    vpcs = {vpc.id: vpc for vpc in arch.vpcs}
    for subnet in arch.subnets:
        vpc = vpcs.get(subnet.vpc_id)
        if vpc is None:
            yield (
                subnet.id,
                f"subnet {subnet.name} belongs to VPC {subnet.vpc_id}, which the architecture"
                " does not hold — create the VPC or remove the subnet",
                at(arch, subnet.id),
            )
        elif not _inside(subnet.cidr, vpc.cidr):
            yield (
                subnet.id,
                f"subnet {subnet.name} ({subnet.cidr}) lies outside its VPC {vpc.cidr}"
                " — pick a block inside the VPC's range",
                at(arch, subnet.id, "cidrs"),
            )


RULE = Rule(
    id="NET001",
    title="Subnets lie inside their VPC's CIDR",
    rationale=(
        "AWS only creates a subnet whose block is inside the VPC's; a plan that says"
        " otherwise cannot be deployed and its addresses would not route locally."
    ),
    severity="error",
    check=check,
    fix=("Give each subnet a CIDR block inside its VPC's (let awsarch plan it: leave cidrs out)."),
    docs="https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
)
