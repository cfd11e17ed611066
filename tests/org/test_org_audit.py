"""`awsarch audit --org` on the emulator: an organization of 12 accounts over 3 regions with
faults planted in some, one member that awsarch cannot get into; then the same audit in three
shards written to the emulator's S3 and merged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from click.testing import CliRunner, Result

from awsarch.adapters.emulator import Emulator
from awsarch.cli.main import cli
from tests.org.organization import (
    Org,
    build_org,
    console_user_without_mfa,
    imdsv1_instance,
    move_to_ou,
    open_database,
)

REGIONS = ("ap-northeast-2", "eu-west-1", "us-east-1")
HOME_REGION = "us-east-1"
BUCKET = "org-audits"


@dataclass
class Planted:
    org: Org
    database_group: str
    instance: str
    unsharded: dict[str, Any]
    exit_code: int


def awsarch(emulator: Emulator, *args: str) -> Result:
    target = ["--endpoint-url", emulator.endpoint_url, "--region", HOME_REGION]
    return CliRunner().invoke(cli, [*args, *target], catch_exceptions=False)


def audit_org(emulator: Emulator, *args: str) -> Result:
    return awsarch(emulator, "audit", "--org", "--regions", ",".join(REGIONS), *args)


@pytest.fixture(scope="module")
def planted(emulator: Emulator) -> Iterator[Planted]:
    """The organization, its faults, and the unsharded audit's JSON report."""
    emulator.reset()
    org = build_org(emulator.endpoint_url, 11, without_role=9)
    group = open_database(emulator.endpoint_url, org.members[0], "eu-west-1")
    instance = imdsv1_instance(emulator.endpoint_url, org.members[4], "us-east-1")
    console_user_without_mfa(emulator.endpoint_url, org.members[7])
    move_to_ou(org, "sound", org.members[1:3])
    result = audit_org(emulator, "--format", "json")
    yield Planted(
        org=org,
        database_group=group,
        instance=instance,
        unsharded=json.loads(result.stdout),
        exit_code=result.exit_code,
    )
    emulator.reset()


def _where(report: dict[str, Any], rule: str, resource: str) -> set[tuple[str, str]]:
    return {
        (u["account"], u["region"])
        for u in report["units"]
        for f in u["findings"]
        if f["rule"] == rule and f["resource"] == resource
    }


def test_each_fault_is_found_in_its_account_and_region(planted: Planted) -> None:
    """The open database, the IMDSv1 instance and the console user without MFA are each
    reported once, in the account and region where they were planted, and nowhere else."""
    report, members = planted.unsharded, planted.org.members
    assert report["summary"]["accounts"] == 12
    assert report["summary"]["units"] == 36
    assert _where(report, "SEC004", planted.database_group) == {(members[0], "eu-west-1")}
    assert _where(report, "DATA003", "orders") == {(members[0], "eu-west-1")}
    assert _where(report, "SEC002", planted.instance) == {(members[4], "us-east-1")}
    assert _where(report, "IAM104", "iam-user/alice") == {(members[7], "ap-northeast-2")}
    sound = {members[1], members[2], members[3]}
    assert not [f for u in report["units"] if u["account"] in sound for f in u["findings"]]


def test_a_member_without_the_role_is_reported_and_the_rest_audited(planted: Planted) -> None:
    """Its three units fail with AccessDenied and the reason; the other 33 are audited; the
    exit code says the audit is incomplete (4)."""
    report = planted.unsharded
    failed = [u for u in report["units"] if u["status"] == "failed"]
    assert {(u["account"], u["region"]) for u in failed} == {
        (planted.org.without_role, r) for r in REGIONS
    }
    assert all("AccessDenied" in u["reason"] for u in failed)
    assert report["summary"]["audited"] == 33
    assert planted.exit_code == 4


def test_three_shards_merged_from_s3_are_the_unsharded_report(
    planted: Planted, emulator: Emulator
) -> None:
    """`--shard 1/3 … 3/3 --output s3://…` then `audit merge s3://…` prints, byte for byte,
    what the unsharded run printed; each unit was written exactly once."""
    s3 = boto3.client("s3", endpoint_url=emulator.endpoint_url, region_name=HOME_REGION)
    s3.create_bucket(Bucket=BUCKET)
    prefix = f"s3://{BUCKET}/run-1/"
    for shard in ("1/3", "2/3", "3/3"):
        result = audit_org(emulator, "--shard", shard, "--output", prefix)
        assert result.exit_code in (0, 3, 4), result.output
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="run-1/")["Contents"]]
    assert len(keys) == 36
    merged = awsarch(emulator, "audit", "merge", prefix, "--format", "json")
    assert merged.exit_code == planted.exit_code
    assert merged.stdout == json.dumps(planted.unsharded, indent=2) + "\n"


def test_merged_sarif_places_each_result_in_its_account_and_region(
    planted: Planted, emulator: Emulator
) -> None:
    """The merged SARIF's open-database result names member 0 and eu-west-1."""
    merged = awsarch(emulator, "audit", "merge", f"s3://{BUCKET}/run-1/", "--format", "sarif")
    run = json.loads(merged.stdout)["runs"][0]
    placed = {
        (r["properties"]["account"], r["properties"]["region"])
        for r in run["results"]
        if r["ruleId"] == "SEC004"
    }
    assert placed == {(planted.org.members[0], "eu-west-1")}
    assert len(run["invocations"][0]["toolExecutionNotifications"]) == 3


def test_one_account_audit_is_unchanged_and_org_options_need_org(emulator: Emulator) -> None:
    """`awsarch audit` of one account works as before; --shard without --org is refused."""
    plain = awsarch(emulator, "audit", "--format", "json")
    assert plain.exit_code in (0, 3), plain.output
    assert "findings" in json.loads(plain.stdout)
    refused = awsarch(emulator, "audit", "--shard", "1/2")
    assert refused.exit_code == 2
    assert "--shard need --org" in refused.output


def test_ou_and_accounts_narrow_the_organization(planted: Planted, emulator: Emulator) -> None:
    """--ou audits only the accounts under it; an --accounts id outside the organization is
    an input error naming it."""
    ou = next(iter(planted.org.ous.values()))
    args = ("--org", "--ou", ou, "--regions", "us-east-1", "--format", "json")
    result = awsarch(emulator, "audit", *args)
    audited = {u["account"] for u in json.loads(result.stdout)["units"]}
    assert audited == set(planted.org.members[1:3])
    refused = awsarch(emulator, "audit", "--org", "--accounts", "000000000000")
    assert refused.exit_code == 2
    assert "--accounts 000000000000: not an active account" in refused.output
