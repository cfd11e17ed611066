"""Accepting findings, as a pure function: marked with the reason, never dropped; an expired
acceptance accepts nothing and says so; one that matches nothing is a warning."""

from __future__ import annotations

from datetime import date

from awsarch.rules.accept import Acceptance, apply_acceptances
from awsarch.rules.base import Finding

FOUND = Finding(rule_id="DATA004", severity="error", resource_id="db/main", message="single AZ")
TODAY = date(2025, 6, 1)


def accept(expires: date | None = None, resource: str = "db/main") -> Acceptance:
    return Acceptance(
        rule="DATA004", resource=resource, reason="dev copy", expires=expires, path=("accept", 0)
    )


def test_an_accepted_finding_stays_marked_and_stops_counting() -> None:
    """The finding is still there, at info, with its reason and its own severity kept."""
    (found,) = apply_acceptances([FOUND], [accept()], TODAY)
    assert found.severity == "info" and found.message == FOUND.message
    assert found.accepted is not None
    assert (found.accepted.reason, found.accepted.severity) == ("dev copy", "error")


def test_an_acceptance_holds_through_its_expiry_day() -> None:
    """`expires: 2025-06-01` still accepts on 1 June."""
    (found,) = apply_acceptances([FOUND], [accept(expires=TODAY)], TODAY)
    assert found.accepted is not None and found.accepted.expires == "2025-06-01"


def test_an_expired_acceptance_accepts_nothing_and_says_so() -> None:
    """After its date the finding counts again, and a warning at the acceptance says why."""
    found, warning = apply_acceptances([FOUND], [accept(expires=date(2025, 5, 31))], TODAY)
    assert found == FOUND
    assert warning.rule_id == "ACCEPT" and warning.severity == "warning"
    assert "expired on 2025-05-31" in warning.message and "counts again" in warning.message
    assert warning.path == ("accept", 0)


def test_an_acceptance_that_matches_nothing_is_a_warning() -> None:
    """A stale acceptance (wrong resource, a fixed finding) is pointed out, not kept silently."""
    found, warning = apply_acceptances([FOUND], [accept(resource="db/other")], TODAY)
    assert found == FOUND
    assert "matches no finding" in warning.message and warning.severity == "warning"
