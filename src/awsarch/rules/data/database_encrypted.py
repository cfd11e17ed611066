"""DATA005: the database's storage is encrypted."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for db in arch.databases:
        if not db.storage_encrypted:
            yield (
                db.id,
                f"database {db.name} stores its data unencrypted — set encrypted: true"
                " (encryption can only be chosen when the database is created)",
                at(arch, db.id, "encrypted"),
            )


RULE = Rule(
    id="DATA005",
    title="The database's storage is encrypted",
    rationale=(
        "Encryption at rest covers the volumes, snapshots, backups and replicas; it cannot"
        " be turned on later without copying the data to a new database."
    ),
    severity="error",
    check=check,
    fix=(
        "Set encrypted: true (storage encryption is chosen at creation: restore an encrypted "
        "copy of a snapshot)."
    ),
    docs="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
)
