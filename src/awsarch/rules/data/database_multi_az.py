"""DATA004: the database is Multi-AZ."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for db in arch.databases:
        if not db.multi_az:
            yield (
                db.id,
                f"database {db.name} runs in a single availability zone — set multi_az: true"
                " for a standby in a second zone and automatic failover",
                at(arch, db.id, "multi_az"),
            )


RULE = Rule(
    id="DATA004",
    title="The database is Multi-AZ",
    rationale=(
        "A Multi-AZ database keeps a synchronous standby in another availability zone and"
        " fails over to it when the primary's zone or host fails."
    ),
    severity="error",
    check=check,
    fix=("Set multi_az: true for a standby in a second Availability Zone and automatic failover."),
    docs=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html"
    ),
)
