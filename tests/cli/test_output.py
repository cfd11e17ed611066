"""`awsarch output` reads what discovery observed: recorded answers, case by case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from awsarch.cli.main import cli
from awsarch.cli.output import flat, outputs_lines, stack_outputs


def _tags(**tags: str) -> list[dict[str, str]]:
    return [{"Key": k.replace("_", ":"), "Value": v} for k, v in tags.items()]


RAW: dict[str, Any] = {
    "ec2": {
        "Vpcs": [{"Tags": _tags(awsarch_stack="demo", awsarch_name="vpc/main", team="shop")}],
        "Reservations": [
            {
                "Instances": [
                    {
                        "InstanceId": "i-1",
                        "State": {"Name": "running"},
                        "PublicIpAddress": "203.0.113.7",
                        "PublicDnsName": "ec2-203-0-113-7.compute.amazonaws.com",
                        "PrivateIpAddress": "10.0.0.4",
                        "Tags": _tags(awsarch_stack="demo", awsarch_name="instance/web-1"),
                    },
                    {
                        "InstanceId": "i-old",
                        "State": {"Name": "terminated"},
                        "Tags": _tags(awsarch_stack="demo", awsarch_name="instance/web-1"),
                    },
                    {
                        "InstanceId": "i-other",
                        "State": {"Name": "running"},
                        "Tags": _tags(awsarch_stack="other", awsarch_name="instance/web-1"),
                    },
                ]
            }
        ],
    },
    "rds": {
        "DBInstances": [
            {
                "DBInstanceIdentifier": "demo-main",
                "Endpoint": {"Address": "demo-main.x.rds.amazonaws.com", "Port": 3306},
                "MasterUserSecret": {"SecretArn": "arn:aws:secretsmanager:r:1:secret:rds!db-1"},
                "TagList": _tags(awsarch_stack="demo", awsarch_name="db/main"),
            }
        ]
    },
    "elbv2": {
        "LoadBalancers": [
            {
                "LoadBalancerName": "demo-web",
                "DNSName": "demo-web-1.elb.amazonaws.com",
                "Scheme": "internet-facing",
                "Tags": _tags(awsarch_stack="demo", awsarch_name="lb/web"),
            }
        ]
    },
}


def test_outputs_come_from_the_stacks_live_resources() -> None:
    """Only the stack's running servers, its database's endpoint, port and secret ARN, its load
    balancer's DNS name, and the tags the stack gives every resource."""
    outputs = stack_outputs(RAW, "demo")
    assert outputs["instances"] == {
        "web-1": {
            "id": "i-1",
            "public_ip": "203.0.113.7",
            "public_dns": "ec2-203-0-113-7.compute.amazonaws.com",
            "private_ip": "10.0.0.4",
        }
    }
    assert (
        outputs["databases"]["main"]["secret_arn"] == "arn:aws:secretsmanager:r:1:secret:rds!db-1"
    )
    assert outputs["load_balancers"] == {
        "web": {"dns_name": "demo-web-1.elb.amazonaws.com", "scheme": "internet-facing"}
    }
    assert outputs["tags"] == {"awsarch:stack": "demo", "team": "shop"}
    names = flat(outputs)
    assert names["main.port"] == 3306 and names["web.dns_name"].endswith("elb.amazonaws.com")
    lines = outputs_lines(outputs)
    assert lines[0] == "Outputs:" and any("demo-main.x.rds.amazonaws.com:3306" in x for x in lines)


def test_plan_of_a_file_as_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`plan --format json` without a target is one object: what the blueprint expands to."""
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init"]).exit_code == 0
    result = CliRunner().invoke(cli, ["plan", "--format", "json"])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    data = json.loads(line)
    assert (data["type"], data["schema"], data["stack"]) == ("expansion", 1, "demo")
    assert len(data["resources"]) == 21


def test_apply_events_stream_as_json_lines() -> None:
    """Each progress event is one JSON line: a failure says `failed`, with its error."""
    import io

    from awsarch.adapters.aws.apply import Event
    from awsarch.cli.stream import JsonStream
    from awsarch.deploy.diff import Change
    from awsarch.deploy.plan import Action

    out = io.StringIO()
    stream = JsonStream(out)
    action = Action(
        key="create vpc/main",
        change=Change(kind="create", logical_id="vpc/main", resource_type="Vpc"),
    )
    stream(Event(kind="start", action=action))
    stream(Event(kind="fail", action=action, seconds=1.23456, error="VpcLimitExceeded"))
    stream.note("waiting")
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {"type": "start", "schema": 1, "action": "create vpc/main"},
        {
            "type": "failed",
            "schema": 1,
            "action": "create vpc/main",
            "seconds": 1.235,
            "error": "VpcLimitExceeded",
        },
        {"type": "note", "schema": 1, "message": "waiting"},
    ]
