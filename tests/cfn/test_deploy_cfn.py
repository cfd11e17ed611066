"""`up`, `plan` and `down` with `--engine cloudformation`, on the emulator: the API flow only.

The emulator's CloudFormation drops many properties (README), so what these show is the flow:
the change set shown as the plan, executed after the question, events streamed, termination
protection on, outputs printed, the stack deleted. The direct engine's tests never use it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner

from awsarch.blueprint.seed import seed_text
from awsarch.cfn.changes import change_lines, data_warnings, is_empty, totals_line
from awsarch.cli.main import cli

REGION = "eu-west-3"


@pytest.fixture
def blueprint(tmp_path: Path, emulator: Any) -> Path:
    path = tmp_path / "blueprint.yaml"
    name = f"cfn{tmp_path.name[-6:].replace('_', '')}".lower()
    text = (
        seed_text()
        .replace("stack: demo ", f"stack: {name} ")
        .replace("region: ap-northeast-2", f"region: {REGION}")
    )
    path.write_text(text)
    return path


def _run(emulator: Any, *args: str) -> Any:
    return CliRunner().invoke(
        cli, [*args, "--engine", "cloudformation", "--endpoint-url", emulator.endpoint_url]
    )


def _cfn(emulator: Any) -> Any:
    return boto3.client("cloudformation", region_name=REGION, endpoint_url=emulator.endpoint_url)


def _stack(blueprint: Path) -> str:
    return blueprint.read_text().split("stack: ", 1)[1].split()[0]


def test_up_shows_the_change_set_executes_it_protects_the_stack_and_prints_outputs(
    emulator: Any, blueprint: Path
) -> None:
    """up creates a change set, shows it, executes it, streams events, turns termination
    protection on, prints the outputs, then proves the blueprint on what is live."""
    result = _run(emulator, "up", str(blueprint), "--yes")
    out = result.output
    assert "change set awsarch-" in out
    assert "+ create VpcMain (AWS::EC2::VPC)" in out
    assert "+ create DatabaseMain (AWS::RDS::DBInstance)" in out
    assert "CREATE_COMPLETE" in out
    assert "termination protection on" in out
    assert "DatabaseMainEndpoint = " in out
    assert "DatabaseMainSecretArn = arn:aws:secretsmanager" in out
    assert "proving the blueprint again, on what is live:" in out
    stack = _cfn(emulator).describe_stacks(StackName=_stack(blueprint))["Stacks"][0]
    assert stack["EnableTerminationProtection"] is True
    again = _run(emulator, "up", str(blueprint), "--yes")
    assert "no changes" in again.output
    refused = _cfn(emulator)
    with pytest.raises(refused.exceptions.ClientError, match="TerminationProtection"):
        refused.delete_stack(StackName=_stack(blueprint))


def test_plan_shows_the_change_set_and_deletes_it(emulator: Any, blueprint: Path) -> None:
    """plan --engine cloudformation shows the change set and leaves no stack behind."""
    result = _run(emulator, "plan", str(blueprint))
    assert result.exit_code == 0, result.output
    assert "+ create InstanceWeb1 (AWS::EC2::Instance)" in result.output
    stacks = _cfn(emulator).list_stacks()["StackSummaries"]
    live = [s for s in stacks if s["StackName"] == _stack(blueprint)]
    assert all(s["StackStatus"] == "DELETE_COMPLETE" for s in live)


def test_a_declined_question_changes_nothing(emulator: Any, blueprint: Path) -> None:
    """Without --yes on a non-interactive input, up refuses and deletes its change set."""
    result = _run(emulator, "up", str(blueprint))
    assert result.exit_code == 2
    stacks = _cfn(emulator).list_stacks()["StackSummaries"]
    assert all(
        s["StackStatus"] == "DELETE_COMPLETE" for s in stacks if s["StackName"] == _stack(blueprint)
    )


def test_down_turns_protection_off_after_the_question_and_deletes(
    emulator: Any, blueprint: Path
) -> None:
    """down asks first (protection stays on when refused), then deletes the stack and names it.
    (moto cannot delete a VPC stack, so the stack here is one moto can delete.)"""
    cfn = _cfn(emulator)
    name = _stack(blueprint)
    cfn.create_stack(
        StackName=name,
        TemplateBody='{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}',
        EnableTerminationProtection=True,
    )
    cfn.update_termination_protection(StackName=name, EnableTerminationProtection=True)
    refused = _run(emulator, "down", str(blueprint))
    assert refused.exit_code == 2
    assert cfn.describe_stacks(StackName=name)["Stacks"][0]["EnableTerminationProtection"]
    result = _run(emulator, "down", str(blueprint), "--yes")
    assert result.exit_code == 0, result.output
    assert f"deleted stack {name} and its 1 resource" in result.output
    assert "- Topic (AWS::SNS::Topic)" in result.output


def _ssm(emulator: Any) -> Any:
    return boto3.client("ssm", region_name=REGION, endpoint_url=emulator.endpoint_url)


def test_a_stack_the_direct_engine_owns_is_refused(emulator: Any, blueprint: Path) -> None:
    """up --engine cloudformation on a stack with the direct engine's owner record refuses in
    one line naming the engine to use, and creates no change set."""
    from awsarch.deploy.lock_record import BlueprintIdentity, owner_name

    owner = BlueprintIdentity(path="/elsewhere/blueprint.yaml", host="other-host")
    name = _stack(blueprint)
    _ssm(emulator).put_parameter(Name=owner_name(name), Value=owner.encode(), Type="String")
    result = _run(emulator, "up", str(blueprint), "--yes")
    assert result.exit_code == 2
    assert f"stack {name} was deployed by the direct engine" in result.output
    assert "use `awsarch up --engine direct`" in result.output
    stacks = _cfn(emulator).list_stacks()["StackSummaries"]
    assert not [s for s in stacks if s["StackName"] == name]


def test_the_cloudformation_engine_takes_the_stack_lock(emulator: Any, blueprint: Path) -> None:
    """A lock held by another run (the direct engine's lock) refuses up --engine
    cloudformation before any change set."""
    import datetime

    from awsarch.deploy.lock_record import BlueprintIdentity, lock_name, new_lock

    name = _stack(blueprint)
    held = new_lock(
        who="arn:aws:iam::123456789012:user/someone",
        host="other-host",
        pid=1,
        command="up",
        blueprint=BlueprintIdentity(path="/elsewhere/blueprint.yaml", host="other-host"),
        now=datetime.datetime.now(datetime.UTC),
    )
    _ssm(emulator).put_parameter(Name=lock_name(name), Value=held.encode(), Type="String")
    result = _run(emulator, "up", str(blueprint), "--yes")
    assert result.exit_code != 0
    assert f"stack {name} is locked by" in result.output
    stacks = _cfn(emulator).list_stacks()["StackSummaries"]
    assert not [s for s in stacks if s["StackName"] == name]
    assert _ssm(emulator).get_parameter(Name=lock_name(name))["Parameter"]["Value"] == held.encode()


def test_the_direct_engine_refuses_a_cloudformation_stack(emulator: Any, blueprint: Path) -> None:
    """After up --engine cloudformation, the direct engine's up and down refuse in one line
    naming the engine to use (its resources carry CloudFormation's stack tags); the lock is
    given back after each run."""
    from awsarch.deploy.lock_record import lock_name

    deployed = _run(emulator, "up", str(blueprint), "--yes")
    assert "termination protection on" in deployed.output, deployed.output
    url = ["--endpoint-url", emulator.endpoint_url]
    for verb in ("up", "down"):
        result = CliRunner().invoke(cli, [verb, str(blueprint), "--yes", *url])
        assert result.exit_code == 2, result.output
        assert f"stack {_stack(blueprint)} was deployed by CloudFormation" in result.output
        assert f"use `awsarch {verb} --engine cloudformation`" in result.output
    with pytest.raises(_ssm(emulator).exceptions.ParameterNotFound):
        _ssm(emulator).get_parameter(Name=lock_name(_stack(blueprint)))


def _change(action: str, logical: str, kind: str, replacement: str = "") -> dict[str, Any]:
    rc = {"Action": action, "LogicalResourceId": logical, "ResourceType": kind}
    if replacement:
        rc["Replacement"] = replacement
    return {"Type": "Resource", "ResourceChange": rc}


def test_a_replaced_database_is_shouted() -> None:
    """An update that replaces the database (or may) is shouted in the plan and under it."""
    description = {
        "Status": "CREATE_COMPLETE",
        "Changes": [
            _change("Modify", "DatabaseMain", "AWS::RDS::DBInstance", "True"),
            _change("Modify", "InstanceWeb1", "AWS::EC2::Instance", "Conditional"),
            _change("Modify", "GroupWeb", "AWS::EC2::SecurityGroup", "True"),
        ],
    }
    lines = change_lines(description)
    assert lines[0].endswith("REPLACEMENT: TRUE: its data is lost unless snapshotted")
    assert "REPLACEMENT: CONDITIONAL" in lines[1]
    assert lines[2].endswith("(Replacement: True)")
    assert lines[0].startswith("  ~ replace DatabaseMain") and "~ update InstanceWeb1" in lines[1]
    assert totals_line(description) == "plan: 0 to create, 1 to update, 2 to replace, 0 to delete"
    assert "REPLACES DatabaseMain, InstanceWeb1" in data_warnings(description)[0]


def test_an_empty_change_set_is_nothing_to_do() -> None:
    """CloudFormation's FAILED status with its "didn't contain changes" reason is no change."""
    assert is_empty(
        {
            "Status": "FAILED",
            "StatusReason": "The submitted information didn't contain changes. Submit different"
            " information to create a change set.",
        }
    )
    assert not is_empty({"Status": "FAILED", "StatusReason": "Template error"})


def test_down_lifts_the_databases_deletion_protection_which_delete_stack_does_not(
    emulator: Any, blueprint: Path
) -> None:
    """A stack's protected database fails DeleteStack (DELETE_FAILED, the database kept), as on
    AWS; down, after the question, turns the protection off, says so, and deletes the stack."""
    cfn, name = _cfn(emulator), _stack(blueprint)
    database = {
        "Type": "AWS::RDS::DBInstance",
        "DeletionPolicy": "Snapshot",
        "Properties": {
            "DBInstanceIdentifier": f"{name}-main",
            "Engine": "mysql",
            "DBInstanceClass": "db.t3.micro",
            "AllocatedStorage": "20",
            "MasterUsername": "admin",
            "ManageMasterUserPassword": True,
            "DeletionProtection": True,
        },
    }
    cfn.create_stack(StackName=name, TemplateBody=json.dumps({"Resources": {"Db": database}}))
    rds = boto3.client("rds", region_name=REGION, endpoint_url=emulator.endpoint_url)
    assert rds.describe_db_instances(DBInstanceIdentifier=f"{name}-main")["DBInstances"][0][
        "DeletionProtection"
    ]
    cfn.delete_stack(StackName=name)
    assert cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"] == "DELETE_FAILED"
    assert rds.describe_db_instances(DBInstanceIdentifier=f"{name}-main")["DBInstances"]
    result = _run(emulator, "down", str(blueprint), "--yes")
    assert result.exit_code == 0, result.output
    assert f"deletion protection off for database {name}-main (down only)" in result.output
    assert f"deleted stack {name}" in result.output
    with pytest.raises(rds.exceptions.DBInstanceNotFoundFault):
        rds.describe_db_instances(DBInstanceIdentifier=f"{name}-main")
