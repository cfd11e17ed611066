"""DATA009: the DB subnet group spans at least two availability zones."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at

MIN_AZS = 2


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for group in arch.db_subnet_groups:
        zones = {arch.subnet(subnet_id).az for subnet_id in group.subnet_ids}
        if len(zones) < MIN_AZS:
            listed = ", ".join(sorted(zones)) or "none"
            yield (
                group.id,
                f"DB subnet group {group.name} covers {len(zones)} availability zone(s)"
                f" ({listed}) — give its tier subnets in at least {MIN_AZS} zones"
                " (network.azs: 2 or more)",
                at(arch, group.id),
            )


RULE = Rule(
    id="DATA009",
    title="The DB subnet group spans at least two availability zones",
    rationale=(
        "RDS needs subnets in two zones to place a Multi-AZ standby (and refuses a subnet"
        " group with fewer); one zone means one zone's outage takes the data offline."
    ),
    severity="warning",
    check=check,
    fix="Put the database's tier in at least two Availability Zones (network.azs: 2 or more).",
    docs=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Subnets"
    ),
)
