"""The life of a stack through the CLI on the emulator: up twice, drift and repair, down.

What was built and what remains is checked with plain boto3 describe calls.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.deploy.census import STACK, assert_converged, client, take
from tests.deploy.conftest import awsarch

OPEN_MYSQL = {
    "IpProtocol": "tcp",
    "FromPort": 3306,
    "ToPort": 3306,
    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
}
HTTPS = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


def _up(blueprint: str, endpoint: str) -> str:
    result = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 0, result.output
    return result.output


def _group_id(ec2: Any, name: str) -> str:
    tags = ec2.describe_tags(
        Filters=[
            {"Name": "key", "Values": ["awsarch:name"]},
            {"Name": "value", "Values": [name]},
            {"Name": "resource-type", "Values": ["security-group"]},
        ]
    )["Tags"]
    assert len(tags) == 1, tags
    return str(tags[0]["ResourceId"])


def _ingress(ec2: Any, group_id: str) -> list[tuple[str, int, str]]:
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    return sorted(
        (p["IpProtocol"], p["FromPort"], peer.get("CidrIp") or peer.get("GroupId", ""))
        for p in group["IpPermissions"]
        for peer in [*p.get("IpRanges", []), *p.get("UserIdGroupPairs", [])]
    )


def test_second_up_plans_nothing(endpoint: str, blueprint: str) -> None:
    """Running `up` again on a built stack changes nothing and says so."""
    _up(blueprint, endpoint)
    before = assert_converged(endpoint)
    output = _up(blueprint, endpoint)
    assert "no changes" in output
    assert "create" not in output and "update" not in output
    assert take(endpoint) == before


@pytest.mark.soak  # make demo runs the same drift and repair after make test
def test_drift_is_shown_by_plan_live_and_repaired_by_up(endpoint: str, blueprint: str) -> None:
    """A rule added by hand to the database's group and one removed from web's are shown by
    `plan --live`, put back by `up`, and the next plan is clean."""
    _up(blueprint, endpoint)
    ec2 = client("ec2", endpoint)
    web, db = _group_id(ec2, "sg/web"), _group_id(ec2, "sg/db-main")
    ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[OPEN_MYSQL])
    ec2.revoke_security_group_ingress(GroupId=web, IpPermissions=[HTTPS])

    planned = awsarch("plan", blueprint, "--live", endpoint=endpoint)
    assert planned.exit_code == 0, planned.output
    lines = planned.output.splitlines()
    assert any(
        "update sg/db-main" in line and "- tcp 3306 cidr 0.0.0.0/0" in line for line in lines
    )
    assert any("update sg/web" in line and "+ tcp 443 cidr 0.0.0.0/0" in line for line in lines)
    assert "2 to update" in planned.output

    repaired = _up(blueprint, endpoint)
    assert "0 drifted" in repaired
    assert _ingress(ec2, db) == [("tcp", 3306, web)]
    assert _ingress(ec2, web) == [("tcp", 80, "0.0.0.0/0"), ("tcp", 443, "0.0.0.0/0")]
    clean = awsarch("plan", blueprint, "--live", endpoint=endpoint)
    assert "no changes" in clean.output
    assert_converged(endpoint)


@pytest.mark.soak  # make demo checks the same after make test
def test_down_leaves_nothing_tagged_and_a_final_snapshot(endpoint: str, blueprint: str) -> None:
    """`down` deletes everything tagged with the stack, and keeps the database's final snapshot."""
    _up(blueprint, endpoint)
    result = awsarch("down", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 0, result.output

    census = take(endpoint)
    assert census.total == 0, census
    ec2 = client("ec2", endpoint)
    stack_filter = [{"Name": "tag:awsarch:stack", "Values": [STACK]}]
    assert ec2.describe_vpcs(Filters=stack_filter)["Vpcs"] == []
    assert ec2.describe_addresses(Filters=stack_filter)["Addresses"] == []
    rds = client("rds", endpoint)
    assert rds.describe_db_instances()["DBInstances"] == []
    iam = client("iam", endpoint)
    assert [r for r in iam.list_roles()["Roles"] if r["Path"].startswith("/awsarch/")] == []

    snapshots = rds.describe_db_snapshots(
        DBInstanceIdentifier=f"{STACK}-main", SnapshotType="manual"
    )["DBSnapshots"]
    assert len(snapshots) == 1, snapshots
    name = snapshots[0]["DBSnapshotIdentifier"]
    assert name.startswith(f"{STACK}-main-final-")
    assert snapshots[0]["Status"] == "available"
    assert f"final snapshot kept: {name}" in result.output
    assert "turning deletion protection off" in result.output
