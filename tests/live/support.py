"""Run `awsarch` verbs in-process against the emulator and read their JSON answers."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result

from awsarch.adapters.emulator import Emulator
from awsarch.cli.main import cli


def invoke(emulator: Emulator, region: str, *args: str) -> Result:
    """One `awsarch` command line, pointed at the emulator in `region`."""
    target = ["--endpoint-url", emulator.endpoint_url, "--region", region]
    return CliRunner().invoke(cli, [*args, *target], catch_exceptions=False)


def audit_json(emulator: Emulator, region: str, vpc_id: str) -> tuple[int, dict[str, Any]]:
    """`awsarch audit --vpc VPC --format json`: its exit code and its answer."""
    result = invoke(emulator, region, "audit", "--vpc", vpc_id, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def reach_json(
    emulator: Emulator, region: str, source: str, destination: str, port: int
) -> dict[str, Any]:
    """`awsarch reach --from A --to B --port N --format json` on the live account."""
    args = ["reach", "--from", source, "--to", destination, "--port", str(port)]
    result = invoke(emulator, region, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def rules_on(answer: dict[str, Any], resource: str) -> set[str]:
    """The rule ids of the error findings an audit answer holds about one resource."""
    return {
        f["rule"]
        for f in answer["findings"]
        if f["resource"] == resource and f["severity"] == "error"
    }


def error_rules(answer: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in answer["findings"] if f["severity"] == "error"}
