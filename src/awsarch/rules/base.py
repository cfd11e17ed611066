"""What a rule is and what it yields.

A rule is a pure function of the model with its metadata beside it: an id (stable, by area), a
title, a rationale, the fix, the AWS page it follows, a severity. It yields findings: data with a
location, never exceptions. A rule that crashes becomes a "could not evaluate" finding (fail
closed), never a silent pass. A finding the user accepted (a blueprint's `accept:`, a template's
Metadata suppression) stays in the list, marked with the reason, at severity info.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from typing import Literal

from awsarch.model import Architecture, Path
from awsarch.record import record

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@record
class Accepted:
    """Why a finding no longer counts: the user's reason, and what the finding was before."""

    reason: str
    severity: Severity
    """The rule's severity before acceptance (the finding itself is then `info`)."""
    where: str = ""
    """Where the acceptance is written: `accept:` of a blueprint, or a template's Metadata."""
    expires: str = ""
    """An ISO date after which the acceptance no longer holds ("" for never)."""


@record
class Finding:
    """What a rule (or a failed intent) says about one resource."""

    rule_id: str
    severity: Severity
    resource_id: str
    message: str
    path: Path = ()
    """Where in the blueprint it comes from; () for a discovered resource with no blueprint."""
    accepted: Accepted | None = None
    """Set when the user accepted it with a reason: shown as accepted, never an error."""

    def accept(self, reason: str, *, where: str = "", expires: str = "") -> Finding:
        """This finding, accepted: severity info, its own severity and the reason kept."""
        original = self.accepted.severity if self.accepted else self.severity
        mark = Accepted(reason=reason, severity=original, where=where, expires=expires)
        return dataclasses.replace(self, severity="info", accepted=mark)


Check = Callable[[Architecture], Iterable[tuple[str, str, Path]]]
"""A check yields (resource id, message, blueprint path) for each violation."""


@record
class Rule:
    """A rule: its id, what it checks, and the function that checks it."""

    id: str
    title: str
    rationale: str
    severity: Severity
    check: Check
    fix: str = ""
    """What to do about a finding, in one sentence (each finding's message says it for its case)."""
    docs: str = ""
    """The AWS documentation page the rule follows."""

    def run(self, arch: Architecture) -> Iterator[Finding]:
        try:
            violations = list(self.check(arch))
        except Exception as exc:
            yield Finding(
                rule_id=self.id,
                severity="error",
                resource_id="-",
                message=f"could not evaluate this rule: {_why(exc)}",
            )
            return
        for resource_id, message, path in violations:
            yield Finding(
                rule_id=self.id,
                severity=self.severity,
                resource_id=resource_id,
                message=message,
                path=path,
            )


def at(arch: Architecture, resource_id: str, *attribute: str | int) -> Path:
    """The blueprint path of a resource's attribute (falls back to the resource's own path)."""
    origin = arch.origin(resource_id)
    return (*origin, *attribute) if origin else ()


def _why(exc: Exception) -> str:
    """Said for people: a missing resource by its id, anything else by its type and text."""
    if isinstance(exc, KeyError) and exc.args:
        return f"it refers to {exc.args[0]}, which is not among the resources read"
    return f"{type(exc).__name__}: {exc}"
