"""The deployer policy reaches no other stack and prints as JSON; that it allows exactly the
lifecycle's calls, as AWS authorizes them, is shown in test_least_privilege.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from awsarch.adapters.emulator import Emulator
from awsarch.analysis.iam import Request, evaluate
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.cli import up
from awsarch.cli.iam import group as iam_group
from awsarch.deploy.permissions import deployer_policy, granted_actions

from .support import OPERATORS_BLUEPRINT

ACCOUNT = "123456789012"
REGION = "ap-northeast-2"
STACK = "demo"
IAM_PATH = f"/awsarch/{STACK}/"


def _iam_arn(kind: str, name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{kind}{IAM_PATH}{name}"


def _rds_arn(kind: str, name: str) -> str:
    return f"arn:aws:rds:{REGION}:{ACCOUNT}:{kind}:{name}"


def test_operators_groups_fit_iam_s_policy_quotas(emulator: Emulator, tmp_path: Path) -> None:
    """With IAM's quotas enforced as on AWS, `up` creates the operators' groups."""
    emulator.reset()
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(OPERATORS_BLUEPRINT, encoding="utf-8")
    args = [str(blueprint), "--yes", "--endpoint-url", emulator.endpoint_url]
    result = CliRunner().invoke(up.command, args)
    emulator.reset()
    assert result.exit_code == 0, result.output


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
    printed = json.loads(result.stdout)
    assert "bootstrap` splits it" in result.stderr  # the operators' policy needs two
    assert printed == deployer_policy(expand(load_text(OPERATORS_BLUEPRINT, file="x").blueprint))
    assert printed["Version"] == "2012-10-17"


def test_a_smaller_blueprint_gets_a_smaller_policy() -> None:
    """Without databases, servers or operators, the policy grants no RDS, EC2 launch or IAM user
    actions: only what that blueprint's up and down call."""
    bare = "stack: demo\nregion: ap-northeast-2\nnetwork: {cidr: 10.0.0.0/16, nat: none}\n"
    actions = granted_actions(deployer_policy(expand(load_text(bare, file="b").blueprint)))
    # what any stack may have left
    discovery = {"iam:ListGroups", "iam:ListInstanceProfiles", "iam:ListRoles", "iam:ListUsers"}
    assert not {a for a in actions if a.startswith(("rds:Create", "iam:", "secretsmanager:"))} - (
        discovery
    )
    assert "ec2:RunInstances" not in actions and "ec2:CreateNatGateway" not in actions
