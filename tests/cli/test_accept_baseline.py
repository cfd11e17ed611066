"""`accept:` in a blueprint and `--baseline` on check, through the CLI: accepted findings are
shown with their reason and do not fail the check; a baseline hides only known findings."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

import awsarch.blueprint
from awsarch.cli.baseline import read_baseline
from awsarch.cli.main import cli
from awsarch.errors import InputError

SEED = (Path(awsarch.blueprint.__file__).parent / "seed.yaml").read_text(encoding="utf-8")
SINGLE_AZ = SEED.replace("multi_az: true", "multi_az: false", 1)


def check(path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["check", str(path), *args])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "blueprint.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_accepted_finding_is_shown_with_its_reason_and_passes(tmp_path: Path) -> None:
    """DATA004 accepted for db/main: printed as accepted with the reason, exit 0; JSON says so."""
    accept = "accept:\n  - {rule: DATA004, resource: db/main, reason: a dev copy}\n"
    path = write(tmp_path, SINGLE_AZ + accept)
    result = check(path)
    assert result.exit_code == 0, result.output
    (line,) = [x for x in result.output.splitlines() if " DATA004 " in x]
    assert "accepted error DATA004 db/main" in line and "[accepted: a dev copy]" in line
    assert "1 accepted" in result.output
    assert "guide DATA004: https://docs.aws.amazon.com/" in result.output
    report = json.loads(check(path, "--format", "json").stdout)
    (found,) = [f for f in report["findings"] if f["rule"] == "DATA004"]
    assert found["accepted"]["reason"] == "a dev copy" and found["severity"] == "info"


def test_an_acceptance_without_a_reason_is_a_located_error(tmp_path: Path) -> None:
    """No reason: one line FILE:LINE:COL naming the fix, exit 2."""
    text = SINGLE_AZ + "accept:\n  - rule: DATA004\n    resource: db/main\n"
    result = check(write(tmp_path, text))
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    accept_line = text.splitlines().index("  - rule: DATA004") + 1
    assert f"blueprint.yaml:{accept_line}:" in line
    assert "reason" in line and "—" in line


def test_an_expired_acceptance_no_longer_accepts(tmp_path: Path) -> None:
    """Past `expires:` the finding is an error again (exit 3) and a warning says it expired."""
    accept = "accept:\n  - {rule: DATA004, resource: db/main, reason: dev, expires: 2020-01-31}\n"
    result = check(write(tmp_path, SINGLE_AZ + accept))
    assert result.exit_code == 3, result.output
    assert "error DATA004 db/main" in result.output
    assert "expired on 2020-01-31" in result.output


def test_an_acceptance_matching_nothing_is_a_warning(tmp_path: Path) -> None:
    """An acceptance for a finding that no longer exists is a warning at its line, exit 0."""
    accept = "accept:\n  - {rule: SEC004, resource: sg/web, reason: old}\n"
    result = check(write(tmp_path, SEED + accept))
    assert result.exit_code == 0, result.output
    assert "warning ACCEPT sg/web" in result.output and "matches no finding" in result.output


def test_baseline_reports_only_new_findings(tmp_path: Path) -> None:
    """A baseline written today hides DATA004 tomorrow, whatever its message says then; a new
    finding (SEC002) is still reported and fails the check."""
    path = write(tmp_path, SINGLE_AZ)
    saved = tmp_path / "baseline.json"
    assert check(path, "--write-baseline", str(saved)).exit_code == 3
    data = json.loads(saved.read_text())
    for entry in data["findings"]:
        entry["message"] = "worded differently"
    saved.write_text(json.dumps(data))
    assert check(path, "--baseline", str(saved)).exit_code == 0
    path.write_text(
        SINGLE_AZ.replace("    type: t3.micro\n", "    type: t3.micro\n    imdsv2: false\n", 1)
    )
    result = check(path, "--baseline", str(saved))
    assert result.exit_code == 3, result.output
    assert "SEC002" in result.output and "DATA004" not in result.output
    assert "1 known finding in" in result.output


def test_baseline_from_json_and_sarif_output(tmp_path: Path) -> None:
    """What `check --format json` or `--format sarif` printed serves as a baseline too."""
    path = write(tmp_path, SINGLE_AZ)
    for fmt in ("json", "sarif"):
        saved = tmp_path / f"before.{fmt}"
        saved.write_text(check(path, "--format", fmt).stdout)
        assert check(path, "--baseline", str(saved)).exit_code == 0, fmt


def test_a_bad_baseline_is_one_line(tmp_path: Path) -> None:
    """A baseline that is not JSON is a located one-line error, exit 2."""
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = check(write(tmp_path, SEED), "--baseline", str(bad))
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "bad.json:1:2:" in line and "--write-baseline" in line


def test_writing_a_baseline_says_so(tmp_path: Path) -> None:
    """`--write-baseline FILE` says `wrote FILE` and how many findings it holds, on stderr."""
    saved = tmp_path / "baseline.json"
    result = check(write(tmp_path, SINGLE_AZ), "--write-baseline", str(saved))
    count = len(json.loads(saved.read_text())["findings"])
    noun = "finding" if count == 1 else "findings"
    assert f"wrote {saved}: the baseline of {count} {noun}\n" in result.stderr
    assert "wrote" not in result.stdout


@pytest.mark.parametrize("verb", ["check", "audit"])
def test_a_missing_baseline_names_the_verb_that_writes_it(verb: str, tmp_path: Path) -> None:
    """A missing `audit` baseline suggests `awsarch audit --write-baseline`, a `check` one
    `awsarch check --write-baseline`: each verb's baseline holds its own findings."""
    parent = click.Context(cli, info_name="awsarch")
    expected = f"`awsarch {verb} --write-baseline FILE`"
    with (
        click.Context(click.Command(verb), info_name=verb, parent=parent),
        pytest.raises(InputError, match=expected),
    ):
        read_baseline(str(tmp_path / "missing.json"))
