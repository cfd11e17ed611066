"""What one unit's audit leaves behind: a small JSON document, the same from any worker.

A document carries the unit, whether it was audited or failed (and why), and its findings as
`awsarch audit --format json` writes them. `api_calls` is how the unit was read, not what was
found: merged reports leave it out, so a sharded run merges into exactly the unsharded report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from typing import Any, Literal

from awsarch.errors import InputError
from awsarch.org.units import Unit
from awsarch.record import record
from awsarch.rules.base import SEVERITY_ORDER, Finding

DOCUMENT_KIND = "awsarch/audit-unit"
DOCUMENT_FORMAT = 2
"""2: the account's hygiene is a unit of its own (`ACCOUNT/global`), no longer a region's."""
READ_FORMATS = (1, 2)
"""A format-1 run (hygiene in each account's first region) still merges into its own report."""
Status = Literal["audited", "failed"]


@record
class UnitFinding:
    rule: str
    severity: str
    resource: str
    message: str
    location: str | None = None

    def json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "resource": self.resource,
            "message": self.message,
            "location": self.location,
        }


@record
class UnitResult:
    unit: Unit
    status: Status
    reason: str = ""
    """Why a failed unit could not be audited (one line)."""
    findings: tuple[UnitFinding, ...] = ()
    drift: tuple[str, ...] = ()
    api_calls: int = field(default=0, compare=False)

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def audited(
    unit: Unit,
    findings: Sequence[Finding],
    *,
    locate: Any = None,
    drift: Sequence[str] = (),
    api_calls: int = 0,
) -> UnitResult:
    """A unit's result from its rule findings, in a stable order (errors first)."""
    found = sorted(
        (
            UnitFinding(
                rule=f.rule_id,
                severity=f.severity,
                resource=f.resource_id,
                message=f.message,
                location=(locate(f.path) or None) if locate and f.path else None,
            )
            for f in findings
        ),
        key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule, f.resource, f.message),
    )
    return UnitResult(
        unit=unit, status="audited", findings=tuple(found), drift=tuple(drift), api_calls=api_calls
    )


def failed(unit: Unit, reason: str, *, api_calls: int = 0) -> UnitResult:
    return UnitResult(unit=unit, status="failed", reason=reason, api_calls=api_calls)


def to_document(result: UnitResult) -> dict[str, Any]:
    return {
        "kind": DOCUMENT_KIND,
        "format": DOCUMENT_FORMAT,
        "account": result.unit.account,
        "region": result.unit.region,
        "hygiene": result.unit.hygiene,
        "status": result.status,
        "reason": result.reason,
        "findings": [f.json() for f in result.findings],
        "drift": list(result.drift),
        "api_calls": result.api_calls,
    }


def from_document(document: Any, *, source: str) -> UnitResult:
    """A unit result read back; anything else is an input error naming its source."""
    if not isinstance(document, dict) or document.get("kind") != DOCUMENT_KIND:
        raise InputError(f"{source}: not an awsarch unit result (kind {DOCUMENT_KIND!r})")
    if document.get("format") not in READ_FORMATS:
        raise InputError(
            f"{source}: unit result format {document.get('format')!r}, this awsarch reads"
            f" {' and '.join(map(str, READ_FORMATS))} — merge with the awsarch that wrote it"
        )
    try:
        unit = Unit(account=str(document["account"]), region=str(document["region"]))
        findings = tuple(UnitFinding(**f) for f in document["findings"])
        return UnitResult(
            unit=unit,
            status="failed" if document["status"] == "failed" else "audited",
            reason=str(document.get("reason", "")),
            findings=findings,
            drift=tuple(str(d) for d in document.get("drift", [])),
            api_calls=int(document.get("api_calls", 0)),
        )
    except (KeyError, TypeError) as exc:
        raise InputError(f"{source}: a unit result without {exc}") from exc
