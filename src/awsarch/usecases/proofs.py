"""Prove a blueprint's intents — network (`web -> main:3306`) and permission (`web cannot iam:*`)
— on an architecture, the desired one before deploy or the live one after.

Pure: no I/O. Each proof is data: holds or not, a one-line summary, and the evidence (the
counterexample path hop by hop, or the policy statements that decided).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import field
from typing import Any, Literal

from awsarch.analysis import Network, format_text, parse_intent, prove, to_json
from awsarch.analysis.iam_intents import parse_intent as parse_permission
from awsarch.analysis.iam_intents import prove_permission
from awsarch.errors import InputError
from awsarch.model import Architecture
from awsarch.record import record
from awsarch.rules.base import Finding
from awsarch.words import of_total

PERMISSION = re.compile(r"^\s*\S+\s+(can|cannot)\s")
IntentKind = Literal["network", "permission"]


@record
class IntentProof:
    """The proof of one intent, network or permission: data to print."""

    index: int
    """The intent's position in the blueprint's `intents:` list."""
    text: str
    kind: IntentKind
    holds: bool
    conditional: bool = False
    summary: str = ""
    evidence: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    def finding(self) -> Finding:
        """A failed intent is an error finding at its line (a conditional one a warning)."""
        return Finding(
            rule_id="INTENT",
            severity="warning" if self.conditional else "error",
            resource_id=self.text,
            message=f"this intent does not hold: {self.summary}",
            path=("intents", self.index),
        )


def is_permission_intent(text: str) -> bool:
    return PERMISSION.match(text) is not None


class BadIntent(InputError):
    """An intent cannot be read or names nothing; `index` says which, `error` says why (an
    InputError itself, so a caller that does not place it at its line still gets one line)."""

    def __init__(self, index: int, error: InputError) -> None:
        self.index = index
        self.error = error
        super().__init__(error.detail, file=error.file, line=error.line, column=error.column)


def check_syntax(intents: Sequence[str]) -> None:
    """Parse every intent; BadIntent says which one and what to write instead."""
    for index, text in enumerate(intents):
        try:
            (parse_permission if is_permission_intent(text) else parse_intent)(text)
        except InputError as exc:
            raise BadIntent(index, exc) from exc


def prove_all(arch: Architecture, intents: Sequence[str]) -> list[IntentProof]:
    """Every intent proved; BadIntent when one names an endpoint the architecture lacks."""
    network = Network(arch)
    proofs = []
    for index, text in enumerate(intents):
        try:
            if is_permission_intent(text):
                proofs.append(_permission(arch, index, text))
            else:
                proofs.append(_network(arch, network, index, text))
        except InputError as exc:
            raise BadIntent(index, exc) from exc
    return proofs


def _network(arch: Architecture, network: Network, index: int, text: str) -> IntentProof:
    result = prove(arch, parse_intent(text), network)
    verdict = result.verdict
    summary = _network_summary(verdict, result.holds)
    evidence: tuple[str, ...] = ()
    if not result.holds:
        evidence = tuple(format_text(verdict).splitlines())
    return IntentProof(
        index=index,
        text=text,
        kind="network",
        holds=result.holds,
        summary=summary,
        evidence=evidence,
        data=to_json(verdict),
    )


def _network_summary(verdict: Any, holds: bool) -> str:
    passing = sum(1 for p in verdict.paths if p.reachable)
    counted = of_total(passing, len(verdict.paths), "placement")
    if verdict.verdict == "unknown":
        hop = next(p.unknown_at for p in verdict.paths if p.unknown_at)
        return f"unknown ({counted}): {hop.reason}"
    if verdict.verdict == "unreachable":
        first = next((p.blocked_by for p in verdict.paths if p.blocked_by), None)
        where = f"; first blocked at {first.resource} ({first.kind})" if first else ""
        return f"unreachable ({counted}){where}"
    ports = ", ".join(str(p) for p in to_json(verdict)["ports"]) or "nothing"
    return f"{verdict.verdict} on {ports} ({counted})"


def _permission(arch: Architecture, index: int, text: str) -> IntentProof:
    proof = prove_permission(arch, parse_permission(text))
    statements = tuple(s.describe() for s in proof.statements)
    return IntentProof(
        index=index,
        text=text,
        kind="permission",
        holds=proof.holds,
        conditional=proof.verdict == "conditional",
        summary=f"{proof.verdict}: {proof.reason}",
        evidence=statements if not proof.holds else (),
        data={
            "verdict": proof.verdict,
            "role": proof.role_id,
            "resource": proof.resource,
            "reason": proof.reason,
            "statements": list(statements),
        },
    )
