"""DATA006: the database is protected from deletion."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for db in arch.databases:
        if not db.deletion_protection:
            yield (
                db.id,
                f"database {db.name} can be deleted by one API call — set"
                " deletion_protection: true",
                at(arch, db.id, "deletion_protection"),
            )


RULE = Rule(
    id="DATA006",
    title="The database is deletion-protected",
    rationale=(
        "Deletion protection makes deleting the database a deliberate two-step act, so a"
        " mistaken teardown or script cannot lose the data."
    ),
    severity="error",
    check=check,
    fix="Set deletion_protection: true (turn it off only to delete the database).",
    docs=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection"
    ),
)
