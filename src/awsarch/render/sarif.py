"""Findings as SARIF 2.1.0, the format code-scanning tools (GitHub, GitLab, IDEs) read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from awsarch import __version__
from awsarch.rules.base import Finding, Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def to_sarif(findings: Sequence[Finding], rules: Sequence[Rule], locate: Any) -> dict[str, Any]:
    """One run of awsarch: its rules as the tool's rules, each finding as a result."""
    descriptors = [
        {
            "id": r.id,
            "name": r.title,
            "shortDescription": {"text": r.title},
            "fullDescription": {"text": r.rationale},
            "defaultConfiguration": {"level": LEVELS[r.severity]},
        }
        for r in rules
    ]
    descriptors.append(
        {
            "id": "INTENT",
            "name": "A blueprint intent holds",
            "shortDescription": {"text": "A blueprint intent holds"},
        }
    )
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "awsarch", "version": __version__, "rules": descriptors}
                },
                "results": [_result(f, locate) for f in findings],
            }
        ],
    }


def _result(finding: Finding, locate: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"logicalLocations": [{"name": finding.resource_id, "kind": "resource"}]}],
    }
    where = locate(finding.path) if finding.path and locate else ""
    if where:
        file, line, column = where.rsplit(":", 2)
        result["locations"][0]["physicalLocation"] = {
            "artifactLocation": {"uri": file},
            "region": {"startLine": int(line), "startColumn": int(column)},
        }
    return result
