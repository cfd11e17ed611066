"""DATA008: the database keeps its automated backups for at least a week."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at

MIN_RETENTION_DAYS = 7


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for db in arch.databases:
        if 0 < db.backup_retention_days < MIN_RETENTION_DAYS:
            yield (
                db.id,
                f"database {db.name} keeps backups for only {db.backup_retention_days}"
                f" day(s) — set backup_days: {MIN_RETENTION_DAYS} or more",
                at(arch, db.id, "backup_days"),
            )


RULE = Rule(
    id="DATA008",
    title="The database keeps backups for at least 7 days",
    rationale=(
        "Problems are often noticed days after they happen (a weekend, a silent"
        " corruption); a week of point-in-time restore covers that."
    ),
    severity="warning",
    check=check,
    fix="Set backup_days: 7 or more (up to 35).",
    docs=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html"
    ),
)
