"""`iam deployer-policy --engine cloudformation` grants every CloudFormation call the engine
makes, on this stack only, beside the direct engine's resource permissions (CloudFormation acts
with the caller's credentials when no service role is given)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

import awsarch.cfn.stacks
from awsarch.analysis.iam import Request, evaluate
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text
from awsarch.cli.main import cli
from awsarch.deploy.permissions import (
    cloudformation_deployer_policy,
    deployer_policy,
    granted_actions,
)

STACK_ARN = "arn:aws:cloudformation:ap-northeast-2:123456789012:stack/demo/{}"


def _engine_calls() -> set[str]:
    """The CloudFormation operations `awsarch.cfn.stacks` calls, read from its source: the
    session's calls and pages, and the operations its waiters poll."""
    source = Path(awsarch.cfn.stacks.__file__).read_text()
    snake = re.findall(r'session\.(?:call|pages)\(\s*"cloudformation",\s*"(\w+)"', source)
    waited = re.findall(r'mapped_errors\("cloudformation:(\w+)"\)', source)
    camel = {"".join(part.title() for part in name.split("_")) for name in snake}
    return {f"cloudformation:{name}" for name in camel | set(waited)}


def test_the_policy_grants_every_call_the_engine_makes_on_this_stack_only() -> None:
    arch = expand(load_text(seed_text(), file="seed.yaml").blueprint)
    policy = cloudformation_deployer_policy(arch)
    calls = _engine_calls()
    assert "cloudformation:ExecuteChangeSet" in calls and len(calls) >= 8
    for action in sorted(calls):
        assert evaluate(Request(action=action, resource=STACK_ARN.format("x1")), [policy]).allowed
        other = "arn:aws:cloudformation:ap-northeast-2:123456789012:stack/other/x1"
        assert not evaluate(Request(action=action, resource=other), [policy]).allowed, action
    direct = deployer_policy(arch)["Statement"]
    assert policy["Statement"][1 : 1 + len(direct)] == direct
    assert "ec2:CreateLaunchTemplate" in granted_actions(policy)


def test_the_cli_prints_it_with_engine_cloudformation(tmp_path: Path) -> None:
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(seed_text())
    result = CliRunner().invoke(
        cli, ["iam", "deployer-policy", str(blueprint), "--engine", "cloudformation"]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["Statement"][0]["Resource"] == [
        "arn:aws:cloudformation:ap-northeast-2:*:stack/demo/*"
    ]
