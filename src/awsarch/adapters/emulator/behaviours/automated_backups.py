"""A new database never collides with the retained automated backups of a deleted one.

RDS names automated snapshots `rds:<instance>-<yyyy-mm-dd-hh-mm>`. A deleted instance's automated
backups can be retained (DeleteAutomatedBackups=false, which `down` asks for); they belong to that
instance's DbiResourceId, not to its name, so a new instance of the same name starts backups of its
own https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.Retaining.html
moto names the first automated snapshot by the minute at CreateDBInstance and refuses the whole
create with DBSnapshotAlreadyExists when the previous instance of that name was created in the
same minute: `up` right after `down` failed. Here the new snapshot takes the next free name.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.layer import Behaviour, enabled


class AutomatedBackups(Behaviour):
    name = "automated_backups"
    services = frozenset({"rds"})

    def install(self) -> None:
        from moto.rds.models import RDSBackend

        original = RDSBackend.create_auto_snapshot
        if getattr(original, "_awsarch", False):
            return
        name = self.name

        def create(backend: Any, db_instance_identifier: str, db_snapshot_identifier: str) -> Any:
            if enabled(name):
                db_snapshot_identifier = free_name(
                    db_snapshot_identifier, backend.database_snapshots
                )
            return original(backend, db_instance_identifier, db_snapshot_identifier)

        create._awsarch = True  # type: ignore[attr-defined]
        RDSBackend.create_auto_snapshot = create  # type: ignore[method-assign,assignment]


def free_name(wanted: str, taken: Any) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`… the first not in `taken`."""
    name, n = wanted, 1
    while name in taken:
        n += 1
        name = f"{wanted}-{n}"
    return name
