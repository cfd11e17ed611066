"""Findings for people (text) and for programs (JSON): one place maps paths to FILE:LINE:COL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from awsarch.model import Path
from awsarch.proofs import IntentProof
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


def proofs_text(proofs: Sequence[IntentProof], locate: Locate) -> list[str]:
    """One line per intent (✓ holds, ✗ refuted, ? conditional), a refuted one with evidence."""
    lines = []
    for proof in proofs:
        mark = "✓" if proof.holds else ("?" if proof.conditional else "✗")
        lines.append(f"{mark} {proof.text}  — {proof.summary}")
        if not proof.holds:
            lines.append(f"    at {locate(('intents', proof.index))}")
            lines += [f"    {line}" for line in proof.evidence]
    return lines


def proof_json(proof: IntentProof, locate: Locate) -> dict[str, Any]:
    return {
        "intent": proof.text,
        "kind": proof.kind,
        "holds": proof.holds,
        "conditional": proof.conditional,
        "summary": proof.summary,
        "location": locate(("intents", proof.index)),
        "proof": proof.data,
    }
