"""Findings for people (text) and for programs (JSON): one place maps paths to FILE:LINE:COL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from awsarch.model import Path
from awsarch.render.words import plural
from awsarch.rules.base import Accepted, Finding, Rule
from awsarch.usecases.proofs import IntentProof

Locate = Callable[[Path], str]
"""Turns a blueprint path into `FILE:LINE:COL` (or "" when there is no blueprint)."""


def summary_counts(findings: Sequence[Finding]) -> Counter[str]:
    """Findings by severity, and how many of them were accepted (under "accepted")."""
    counts: Counter[str] = Counter(f.severity for f in findings)
    counts["accepted"] = sum(1 for f in findings if f.accepted)
    return counts


def summary_line(findings: Sequence[Finding]) -> str:
    """`1 error, 2 warnings` (`, 1 accepted` when some are)."""
    return counts_line([f.severity for f in findings], sum(1 for f in findings if f.accepted))


def counts_line(severities: Sequence[str], accepted: int = 0) -> str:
    """The one way `check`, `report` and `audit` count findings: errors, warnings, accepted."""
    errors, warnings = severities.count("error"), severities.count("warning")
    extra = f", {accepted} accepted" if accepted else ""
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}{extra}"


def findings_text(findings: Sequence[Finding], locate: Locate) -> list[str]:
    """One line per finding, like a compiler: where, severity, rule, resource, message; an
    accepted one says so with its reason. Then, once per rule, where its guide is."""
    lines = []
    for finding in findings:
        where = locate(finding.path) if finding.path else ""
        prefix = f"{where}: " if where else ""
        head = f"{prefix}{_severity(finding)} {finding.rule_id} {finding.resource_id}"
        lines.append(f"{head}: {finding.message}{_acceptance(finding)}")
    return lines + guide_lines(findings)


def guide_lines(findings: Sequence[Finding]) -> list[str]:
    """`guide DATA004: <AWS page> (awsarch explain DATA004)` once per rule that found something."""
    lines = []
    for rule_id in dict.fromkeys(f.rule_id for f in findings):
        rule = _rule(rule_id)
        if rule is not None:
            link = f"{rule.docs} " if rule.docs else ""
            lines.append(f"guide {rule_id}: {link}(awsarch explain {rule_id})")
    return lines


def _severity(finding: Finding) -> str:
    return f"accepted {finding.accepted.severity}" if finding.accepted else finding.severity


def _acceptance(finding: Finding) -> str:
    if finding.accepted is None:
        return ""
    until = f", until {finding.accepted.expires}" if finding.accepted.expires else ""
    return f" [accepted: {finding.accepted.reason}{until}]"


def _rule(rule_id: str) -> Rule | None:
    from awsarch.rules.registry import rule_by_id

    try:
        return rule_by_id(rule_id)
    except KeyError:
        return None


def finding_json(finding: Finding, locate: Locate) -> dict[str, Any]:
    rule = _rule(finding.rule_id)
    return {
        "rule": finding.rule_id,
        "severity": finding.severity,
        "resource": finding.resource_id,
        "message": finding.message,
        "location": locate(finding.path) if finding.path else None,
        "accepted": _accepted_json(finding.accepted) if finding.accepted else None,
        "guide": rule.docs if rule and rule.docs else None,
    }


def _accepted_json(accepted: Accepted) -> dict[str, Any]:
    return {
        "reason": accepted.reason,
        "severity": accepted.severity,
        "where": accepted.where,
        "expires": accepted.expires or None,
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
