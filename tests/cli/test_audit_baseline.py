"""`audit --baseline` and `audit --format sarif` on a live estate (the emulator): a second audit
against the first one's findings reports nothing known, and its SARIF is schema-valid."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import boto3
import pytest

from awsarch.adapters.emulator import Emulator
from tests.adapters.aws import estate as estate_module
from tests.adapters.aws.estate import Estate
from tests.cli.test_sarif import validator
from tests.live import faults
from tests.live.support import invoke

REGION = "ap-south-1"


@pytest.fixture(scope="module")
def exposed(emulator: Emulator) -> Estate:
    """A database in public subnets, open to the world: error findings on a live VPC."""
    suffix = f"-{uuid.uuid4().hex[:6]}"
    built = estate_module.build(emulator.endpoint_url, REGION, suffix=suffix)
    ec2 = boto3.client("ec2", endpoint_url=emulator.endpoint_url, region_name=REGION)
    rds = boto3.client("rds", endpoint_url=emulator.endpoint_url, region_name=REGION)
    faults.public_database(ec2, rds, built, suffix=suffix)
    return built


def test_audit_baseline_hides_known_findings(
    emulator: Emulator, exposed: Estate, tmp_path: Path
) -> None:
    """The first audit's JSON as baseline: the second reports no finding and exits 0."""
    vpc = ["audit", "--vpc", exposed["vpc/main"]]
    first = invoke(emulator, REGION, *vpc, "--format", "json")
    assert first.exit_code == 3, first.output
    saved = tmp_path / "audit.json"
    saved.write_text(first.stdout)
    second = invoke(emulator, REGION, *vpc, "--format", "json", "--baseline", str(saved))
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["findings"] == []


def test_audit_baseline_says_what_it_wrote_and_hid(
    emulator: Emulator, exposed: Estate, tmp_path: Path
) -> None:
    """`--write-baseline` says `wrote FILE`; an audit against it says how many known findings
    it did not show, as `check` does."""
    vpc = ["audit", "--vpc", exposed["vpc/main"]]
    saved = tmp_path / "audit.json"
    first = invoke(emulator, REGION, *vpc, "--write-baseline", str(saved))
    count = len(json.loads(saved.read_text())["findings"])
    assert count > 1 and f"wrote {saved}: the baseline of {count} findings" in first.stderr
    second = invoke(emulator, REGION, *vpc, "--baseline", str(saved))
    assert second.exit_code == 0, second.output
    assert f"{count} known findings in {saved} not shown" in second.stdout


def test_audit_sarif_is_valid(emulator: Emulator, exposed: Estate) -> None:
    """Live findings as SARIF: valid against the 2.1.0 schema, each by its resource."""
    result = invoke(emulator, REGION, "audit", "--vpc", exposed["vpc/main"], "--format", "sarif")
    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    validator().validate(data)
    names = {r["locations"][0]["logicalLocations"][0]["name"] for r in data["runs"][0]["results"]}
    assert "db/exposed" in names


def test_audit_of_a_vpc_that_is_not_there_is_an_input_error(
    emulator: Emulator, exposed: Estate
) -> None:
    """A mistyped --vpc is not "nothing to audit": one line naming the id and the fix, exit 2."""
    typo = exposed["vpc/main"] + "0"
    result = invoke(emulator, REGION, "audit", "--vpc", typo)
    assert result.exit_code == 2, result.output
    assert f"--vpc {typo}: no such VPC" in result.output and "drop --vpc" in result.output
