"""Unit results from any number of workers → one organization report, whatever their order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from awsarch.errors import InputError
from awsarch.org.results import UnitResult
from awsarch.record import record


@record
class AccountSummary:
    account: str
    units: int
    audited: int
    failed: int
    errors: int
    warnings: int


@record
class OrgReport:
    results: tuple[UnitResult, ...]
    """One per unit, sorted by (account, region)."""
    known: int = 0
    """Findings a baseline left out (see awsarch.org.baseline)."""

    @property
    def failed(self) -> tuple[UnitResult, ...]:
        return tuple(r for r in self.results if r.failed)

    def counts(self) -> Counter[str]:
        return Counter(f.severity for r in self.results for f in r.findings)

    def accounts(self) -> tuple[AccountSummary, ...]:
        by_account: dict[str, list[UnitResult]] = {}
        for result in self.results:
            by_account.setdefault(result.unit.account, []).append(result)
        return tuple(_summary(account, units) for account, units in by_account.items())

    @property
    def has_errors(self) -> bool:
        return self.counts()["error"] > 0 or any(r.drift for r in self.results)


def _summary(account: str, results: list[UnitResult]) -> AccountSummary:
    severities = Counter(f.severity for r in results for f in r.findings)
    failed = sum(1 for r in results if r.failed)
    return AccountSummary(
        account=account,
        units=len(results),
        audited=len(results) - failed,
        failed=failed,
        errors=severities["error"],
        warnings=severities["warning"],
    )


def merge(results: Iterable[UnitResult]) -> OrgReport:
    """One result per unit: a unit audited by a retry replaces its failure; two different
    audits of one unit are an input error (two runs' results mixed under one prefix)."""
    kept: dict[str, UnitResult] = {}
    for result in results:
        key = result.unit.key
        before = kept.get(key)
        if before is None or (before.failed and not result.failed):
            kept[key] = result
        elif not before.failed and not result.failed and before != result:
            raise InputError(
                f"two different audits of {key}: results of two runs are mixed"
                " — merge one run's results (write each run under its own prefix)"
            )
    return OrgReport(results=tuple(kept[k] for k in sorted(kept)))
