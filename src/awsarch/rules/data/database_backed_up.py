"""DATA007: the database has automated backups."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for db in arch.databases:
        if db.backup_retention_days <= 0:
            yield (
                db.id,
                f"database {db.name} has automated backups turned off (retention 0 days)"
                " — set backup_days: 7 or more",
                at(arch, db.id, "backup_days"),
            )


RULE = Rule(
    id="DATA007",
    title="The database has automated backups",
    rationale=(
        "With a retention of 0 days RDS takes no automated backups and offers no"
        " point-in-time restore: a bad write or a dropped table is unrecoverable."
    ),
    severity="error",
    check=check,
    fix=(
        "Set backup_days to 1 or more (7 or more recommended) for automated backups and "
        "point-in-time restore."
    ),
    docs=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html"
    ),
)
