"""Plans for programs and for later: exit codes, saved plans, JSON streams and outputs,
through the CLI on the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import Result

from tests.deploy.census import client
from tests.deploy.conftest import awsarch


def _group(endpoint: str, name: str) -> str:
    groups = client("ec2", endpoint).describe_security_groups(
        Filters=[{"Name": "tag:awsarch:name", "Values": [name]}]
    )["SecurityGroups"]
    return str(groups[0]["GroupId"])


def _open_ssh(endpoint: str) -> None:
    """A change made by hand, outside awsarch: SSH opened to the world on the web group."""
    client("ec2", endpoint).authorize_security_group_ingress(
        GroupId=_group(endpoint, "sg/web"),
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )


def _json_lines(result: Result) -> list[dict[str, Any]]:
    """stdout of a `--format json` run: every line one JSON object."""
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_saved_plan_is_applied_exactly(endpoint: str, blueprint: str, tmp_path: Path) -> None:
    """`plan -o` saves what `up` would do; `up PLAN` applies it without asking, and then
    nothing is pending (`plan --detailed-exitcode` exits 0 after 2)."""
    saved = str(tmp_path / "plan.json")
    planned = awsarch("plan", blueprint, "-o", saved, "--detailed-exitcode", endpoint=endpoint)
    assert planned.exit_code == 2, planned.output
    assert "plan: 21 to create, 0 to update, 0 to replace, 0 to delete" in planned.stdout
    document = json.loads(Path(saved).read_text())
    assert document["format"] == "awsarch-plan/1"
    assert document["fingerprint"].startswith("sha256:")
    applied = awsarch("up", saved, endpoint=endpoint)
    assert applied.exit_code == 0, applied.output
    assert "Outputs:" in applied.stdout
    again = awsarch("plan", blueprint, "--detailed-exitcode", endpoint=endpoint)
    assert again.exit_code == 0, again.output
    assert "no changes" in again.stdout


def test_a_stale_saved_plan_is_refused(endpoint: str, blueprint: str, tmp_path: Path) -> None:
    """A change made live between `plan -o` and `up PLAN` refuses the plan in one line, and
    nothing of the plan is applied."""
    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
    ec2 = client("ec2", endpoint)
    private = ec2.describe_route_tables(
        Filters=[{"Name": "tag:awsarch:name", "Values": ["rtb/private"]}]
    )["RouteTables"][0]
    ec2.delete_route(RouteTableId=private["RouteTableId"], DestinationCidrBlock="0.0.0.0/0")
    saved = str(tmp_path / "plan.json")
    planned = awsarch("plan", blueprint, "-o", saved, endpoint=endpoint)
    assert "routes: + 0.0.0.0/0 → nat/a" in planned.stdout
    _open_ssh(endpoint)
    refused = awsarch("up", saved, endpoint=endpoint)
    assert refused.exit_code == 2
    (line,) = refused.stderr.strip().splitlines()
    assert "the saved plan is stale" in line and "nothing was changed" in line
    pending = awsarch("plan", blueprint, endpoint=endpoint)
    assert "routes: + 0.0.0.0/0 → nat/a" in pending.stdout  # the route was not put back


def test_detailed_exitcode_says_1_on_an_error(endpoint: str, tmp_path: Path) -> None:
    """An error is exit 1 with --detailed-exitcode, never 2 (which means changes pending)."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("stack: [\n")
    result = awsarch("plan", str(broken), "--detailed-exitcode", endpoint=endpoint)
    assert result.exit_code == 1


def test_up_and_down_stream_json(endpoint: str, blueprint: str) -> None:
    """`--format json`: stdout is one JSON object per line, progress events then a summary
    whose outputs name each web server and the database's endpoint and secret ARN."""
    up = awsarch("up", blueprint, "--yes", "--format", "json", endpoint=endpoint)
    assert up.exit_code == 0, up.output
    events = _json_lines(up)
    assert events[0]["type"] == "plan" and events[0]["totals"]["create"] == 21
    assert {e["type"] for e in events[1:-1]} == {"start", "done"}
    summary = events[-1]
    assert (summary["type"], summary["verb"], summary["ok"], summary["schema"]) == (
        "summary",
        "up",
        True,
        1,
    )
    outputs = summary["outputs"]
    assert sorted(outputs["instances"]) == ["web-1", "web-2"]
    assert all(i["id"].startswith("i-") and i["public_ip"] for i in outputs["instances"].values())
    database = outputs["databases"]["main"]
    assert database["port"] == 3306 and database["endpoint"]
    assert database["secret_arn"].startswith("arn:aws:secretsmanager:")
    assert summary["audit"]["summary"]["errors"] == 0
    down = awsarch("down", blueprint, "--yes", "--format", "json", endpoint=endpoint)
    assert down.exit_code == 0, down.output
    events = _json_lines(down)
    assert events[0]["type"] == "plan" and events[0]["totals"]["delete"] == 21
    assert events[-1]["type"] == "summary" and events[-1]["verb"] == "down"
    assert len(events[-1]["snapshots"]) == 1


def test_output_names_what_is_live(endpoint: str, blueprint: str) -> None:
    """`awsarch output` prints the stack's outputs; `output NAME` one value, bare, for scripts;
    the secret's ARN is shown, never its value."""
    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
    ec2 = client("ec2", endpoint)
    reservations = ec2.describe_instances(
        Filters=[{"Name": "tag:awsarch:name", "Values": ["instance/web-1"]}]
    )["Reservations"]
    web1 = reservations[0]["Instances"][0]
    text = awsarch("output", "-b", blueprint, endpoint=endpoint)
    assert text.exit_code == 0, text.output
    assert web1["InstanceId"] in text.stdout and web1["PublicIpAddress"] in text.stdout
    assert "awsarch:stack=demo" in text.stdout
    one = awsarch("output", "web-1.id", "-b", blueprint, endpoint=endpoint)
    assert one.stdout == web1["InstanceId"] + "\n"
    port = awsarch("output", "main.port", "-b", blueprint, endpoint=endpoint)
    assert port.stdout == "3306\n"
    whole = json.loads(
        awsarch("output", "-b", blueprint, "--format", "json", endpoint=endpoint).stdout
    )
    secret = client("secretsmanager", endpoint).get_secret_value(
        SecretId=whole["databases"]["main"]["secret_arn"]
    )["SecretString"]
    assert secret not in json.dumps(whole) and secret not in text.stdout
    missing = awsarch("output", "web-9.id", "-b", blueprint, endpoint=endpoint)
    assert missing.exit_code == 2 and "no output named web-9.id" in missing.stderr


def test_a_saved_plan_applies_only_in_its_account(
    endpoint: str, blueprint: str, tmp_path: Path
) -> None:
    """A plan made in one account is refused in another, in one line, before any action."""
    saved = tmp_path / "plan.json"
    assert awsarch("plan", blueprint, "-o", str(saved), endpoint=endpoint).exit_code == 0
    document = json.loads(saved.read_text())
    assert document["account"] == "123456789012"
    saved.write_text(json.dumps({**document, "account": "210987654321"}))
    refused = awsarch("up", str(saved), endpoint=endpoint)
    assert refused.exit_code == 2
    assert "made for account 210987654321 in ap-northeast-2, not 123456789012" in refused.stderr
    census = client("ec2", endpoint).describe_vpcs(
        Filters=[{"Name": "tag:awsarch:stack", "Values": ["demo"]}]
    )
    assert census["Vpcs"] == []
