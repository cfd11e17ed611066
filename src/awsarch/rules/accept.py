"""Accepted findings: a blueprint's `accept:` list applied to what the rules found.

An acceptance names a rule and a resource and says why (checkov's skip comments and cfn-lint's
Metadata ignores do the same for templates). The finding stays in the output, marked accepted with
the reason, at severity info, so it no longer fails the check; nothing is hidden. An acceptance
past its `expires` date accepts nothing and says so; one that matches no finding is a warning,
so stale acceptances do not pile up. Pure: `today` is passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from awsarch.model import Path
from awsarch.record import record
from awsarch.rules.base import Finding

if TYPE_CHECKING:
    from awsarch.blueprint.spec import AcceptSpec

RULE_ID = "ACCEPT"
"""The id of the warnings about acceptances themselves (expired, matching nothing)."""


@record
class Acceptance:
    """An `accept:` entry: a finding the user accepts, until a day."""

    rule: str
    resource: str
    reason: str
    expires: date | None = None
    path: Path = ()
    """Where it is written, e.g. ("accept", 0)."""

    def expired(self, today: date) -> bool:
        """It holds through its `expires` day and not after."""
        return self.expires is not None and today > self.expires

    def matches(self, finding: Finding) -> bool:
        return finding.rule_id == self.rule and finding.resource_id == self.resource


def apply_acceptances(
    findings: Sequence[Finding], acceptances: Sequence[Acceptance], today: date
) -> list[Finding]:
    """The findings with the accepted ones marked, and a warning for each acceptance that
    expired or matches no finding."""
    live = [a for a in acceptances if not a.expired(today)]
    result = []
    used: set[int] = set()
    for finding in findings:
        match = next((a for a in live if a.matches(finding)), None)
        if match is None:
            result.append(finding)
            continue
        used.add(id(match))
        expires = match.expires.isoformat() if match.expires else ""
        result.append(finding.accept(match.reason, where="accept:", expires=expires))
    for acceptance in acceptances:
        if acceptance.expired(today):
            result.append(_expired(acceptance, findings))
        elif id(acceptance) not in used:
            result.append(_unmatched(acceptance))
    return result


def _expired(acceptance: Acceptance, findings: Sequence[Finding]) -> Finding:
    still = any(acceptance.matches(f) for f in findings)
    now = "the finding counts again" if still else "it matches no finding now either"
    return _warning(
        acceptance,
        f"the acceptance of {acceptance.rule} on {acceptance.resource} expired on"
        f" {acceptance.expires} and accepts nothing: {now} — fix the finding, or renew"
        " the acceptance with a new `expires:` and a reason that still holds",
    )


def _unmatched(acceptance: Acceptance) -> Finding:
    return _warning(
        acceptance,
        f"the acceptance of {acceptance.rule} on {acceptance.resource} matches no finding"
        " — remove it, or name the rule and resource as `awsarch check` prints them"
        " (e.g. `rule: DATA004, resource: db/main`)",
    )


def _warning(acceptance: Acceptance, message: str) -> Finding:
    return Finding(
        rule_id=RULE_ID,
        severity="warning",
        resource_id=acceptance.resource,
        message=message,
        path=acceptance.path,
    )


def from_blueprint(specs: Sequence[AcceptSpec]) -> list[Acceptance]:
    """The blueprint's `accept:` entries, each located at its place in the list."""
    return [
        Acceptance(
            rule=s.rule,
            resource=s.resource,
            reason=s.reason,
            expires=date.fromisoformat(s.expires) if s.expires else None,
            path=("accept", s.index),
        )
        for s in specs
    ]
