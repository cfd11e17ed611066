"""DATA002: the database is not publicly accessible."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for db in arch.databases:
        if db.publicly_accessible:
            yield (
                db.id,
                f"database {db.name} is publicly accessible — set publicly_accessible: false"
                " and reach it from the servers' security group",
                at(arch, db.id, "publicly_accessible"),
            )


RULE = Rule(
    id="DATA002",
    title="The database is not publicly accessible",
    rationale=(
        "A publicly accessible database gets a public DNS name and address; only the"
        " application servers should ever connect to it."
    ),
    severity="error",
    check=check,
    fix="Set publicly_accessible: false, so the database has no public address.",
    docs=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding"
    ),
)
