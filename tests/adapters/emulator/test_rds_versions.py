"""rds_versions: full engine versions, no change to a stopped database, subnets in use kept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import botocore.exceptions
import pytest

from awsarch.adapters.emulator.behaviours.rds_versions import DEFAULT_MINOR
from tests.adapters.emulator.support import Pair, client, error_code, pair, unique


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("rds_versions")


def _database(rds: Any, version: str, **extra: Any) -> dict[str, Any]:
    database: dict[str, Any] = rds.create_db_instance(
        DBInstanceIdentifier=unique("db"),
        Engine="mysql",
        EngineVersion=version,
        DBInstanceClass="db.t3.micro",
        MasterUsername="admin",
        MasterUserPassword="password123",
        AllocatedStorage=20,
        **extra,
    )["DBInstance"]
    return database


@pytest.mark.parametrize("asked", ["8.0", "8"])
def test_a_major_version_is_created_as_its_full_default_version(
    emulators: Pair, asked: str
) -> None:
    """Asking for MySQL "8.0" (or "8") gives a database that reports 8.0.x, as RDS does."""
    rds = client(emulators.on, "rds")
    created = _database(rds, asked)
    assert created["EngineVersion"] == DEFAULT_MINOR[("mysql", "8.0")]
    [found] = rds.describe_db_instances(DBInstanceIdentifier=created["DBInstanceIdentifier"])[
        "DBInstances"
    ]
    assert found["EngineVersion"].startswith("8.0.")


def test_a_stopped_database_cannot_be_modified(emulators: Pair) -> None:
    """ModifyDBInstance on a stopped database is refused with InvalidDBInstanceState."""
    rds = client(emulators.on, "rds")
    ident = _database(rds, "8.0")["DBInstanceIdentifier"]
    rds.stop_db_instance(DBInstanceIdentifier=ident)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        rds.modify_db_instance(DBInstanceIdentifier=ident, DBInstanceClass="db.t3.small")
    assert error_code(refused) == "InvalidDBInstanceState"
    rds.start_db_instance(DBInstanceIdentifier=ident)
    rds.modify_db_instance(DBInstanceIdentifier=ident, DBInstanceClass="db.t3.small")


def _subnet_group(emulator: Any) -> tuple[str, list[str]]:
    ec2, rds = client(emulator, "ec2"), client(emulator, "rds")
    vpc = ec2.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
    zones = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.61.{i}.0/24", AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for i, zone in enumerate(zones)
    ]
    name = unique("subnets")
    rds.create_db_subnet_group(
        DBSubnetGroupName=name, DBSubnetGroupDescription="d", SubnetIds=subnets
    )
    return name, subnets


def test_a_subnet_a_database_uses_cannot_leave_its_subnet_group(emulators: Pair) -> None:
    """ModifyDBSubnetGroup refuses to drop the subnet the database runs in; others may go."""
    rds = client(emulators.on, "rds")
    name, subnets = _subnet_group(emulators.on)
    _database(rds, "8.0", DBSubnetGroupName=name, AvailabilityZone="ap-northeast-2a")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        rds.modify_db_subnet_group(DBSubnetGroupName=name, SubnetIds=subnets[1:])
    assert error_code(refused) == "InvalidSubnet"
    rds.modify_db_subnet_group(DBSubnetGroupName=name, SubnetIds=subnets[:2])


def test_without_it_moto_reports_the_version_it_was_given(emulators: Pair) -> None:
    """Switched off, the emulator is moto: "8.0" stays "8.0", a stopped database is modified."""
    rds = client(emulators.off, "rds")
    created = _database(rds, "8.0")
    assert created["EngineVersion"] == "8.0"
    rds.stop_db_instance(DBInstanceIdentifier=created["DBInstanceIdentifier"])
    rds.modify_db_instance(
        DBInstanceIdentifier=created["DBInstanceIdentifier"], DBInstanceClass="db.t3.small"
    )
