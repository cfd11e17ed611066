"""The deployer policy is exact: it allows every call an emulator `up` and `down` make, and
grants no action that was not called (beyond the documented permissions that are not calls)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner

from awsarch import emulator as emulator_module
from awsarch.analysis.iam import Request, evaluate
from awsarch.aws import session as session_module
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.cli import down, up
from awsarch.cli.iam import group as iam_group
from awsarch.deploy.permissions import deployer_policy, granted_actions, implied_by
from awsarch.emulator import Emulator

from .support import OPERATORS_BLUEPRINT, RecordingCounter

ACCOUNT = "123456789012"
REGION = "ap-northeast-2"
STACK = "demo"
IAM_PATH = f"/awsarch/{STACK}/"
IAM_NAMES = {
    "RoleName": "role",
    "InstanceProfileName": "instance-profile",
    "GroupName": "group",
    "UserName": "user",
}
CREATE_TAGGED = {"iam:CreateRole", "iam:CreateInstanceProfile", "iam:CreateUser"}


def _iam_arn(kind: str, name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{kind}{IAM_PATH}{name}"


def _rds_arn(kind: str, name: str) -> str:
    return f"arn:aws:rds:{REGION}:{ACCOUNT}:{kind}:{name}"


def _tagged_in_request(body: dict[str, Any]) -> bool:
    return any(k.startswith(("TagSpecification", "Tag.", "Tags.")) for k in body)


def _context(operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """Tags: a call that tags carries request tags; every other call acts on owned resources."""
    if _tagged_in_request(body) and operation != "ec2:DeleteTags":  # it untags an owned one
        context: dict[str, Any] = {"aws:RequestTag/awsarch:stack": STACK}
    else:
        context = {"aws:ResourceTag/awsarch:stack": STACK}
    if "PolicyArn" in body:
        context["iam:PolicyARN"] = body["PolicyArn"]
    return context


def _resources(operation: str, body: dict[str, Any]) -> list[str]:
    """The ARNs IAM authorizes the call on, when the request names them; else `*`."""
    found = []
    for param, kind in IAM_NAMES.items():
        if operation.startswith("iam:") and param in body and operation != "iam:ListGroupsForUser":
            found.append(_iam_arn(kind, body[param]))
    if operation == "iam:ListGroupsForUser":
        found.append(_iam_arn("user", body["UserName"]))
    if operation == "iam:DeleteVirtualMFADevice":
        found = [body["SerialNumber"]]
    if "DBInstanceIdentifier" in body:
        found.append(_rds_arn("db", body["DBInstanceIdentifier"]))
    if "DBSubnetGroupName" in body:
        found.append(_rds_arn("subgrp", body["DBSubnetGroupName"]))
    if operation.startswith("ssm:") and "Name" in body:
        found.append(f"arn:aws:ssm:{REGION}::parameter{body['Name']}")
    return found or ["*"]


def _requests(operation: str, body: dict[str, Any]) -> Iterator[Request]:
    """Every authorization AWS makes for the call, the implied permissions included."""
    context = _context(operation, body)
    for resource in _resources(operation, body):
        yield Request(action=operation, resource=resource, context=context, context_complete=True)
    yield from _implied_requests(operation, body)


def _implied_requests(operation: str, body: dict[str, Any]) -> Iterator[Request]:
    tags = {"aws:RequestTag/awsarch:stack": STACK}
    if operation == "ec2:RunInstances":
        yield Request(
            action="ec2:RunInstances",
            resource=f"arn:aws:ec2:{REGION}::image/{body['ImageId']}",
            context_complete=True,
        )
        profile = body["IamInstanceProfile.Name"]
        yield Request(
            action="iam:PassRole",
            resource=_iam_arn("role", profile),
            context={"iam:PassedToService": "ec2.amazonaws.com"},
            context_complete=True,
        )
    if operation == "rds:CreateDBInstance":
        db = _rds_arn("db", body["DBInstanceIdentifier"])
        for action, resource in (
            ("rds:AddTagsToResource", db),
            ("rds:CreateDBInstance", _rds_arn("og", "default:mysql-8-0")),
            ("rds:CreateDBInstance", _rds_arn("pg", "default.mysql8.0")),
            (
                "secretsmanager:CreateSecret",
                f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:rds!db-1a2b",
            ),
            (
                "secretsmanager:TagResource",
                f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:rds!db-1a2b",
            ),
            ("kms:DescribeKey", "*"),
        ):
            yield Request(action=action, resource=resource, context=tags, context_complete=True)
    if operation == "rds:CreateDBSubnetGroup":
        subgrp = _rds_arn("subgrp", body["DBSubnetGroupName"])
        yield Request(
            action="rds:AddTagsToResource", resource=subgrp, context=tags, context_complete=True
        )
    if operation == "rds:DeleteDBInstance":
        snapshot = _rds_arn("snapshot", body["FinalDBSnapshotIdentifier"])
        yield Request(action="rds:CreateDBSnapshot", resource=snapshot, context_complete=True)
    if operation in CREATE_TAGGED:
        kind = operation.removeprefix("iam:Create")
        name_param = {"Role": "RoleName", "InstanceProfile": "InstanceProfileName"}.get(
            kind, "UserName"
        )
        arn_kind = {"Role": "role", "InstanceProfile": "instance-profile"}.get(kind, "user")
        yield Request(
            action=f"iam:Tag{kind}",
            resource=_iam_arn(arn_kind, body[name_param]),
            context_complete=True,
        )


def _give_alice_credentials(endpoint: str) -> None:
    """An administrator (not awsarch) sets alice's password; she adds MFA and an access key."""
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION)
    iam.create_login_profile(UserName="demo-alice", Password="Correct-horse-battery-9")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="demo-alice")
    serial = device["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(
        UserName="demo-alice",
        SerialNumber=serial,
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )
    iam.create_access_key(UserName="demo-alice")


@pytest.fixture(scope="module")
def within_no_quota() -> Iterator[Emulator]:
    """IAM's policy-size quotas off: the operators' groups hold the deployer policy inline, which
    exceeds the 5,120 characters AWS allows a group (see the strict xfail below)."""
    running = emulator_module.start(without={"iam_quotas"})
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def recorded(
    within_no_quota: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[RecordingCounter, dict[str, Any]]:
    """Run up, up again (nothing to do) and down through the CLI, recording every call."""
    emulator = within_no_quota
    emulator.reset()
    counter = RecordingCounter()
    monkeypatch.setattr(session_module, "CallCounter", lambda: counter)
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(OPERATORS_BLUEPRINT, encoding="utf-8")
    args = [str(blueprint), "--yes", "--endpoint-url", emulator.endpoint_url]
    for verb in (up.command, up.command):
        result = CliRunner().invoke(verb, args)
        assert result.exit_code == 0, result.output
    # A new instance type is applied in place: stop, modify, start.
    blueprint.write_text(
        OPERATORS_BLUEPRINT.replace("{count: 1,", "{count: 1, type: t3.small,"), encoding="utf-8"
    )
    result = CliRunner().invoke(up.command, args)
    assert result.exit_code == 0, result.output
    _give_alice_credentials(emulator.endpoint_url)
    result = CliRunner().invoke(down.command, args)
    assert result.exit_code == 0, result.output
    policy = deployer_policy(expand(load_text(OPERATORS_BLUEPRINT, file="b.yaml").blueprint))
    return counter, policy


@pytest.mark.xfail(
    strict=True,
    reason="known: the deployers group's inline policies exceed IAM's 5,120-character quota on"
    " AWS; they must become managed policies (the least-privilege deployer issue)",
)
def test_operators_groups_fit_iam_s_inline_policy_quota(emulator: Emulator, tmp_path: Path) -> None:
    """With IAM's quotas enforced as on AWS, `up` creates the operators' groups."""
    emulator.reset()
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(OPERATORS_BLUEPRINT, encoding="utf-8")
    args = [str(blueprint), "--yes", "--endpoint-url", emulator.endpoint_url]
    result = CliRunner().invoke(up.command, args)
    emulator.reset()
    assert result.exit_code == 0, result.output


def test_every_call_of_up_and_down_is_allowed(
    recorded: tuple[RecordingCounter, dict[str, Any]],
) -> None:
    """A user holding only the deployer policy can run `up` and `down` to the end."""
    counter, policy = recorded
    refused = [
        (request.action, request.resource, decision.outcome)
        for operation, body in counter.requests
        for request in _requests(operation, body)
        if not (decision := evaluate(request, [policy])).allowed
    ]
    assert refused == []


def test_the_policy_grants_nothing_that_was_not_called(
    recorded: tuple[RecordingCounter, dict[str, Any]],
) -> None:
    """The policy is the smallest: each action it grants was called, or is a documented
    permission one of those calls needs (iam:PassRole for RunInstances, …)."""
    counter, policy = recorded
    called = set(counter.operations())
    assert granted_actions(policy) == called | implied_by(called)


@pytest.mark.parametrize(
    ("action", "resource", "context"),
    [
        ("ec2:TerminateInstances", "*", {"aws:ResourceTag/awsarch:stack": "prod"}),
        ("ec2:CreateVpc", "*", {"aws:RequestTag/awsarch:stack": "prod"}),
        ("iam:DeleteRole", f"arn:aws:iam::{ACCOUNT}:role/awsarch/prod/prod-web", {}),
        ("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/admin", {}),
        ("rds:DeleteDBInstance", _rds_arn("db", "prod-main"), {}),
        (
            "iam:AttachRolePolicy",
            _iam_arn("role", "demo-web"),
            {"iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess"},
        ),
    ],
)
def test_the_policy_reaches_no_other_stack(
    action: str, resource: str, context: dict[str, Any]
) -> None:
    """The deployer of one stack cannot touch another stack's resources, nor escalate the role."""
    policy = deployer_policy(expand(load_text(OPERATORS_BLUEPRINT, file="b.yaml").blueprint))
    request = Request(action=action, resource=resource, context=context, context_complete=True)
    assert evaluate(request, [policy]).denied


def test_cli_prints_the_policy_as_json(tmp_path: Path) -> None:
    """`awsarch iam deployer-policy FILE` prints a JSON policy a user can attach as is."""
    blueprint = tmp_path / "b.yaml"
    blueprint.write_text(OPERATORS_BLUEPRINT, encoding="utf-8")
    result = CliRunner().invoke(iam_group, ["deployer-policy", str(blueprint)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == deployer_policy(expand(load_text(OPERATORS_BLUEPRINT, file="x").blueprint))
    assert printed["Version"] == "2012-10-17"


def test_a_smaller_blueprint_gets_a_smaller_policy() -> None:
    """Without databases, servers or operators, the policy grants no RDS, EC2 launch or IAM user
    actions: only what that blueprint's up and down call."""
    bare = "stack: demo\nregion: ap-northeast-2\nnetwork: {cidr: 10.0.0.0/16, nat: none}\n"
    actions = granted_actions(deployer_policy(expand(load_text(bare, file="b").blueprint)))
    discovery = {"iam:ListInstanceProfiles", "iam:ListRoles"}  # what any stack may have left
    assert not {a for a in actions if a.startswith(("rds:Create", "iam:", "secretsmanager:"))} - (
        discovery
    )
    assert "ec2:RunInstances" not in actions and "ec2:CreateNatGateway" not in actions
