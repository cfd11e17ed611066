"""DATA001: every subnet of the database's subnet group has no route to an internet gateway."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for db in arch.databases:
        group = arch.subnet_group(db.subnet_group_id)
        for subnet_id in group.subnet_ids:
            if arch.routes_to_internet_gateway(subnet_id):
                name = arch.subnet(subnet_id).name
                yield (
                    db.id,
                    f"database {db.name} can be placed in subnet {name}, whose route table"
                    " reaches an internet gateway — put the database in a private tier",
                    at(arch, db.id, "tier"),
                )


RULE = Rule(
    id="DATA001",
    title="The database lives only in subnets with no route to an internet gateway",
    rationale=(
        "RDS may run the primary or the standby in any subnet of the DB subnet group, and a"
        " failover moves it; a subnet routed to an internet gateway puts the data one"
        " setting (public access) away from the internet."
    ),
    severity="error",
    check=check,
    fix=(
        "Put the database in a private or isolated tier, whose route tables have no route to "
        "an internet gateway."
    ),
    docs=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html"
    ),
)
