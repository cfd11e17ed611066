"""Final snapshot names: readable, valid for RDS, and never the same twice."""

from __future__ import annotations

import re

from awsarch.blueprint.names import RDS_SNAPSHOT, problem
from awsarch.deploy.plan import snapshot_name
from awsarch.usecases.pace import timestamp
from tests.deploy.census import STACK, client
from tests.deploy.conftest import awsarch

NAME = re.compile(rf"^{STACK}-main-final-\d{{14}}-[a-z0-9]{{4}}$")


def test_names_in_one_second_differ_and_are_valid_rds_identifiers() -> None:
    """Two `down`s planned in the same second name different snapshots, each one a valid RDS
    snapshot identifier that says whose it is and when (to the second) it was taken."""
    names = {snapshot_name(STACK, "main", timestamp()) for _ in range(50)}
    assert len(names) == 50
    for name in names:
        assert NAME.match(name), name
        assert problem(name, RDS_SNAPSHOT) == ""


def test_down_up_down_keeps_two_final_snapshots(endpoint: str, blueprint: str) -> None:
    """`up` right after `down` builds the stack again on the same emulator, and the second
    `down` keeps a second final snapshot beside the first."""
    for verb in ("up", "down", "up", "down"):
        result = awsarch(verb, blueprint, "--yes", endpoint=endpoint)
        assert result.exit_code == 0, result.output
    rds = client("rds", endpoint)
    snapshots = rds.describe_db_snapshots(
        DBInstanceIdentifier=f"{STACK}-main", SnapshotType="manual"
    )["DBSnapshots"]
    names = sorted(s["DBSnapshotIdentifier"] for s in snapshots)
    assert len(set(names)) == 2, names
    assert all(NAME.match(n) for n in names), names
