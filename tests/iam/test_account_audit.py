"""Account hygiene on an emulator account with planted faults: each one is found."""

from __future__ import annotations

import base64
import datetime
from pathlib import Path

import boto3
import pytest

from awsarch.adapters.aws.account import read_account, with_account
from awsarch.adapters.aws.discover import discover
from awsarch.adapters.aws.ingest import ingest
from awsarch.adapters.aws.ingest_account import account_from
from awsarch.adapters.aws.session import AwsSession
from awsarch.adapters.emulator import Emulator
from awsarch.rules.registry import run_rules

REGION = "ap-northeast-2"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def _plant_faults(endpoint: str) -> None:
    """A console admin without MFA, an admin by group, an instance with a key in its user data
    and no instance profile."""
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION)
    iam.create_user(UserName="carol")
    iam.create_login_profile(UserName="carol", Password="Correct-horse-battery-9")
    iam.attach_user_policy(UserName="carol", PolicyArn=ADMIN)
    iam.create_group(GroupName="admins")
    iam.attach_group_policy(GroupName="admins", PolicyArn=ADMIN)
    iam.create_user(UserName="dave")
    iam.add_user_to_group(GroupName="admins", UserName="dave")
    ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    image = ec2.describe_images()["Images"][0]["ImageId"]
    key_id = "AKIA" + "IOSFODNN7" + "EXAMPLE"  # AWS's documented example, assembled
    script = f"#!/bin/sh\nexport AWS_ACCESS_KEY_ID={key_id}\n"
    ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        SubnetId=subnet,
        UserData=base64.b64encode(script.encode()).decode(),
    )


@pytest.fixture
def findings(emulator: Emulator) -> dict[str, set[str]]:
    emulator.reset()
    _plant_faults(emulator.endpoint_url)
    session = AwsSession(region=REGION, endpoint_url=emulator.endpoint_url)
    model = ingest(discover(session, include_user_data=True))
    audited = with_account(model, read_account(session, sleep=lambda _: None))
    found: dict[str, set[str]] = {}
    for finding in run_rules(audited):
        found.setdefault(finding.rule_id, set()).add(finding.resource_id)
    return found


def test_console_admin_without_mfa_is_found(findings: dict[str, set[str]]) -> None:
    """A person holding AdministratorAccess with a password and no MFA is reported twice."""
    assert "iam-user/carol" in findings["IAM104"]
    assert {"iam-user/carol", "iam-user/dave"} <= findings["IAM105"]


def test_key_in_user_data_and_missing_profile_are_found(findings: dict[str, set[str]]) -> None:
    """An instance with an access key in its user data and no role is reported (SEC003, SEC001)."""
    assert findings.get("SEC003") and findings.get("SEC001")
    assert findings["SEC003"] & findings["SEC001"]


def test_root_facts_come_from_the_account_summary(emulator: Emulator) -> None:
    """Root MFA and root keys are read (the emulator's root has no MFA: IAM102 fires)."""
    emulator.reset()
    session = AwsSession(region=REGION, endpoint_url=emulator.endpoint_url)
    account = read_account(session, sleep=lambda _: None)
    assert account.root is not None
    found = {f.rule_id for f in run_rules(with_account(ingest(discover(session)), account))}
    assert ("IAM102" in found) == (not account.root.mfa_enabled)


REPORT = (Path(__file__).parent / "recorded" / "credential_report.csv").read_text()


def test_a_recorded_credential_report_gives_every_root_fact() -> None:
    """From AWS's report format: root keys, no MFA, root used 9 days before the report, and a
    console user without MFA whose key is 273 days old."""
    account = account_from(
        {"as_of": "2026-03-01T00:00:00+00:00", "report": REPORT, "summary": {}, "admins": {}}
    )
    assert account.root is not None
    assert account.root.access_keys_present and not account.root.mfa_enabled
    assert account.root.last_used == datetime.datetime(2026, 2, 20, 10, tzinfo=datetime.UTC)
    (erin,) = account.users
    assert erin.console_access and not erin.mfa_active
    assert account.days_since(erin.active_keys[0].last_rotated) == 273  # type: ignore[arg-type]
