"""Findings as SARIF 2.1.0, the format code-scanning tools (GitHub, GitLab, IDEs) read.

Each rule carries its help (rationale and fix) and a helpUri to the AWS page it follows; each
result a file, line and column when it comes from a file (a blueprint or a template), and an
accepted finding a suppression with its reason (SARIF §3.35), so it is shown, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from awsarch import __version__
from awsarch.model import Path
from awsarch.rules.base import Finding, Rule

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def to_sarif(
    findings: Sequence[Finding],
    rules: Sequence[Rule],
    locate: Callable[[Path], str] | None,
    *,
    artifact: str = "",
) -> dict[str, Any]:
    """One run of awsarch: its rules as the tool's rules, each finding as a result. With
    `artifact` (the file checked), a finding with no place of its own points at its top."""
    descriptors = [_descriptor(r) for r in rules]
    known = {r.id for r in rules}
    extra = sorted({f.rule_id for f in findings} - known | {"INTENT"})
    descriptors += [_pseudo(rule_id) for rule_id in extra]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "awsarch",
                        "version": __version__,
                        "rules": descriptors,
                    }
                },
                "results": [_result(f, locate, artifact) for f in findings],
            }
        ],
    }


def _descriptor(rule: Rule) -> dict[str, Any]:
    help_text = f"{rule.rationale}\n\nFix: {rule.fix}" if rule.fix else rule.rationale
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.title,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": help_text, "markdown": _markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
    }
    if rule.docs:
        descriptor["helpUri"] = rule.docs
    return descriptor


def _markdown(rule: Rule) -> str:
    parts = [rule.rationale]
    if rule.fix:
        parts.append(f"**Fix:** {rule.fix}")
    if rule.docs:
        parts.append(f"[AWS documentation]({rule.docs})")
    return "\n\n".join(parts)


def _pseudo(rule_id: str) -> dict[str, Any]:
    from awsarch.rules.pseudo import PSEUDO_RULES

    rule = next((r for r in PSEUDO_RULES if r.id == rule_id), None)
    if rule is not None:
        return _descriptor(rule)
    return {"id": rule_id, "name": rule_id, "shortDescription": {"text": rule_id}}


def _result(
    finding: Finding, locate: Callable[[Path], str] | None, artifact: str
) -> dict[str, Any]:
    level = finding.accepted.severity if finding.accepted else finding.severity
    location: dict[str, Any] = {
        "logicalLocations": [{"name": finding.resource_id, "kind": "resource"}]
    }
    physical = _physical(finding, locate, artifact)
    if physical:
        location["physicalLocation"] = physical
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": LEVELS[level],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {"awsarch/v1": f"{finding.rule_id}:{finding.resource_id}"},
    }
    if finding.accepted:
        result["suppressions"] = [{"kind": "inSource", "justification": finding.accepted.reason}]
    return result


def _physical(
    finding: Finding, locate: Callable[[Path], str] | None, artifact: str
) -> dict[str, Any] | None:
    """The file, line and column; a finding with no place in the file points at its top."""
    where = locate(finding.path) if finding.path and locate else ""
    if where:
        file, line, column = where.rsplit(":", 2)
        region = {"startLine": max(int(line), 1), "startColumn": max(int(column), 1)}
        return {"artifactLocation": {"uri": file}, "region": region}
    if artifact:
        return {
            "artifactLocation": {"uri": artifact},
            "region": {"startLine": 1, "startColumn": 1},
        }
    return None
