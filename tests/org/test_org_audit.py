"""`awsarch audit --org` on the emulator: an organization of 12 accounts over 3 regions with
faults planted in some, one member that awsarch cannot get into; then the same audit in three
shards written to the emulator's S3 and merged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner, Result

from awsarch.adapters.aws.session import OPT_IN_REGIONS
from awsarch.adapters.emulator import Emulator
from awsarch.cli.main import cli
from tests.live.test_round_trip import seed_text
from tests.org.organization import (
    HOME,
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
    assert report["summary"]["units"] == 48  # 3 regions and the account's hygiene, each
    assert _where(report, "SEC004", planted.database_group) == {(members[0], "eu-west-1")}
    assert _where(report, "DATA003", "orders") == {(members[0], "eu-west-1")}
    assert _where(report, "SEC002", planted.instance) == {(members[4], "us-east-1")}
    assert _where(report, "IAM104", "iam-user/alice") == {(members[7], "global")}
    sound = {members[1], members[2], members[3]}
    assert not [f for u in report["units"] if u["account"] in sound for f in u["findings"]]


def test_a_member_without_the_role_is_reported_and_the_rest_audited(planted: Planted) -> None:
    """Its four units (three regions, its hygiene) fail with AccessDenied and the reason; the
    other 44 are audited; the exit code says the audit is incomplete (4)."""
    report = planted.unsharded
    failed = [u for u in report["units"] if u["status"] == "failed"]
    assert {(u["account"], u["region"]) for u in failed} == {
        (planted.org.without_role, r) for r in (*REGIONS, "global")
    }
    assert all("AccessDenied" in u["reason"] for u in failed)
    assert report["summary"]["audited"] == 44
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
    assert len(keys) == 48
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
    assert len(run["invocations"][0]["toolExecutionNotifications"]) == 4


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


def test_a_baseline_shows_only_new_findings(
    planted: Planted, emulator: Emulator, tmp_path: Path
) -> None:
    """`audit merge --write-baseline` saves every finding by account and region; with it as
    `--baseline`, the merged report and a new audit show none of them (counted as known), and
    a one-account baseline, which names no account, is refused."""
    known = tmp_path / "org-baseline.json"
    prefix = f"s3://{BUCKET}/run-1/"
    awsarch(emulator, "audit", "merge", prefix, "--write-baseline", str(known))
    total = sum(len(u["findings"]) for u in planted.unsharded["units"])
    merged = awsarch(
        emulator, "audit", "merge", prefix, "--baseline", str(known), "--format", "json"
    )
    summary = json.loads(merged.stdout)["summary"]
    assert (summary["errors"], summary["warnings"], summary["known"]) == (0, 0, total)
    assert merged.exit_code == 4  # the member without the role is still not audited
    member = planted.org.members[0]
    args = ("--org", "--accounts", member, "--regions", "eu-west-1", "--baseline", str(known))
    again = awsarch(emulator, "audit", *args)
    assert again.exit_code == 0, again.output
    assert "known not shown (baseline)" in again.stdout
    single = tmp_path / "one-account.json"
    single.write_text('{"baseline": 1, "findings": [{"rule": "SEC004", "resource": "sg-1"}]}')
    refused = awsarch(emulator, "audit", *args[:-1], str(single))
    assert refused.exit_code == 2
    assert "not an organization baseline" in refused.output


def _units(result: Result) -> dict[str, dict[str, Any]]:
    return {f"{u['account']}/{u['region']}": u for u in json.loads(result.stdout)["units"]}


def test_hygiene_is_reported_when_the_first_region_fails(
    planted: Planted, emulator: Emulator
) -> None:
    """af-south-1, not enabled in member 7, is its first region in name order: that unit fails
    saying so, and the account's hygiene (the console user without MFA) is reported all the
    same, from its own unit; exit 4."""
    member = planted.org.members[7]
    args = ("--org", "--accounts", member, "--regions", "af-south-1,us-east-1")
    result = awsarch(emulator, "audit", *args, "--format", "json")
    assert result.exit_code == 4
    units = _units(result)
    assert units[f"{member}/af-south-1"]["status"] == "failed"
    assert units[f"{member}/af-south-1"]["reason"].startswith(
        "region af-south-1 not enabled in this account"
    )
    hygiene = units[f"{member}/global"]
    assert [f["resource"] for f in hygiene["findings"] if f["rule"] == "IAM104"] == [
        "iam-user/alice"
    ]
    assert units[f"{member}/us-east-1"]["status"] == "audited"


def test_regions_all_audits_each_accounts_enabled_regions(
    planted: Planted, emulator: Emulator
) -> None:
    """`--regions all` asks each account which regions it has enabled: member 5, which enabled
    af-south-1, gets it audited; no other opt-in region, and no GovCloud or China one."""
    member = planted.org.members[5]
    opt_in = emulator.behaviour("opt_in_regions")
    opt_in.enable(member, "af-south-1")
    try:
        args = ("--org", "--accounts", member, "--regions", "all", "--parallel", "16")
        result = awsarch(emulator, "audit", *args, "--format", "json")
    finally:
        opt_in.disable(member, "af-south-1")
    assert result.exit_code == 0, result.output
    regions = {key.split("/")[1] for key in _units(result)}
    assert {"af-south-1", "global", "us-east-1", "eu-west-1"} <= regions
    assert not regions & (OPT_IN_REGIONS - {"af-south-1"})
    assert not [r for r in regions if r.startswith(("us-gov-", "cn-"))]


def test_a_result_that_cannot_be_written_fails_its_unit(
    planted: Planted, emulator: Emulator
) -> None:
    """--output to a bucket that does not exist: every unit is reported failed with S3's
    reason (NoSuchBucket), the worker runs to the end, exit 4."""
    member = planted.org.members[1]
    args = ("--org", "--accounts", member, "--regions", "us-east-1")
    result = awsarch(emulator, "audit", *args, "--output", "s3://no-such-bucket/run/")
    assert result.exit_code == 4
    assert f"account {member}: 0 of 2 units audited, 2 failed" in result.stdout
    assert "failed us-east-1: result not stored: s3:PutObject failed (NoSuchBucket)" in (
        result.stdout
    )


def test_a_blueprint_is_audited_where_its_stack_lives(
    planted: Planted, emulator: Emulator, tmp_path: Path
) -> None:
    """`audit --org --blueprint`: the stack's unit gets the blueprint's rules, intents and
    drift (none as deployed; a second server asked for is drift, exit 3), the other regions
    the plain audit. Last in this module: it deploys into the management account."""
    path = tmp_path / "blueprint.yaml"
    path.write_text(seed_text("orgstack", "us-west-2"))
    up = CliRunner().invoke(
        cli, ["up", str(path), "--yes", "--endpoint-url", emulator.endpoint_url]
    )
    assert up.exit_code == 0, up.output
    args = ("--org", "--accounts", HOME, "--regions", "us-west-2,eu-west-1", "--format", "json")
    clean = awsarch(emulator, "audit", *args, "--blueprint", str(path))
    units = _units(clean)
    assert clean.exit_code == 0, clean.output
    assert units[f"{HOME}/us-west-2"]["status"] == "audited"
    assert units[f"{HOME}/us-west-2"]["drift"] == []
    assert units[f"{HOME}/eu-west-1"]["status"] == "audited"
    changed = tmp_path / "changed.yaml"
    changed.write_text(path.read_text().replace("count: 2", "count: 3", 1))
    drifted = awsarch(emulator, "audit", *args, "--blueprint", str(changed))
    assert drifted.exit_code == 3, drifted.output
    assert _units(drifted)[f"{HOME}/us-west-2"]["drift"]
    assert _units(drifted)[f"{HOME}/eu-west-1"]["drift"] == []
