"""`check --format sarif` on a blueprint and on a template, valid against the SARIF 2.1.0
schema (OASIS, vendored in tests/cli/sarif/), with file, line and column per result and each
rule's help text and help URI."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner

from awsarch.cli.main import cli
from awsarch.render.sarif import to_sarif
from awsarch.rules.base import Finding
from awsarch.rules.pseudo import PSEUDO_RULES
from awsarch.rules.registry import ALL_RULES

from ..cfn.support import REGION, SEED, plant
from .test_accept_baseline import SINGLE_AZ

SCHEMA = Path(__file__).parent / "sarif" / "sarif-schema-2.1.0.json"


@cache
def validator() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def sarif_of(path: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "sarif", *args])
    assert result.exit_code in (0, 3), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    validator().validate(data)
    return data


def test_blueprint_sarif_is_valid_and_located(tmp_path: Path) -> None:
    """A blueprint's finding points at its file, line and column; an accepted one carries a
    suppression with the reason; every rule has help text and an AWS help URI."""
    path = tmp_path / "blueprint.yaml"
    accept = "accept:\n  - {rule: DATA004, resource: db/main, reason: a dev copy}\n"
    path.write_text(
        SINGLE_AZ.replace("    type: t3.micro\n", "    type: t3.micro\n    imdsv2: false\n", 1)
        + accept
    )
    (run,) = sarif_of(path)["runs"]
    results = {r["ruleId"]: r for r in run["results"]}
    where = results["SEC002"]["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == str(path)
    line = path.read_text().splitlines().index("    imdsv2: false") + 1
    assert where["region"] == {"startLine": line, "startColumn": 13}
    assert results["SEC002"]["level"] == "error" and "suppressions" not in results["SEC002"]
    assert results["DATA004"]["suppressions"] == [
        {"kind": "inSource", "justification": "a dev copy"}
    ]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    for rule in ALL_RULES:
        assert rules[rule.id]["helpUri"] == rule.docs
        assert rule.fix in rules[rule.id]["help"]["text"]
    intent = next(r for r in PSEUDO_RULES if r.id == "INTENT")  # as `awsarch explain` says it
    assert rules["INTENT"]["name"] == intent.title and rules["INTENT"]["helpUri"] == intent.docs


def test_template_sarif_is_valid_and_located(tmp_path: Path) -> None:
    """A template's finding points at the template's line; its Metadata suppression shows as
    a suppression, as a blueprint's acceptance does."""
    path = tmp_path / "template.yaml"
    text = plant(SEED, "MultiAZ: true", "MultiAZ: false")
    path.write_text(text)
    (run,) = sarif_of(path, *REGION)["runs"]
    (found,) = [r for r in run["results"] if r["ruleId"] == "DATA004"]
    where = found["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == str(path)
    assert (
        where["region"]["startLine"]
        == text.splitlines().index(next(x for x in text.splitlines() if "MultiAZ: false" in x)) + 1
    )


def test_audit_shaped_sarif_without_a_file_is_valid() -> None:
    """Findings of a live account (no file) are still valid SARIF, by logical location."""
    finding = Finding(
        rule_id="IAM102", severity="error", resource_id="account/root", message="no MFA"
    )
    data = to_sarif([finding, finding.accept("break-glass only")], ALL_RULES, None)
    validator().validate(data)
    first, second = data["runs"][0]["results"]
    assert "physicalLocation" not in first["locations"][0]
    assert second["level"] == "error" and second["suppressions"][0]["kind"] == "inSource"
