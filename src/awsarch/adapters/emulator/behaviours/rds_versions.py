"""RDS reports the full engine version it created, refuses changes to a stopped database, and
keeps the subnets a database runs in inside its subnet group (and the group, once modified).

CreateDBInstance with `EngineVersion: "8.0"` creates the default minor version of that major
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html), and
DescribeDBInstances answers that full version (`8.0.40`). ModifyDBInstance on a stopped database
answers `InvalidDBInstanceState`
(https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from awsarch.adapters.emulator.behaviours.backends import rds_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, enabled, query_error

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

    def install(self) -> None:
        """ModifyDBSubnetGroup changes the group, which stays (moto forgets it)."""
        from moto.rds.models import RDSBackend

        original = RDSBackend.modify_db_subnet_group
        if getattr(original, "_awsarch", False):
            return

        def modify(backend: Any, subnet_name: str, description: Any, subnets: Any) -> Any:
            group = original(backend, subnet_name, description, subnets)
            if enabled(self.name):
                backend.subnet_groups[subnet_name] = group
            return group

        modify._awsarch = True  # type: ignore[attr-defined]
        RDSBackend.modify_db_subnet_group = modify  # type: ignore[assignment,method-assign]

    def before(self, call: Call) -> Answer | None:
        if call.action == "ModifyDBSubnetGroup":
            return _subnets_in_use(call)
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
                asked = str(database.engine_version)
                full = DEFAULT_MINOR.get((database.engine, asked))
                if full:
                    database.engine_version = full
                    return dataclasses.replace(answer, body=_reported(answer.body, asked, full))
        return answer


def _reported(body: bytes, asked: str, full: str) -> bytes:
    """The answer to the call itself reports the full version too."""
    tag = b"<EngineVersion>%s</EngineVersion>"
    return body.replace(tag % asked.encode(), tag % full.encode())


def _subnets_in_use(call: Call) -> Answer | None:
    """ModifyDBSubnetGroup may not drop a subnet a database of the group runs in (its primary's
    zone, and its standby's for Multi-AZ): AWS answers `InvalidSubnet`
    (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBSubnetGroup.html)."""
    rds = rds_backend(call.region)
    name = call.params.get("DBSubnetGroupName", "").lower()
    group = rds.subnet_groups.get(name)
    if group is None:
        return None
    kept = set(call.listed("SubnetIds.SubnetIdentifier"))
    zones = {s["SubnetIdentifier"]: s["SubnetAvailabilityZone"]["Name"] for s in group.subnets}
    used: set[str] = set()
    for database in rds.databases.values():
        group_of = getattr(database, "db_subnet_group", None)
        if group_of is not None and group_of.name.lower() == name:
            used |= _zones_of(database, sorted(set(zones.values())))
    in_use = sorted(s for s, zone in zones.items() if s not in kept and zone in used)
    if not in_use:
        return None
    return query_error(
        "InvalidSubnet", f"Some of the subnets to be deleted are currently in use: {in_use[0]}"
    )


def _zones_of(database: Any, group_zones: list[str]) -> set[str]:
    """The primary's zone, and for Multi-AZ the standby's (the group's first other zone)."""
    zones = {database.availability_zone}
    if database.multi_az:
        zones |= set([z for z in group_zones if z != database.availability_zone][:1])
    return zones
