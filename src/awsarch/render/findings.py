"""Findings for people (text) and for programs (JSON): one place maps paths to FILE:LINE:COL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from awsarch.model import Path
from awsarch.rules.base import Finding

Locate = Callable[[Path], str]
"""Turns a blueprint path into `FILE:LINE:COL` (or "" when there is no blueprint)."""


def summary_counts(findings: Sequence[Finding]) -> Counter[str]:
    return Counter(f.severity for f in findings)


def summary_line(findings: Sequence[Finding]) -> str:
    counts = summary_counts(findings)
    return f"{counts['error']} errors, {counts['warning']} warnings"


def findings_text(findings: Sequence[Finding], locate: Locate) -> list[str]:
    """One line per finding, like a compiler: where, severity, rule, resource, message."""
    lines = []
    for finding in findings:
        where = locate(finding.path) if finding.path else ""
        prefix = f"{where}: " if where else ""
        lines.append(
            f"{prefix}{finding.severity} {finding.rule_id} {finding.resource_id}: {finding.message}"
        )
    return lines


def finding_json(finding: Finding, locate: Locate) -> dict[str, Any]:
    return {
        "rule": finding.rule_id,
        "severity": finding.severity,
        "resource": finding.resource_id,
        "message": finding.message,
        "location": locate(finding.path) if finding.path else None,
    }
