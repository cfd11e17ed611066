"""The seed architecture as a CDK-style template, planted faults, and the CLI on a template."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from awsarch.cfn.template import parse_template
from awsarch.cli.main import cli

TEMPLATES = Path(__file__).parent / "templates"
SEED = (TEMPLATES / "seed.yaml").read_text(encoding="utf-8")
REGION = ("--parameter", "AWS::Region=ap-northeast-2")


def plant(text: str, old: str, new: str) -> str:
    """The template with one change; the change must apply exactly once."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, needle: str, after: str = "") -> int:
    """The 1-based line of the first `needle` (after the line holding `after`)."""
    lines = text.splitlines()
    start = next(n for n, t in enumerate(lines) if after in t) if after else 0
    return next(n for n, t in enumerate(lines[start:], start + 1) if needle in t)


def write(tmp_path: Path, text: str, name: str = "template.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def as_cdk_json(text: str) -> str:
    """The YAML template as the CDK writes it: JSON, long-form intrinsics, one-space indent."""
    return json.dumps(parse_template(text, file="seed").data, indent=1)


def awsarch(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def check_json(path: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = awsarch("check", path, "--format", "json", *REGION, *args)
    assert result.exit_code in (0, 3), result.output
    return result.exit_code, json.loads(result.stdout)


def findings(report: dict, rule: str) -> list[dict]:  # type: ignore[type-arg]
    return [f for f in report["findings"] if f["rule"] == rule]
