"""RDS reports the full engine version it created, and refuses changes to a stopped database.

CreateDBInstance with `EngineVersion: "8.0"` creates the default minor version of that major
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html), and
DescribeDBInstances answers that full version (`8.0.40`). ModifyDBInstance on a stopped database
answers `InvalidDBInstanceState`
(https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html).
"""

from __future__ import annotations

from awsarch.emulator.behaviours.backends import rds_backend
from awsarch.emulator.layer import Answer, Behaviour, Call, query_error

DEFAULT_MINOR = {
    ("mysql", "8"): "8.0.40",
    ("mysql", "8.0"): "8.0.40",
    ("mysql", "8.4"): "8.4.3",
    ("mariadb", "10.11"): "10.11.10",
    ("mariadb", "11.4"): "11.4.4",
    ("postgres", "15"): "15.10",
    ("postgres", "16"): "16.6",
    ("postgres", "17"): "17.2",
}
"""The default minor version RDS picks for a major version (as listed by
DescribeDBEngineVersions with DefaultOnly in late 2026)."""


class RdsVersions(Behaviour):
    name = "rds_versions"
    services = frozenset({"rds"})

    def before(self, call: Call) -> Answer | None:
        if call.action != "ModifyDBInstance":
            return None
        identifier = call.params.get("DBInstanceIdentifier", "")
        database = rds_backend(call.region).databases.get(identifier)
        if database is not None and database.status == "stopped":
            return query_error(
                "InvalidDBInstanceState", f"Instance {identifier} is not in available state."
            )
        return None

    def after(self, call: Call, answer: Answer) -> Answer:
        if call.action in ("CreateDBInstance", "ModifyDBInstance"):
            identifier = call.params.get("DBInstanceIdentifier", "")
            database = rds_backend(call.region).databases.get(identifier)
            if database is not None:
                full = DEFAULT_MINOR.get((database.engine, str(database.engine_version)))
                if full:
                    database.engine_version = full
        return answer
