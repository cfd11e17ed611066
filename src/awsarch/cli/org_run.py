"""Run an organization's units in threads: a role assumed once per account, a fresh session per
unit (boto3 sessions are not thread-safe; clients are), and any failure kept to its unit."""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from awsarch.adapters.aws.errors import AccessDeniedError
from awsarch.adapters.aws.organization import (
    RoleRequest,
    assume,
    enabled_regions,
    session_for,
)
from awsarch.errors import AwsarchError, ToolError
from awsarch.org.results import UnitResult, audited, failed
from awsarch.org.units import UNLISTED, Unit

if TYPE_CHECKING:
    from awsarch.adapters.aws.session import AwsSession, Credentials
    from awsarch.blueprint.load import Loaded
    from awsarch.usecases.live import Observed


@dataclass(kw_only=True)
class OrgRun:
    """What every unit needs: the caller's session, the role to assume, where AWS is."""

    base: AwsSession
    home: str
    """The caller's own account: audited with the caller's credentials, no role assumed."""
    request: RoleRequest
    endpoint_url: str | None
    profile: str | None = None
    emulator: bool = False
    loaded: Loaded | None = None
    _roles: dict[str, Credentials | AwsarchError] = field(default_factory=dict)
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _unlisted: dict[str, str] = field(default_factory=dict)

    def audit(self, unit: Unit) -> UnitResult:
        """One unit's result: audited, or failed with the reason in one line."""
        session: AwsSession | None = None
        if unit.region == UNLISTED:
            return failed(unit, self._unlisted.get(unit.account, "its regions were not listed"))
        try:
            session = self.session(unit.account, self.base.region if unit.hygiene else unit.region)
            return self._audit(unit, session)
        except AwsarchError as exc:
            return failed(unit, str(exc), api_calls=session.calls.total if session else 0)
        except Exception as exc:  # a bug in one unit must not stop the organization's audit
            return failed(unit, f"internal error: {exc!r} — run again with --debug and report it")

    def session(self, account: str, region: str) -> AwsSession:
        """A fresh session acting in `account` (as the role, unless it is the caller's)."""
        return session_for(
            region,
            credentials=self.credentials(account),
            endpoint_url=self.endpoint_url,
            profile=self.profile,
        )

    def enabled_regions(
        self, accounts: Sequence[str], *, parallel: int
    ) -> dict[str, Sequence[str]]:
        """Each account's enabled regions (its own DescribeRegions, from the caller's region):
        an opt-in region it has not enabled is not one of them. An account whose regions
        cannot be listed gets the UNLISTED stand-in unit instead, which fails with the reason."""
        with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="regions") as pool:
            listed = dict(zip(accounts, pool.map(self._regions, accounts), strict=True))
        return {a: (UNLISTED,) if a in self._unlisted else r for a, r in listed.items()}

    def _regions(self, account: str) -> tuple[str, ...]:
        try:
            return enabled_regions(self.session(account, self.base.region))
        except AwsarchError as exc:
            with self._lock:
                self._unlisted[account] = f"cannot list the regions enabled in this account: {exc}"
            return ()

    def credentials(self, account: str) -> Credentials | None:
        """The role's credentials in `account`, assumed once and shared by its regions."""
        if account == self.home:
            return None
        with self._lock:
            lock = self._locks.setdefault(account, threading.Lock())
        with lock:
            if account not in self._roles:
                self._roles[account] = self._assume(account)
            got = self._roles[account]
        if isinstance(got, AwsarchError):
            raise got
        return got

    def _assume(self, account: str) -> Credentials | AwsarchError:
        arn = self.request.arn(account)
        try:
            return assume(self.base, account, self.request)
        except AccessDeniedError:
            return ToolError(
                f"cannot assume {arn} (AccessDenied): the role is missing in this account or its"
                f" trust policy does not admit account {self.home}"
                " (nor the external id, nor session tags without sts:TagSession)"
                " — create the role there (a service-managed StackSet rolls it out to every"
                " account: see the README), or fix its trust policy"
            )
        except AwsarchError as exc:
            return ToolError(f"cannot assume {arn}: {exc}")

    def _audit(self, unit: Unit, session: AwsSession) -> UnitResult:
        from awsarch.org.scope import region_findings
        from awsarch.rules.registry import run_rules

        if unit.hygiene:
            return self._audit_hygiene(unit, session)
        if self.loaded is not None:
            result = self._audit_stack(unit, session, self.loaded)
            if result is not None:
                return result
        observed = observe_region(session)
        findings = region_findings(run_rules(observed.view), empty=observed.empty)
        return audited(unit, findings, api_calls=session.calls.total)

    def _audit_hygiene(self, unit: Unit, session: AwsSession) -> UnitResult:
        """The account's root user and IAM users: global, read once per account."""
        from awsarch.adapters.aws.account import read_account, with_account
        from awsarch.model import Architecture
        from awsarch.org.scope import account_findings
        from awsarch.rules.registry import run_rules

        facts = read_account(session)
        if self.emulator:  # the emulator cannot give its root user MFA: its root facts mean nothing
            facts = dataclasses.replace(facts, root=None)
        model = with_account(Architecture(stack="", region=session.region), facts)
        return audited(unit, account_findings(run_rules(model)), api_calls=session.calls.total)

    def _audit_stack(self, unit: Unit, session: AwsSession, loaded: Loaded) -> UnitResult | None:
        """The blueprint's rules, intents and drift where its stack lives (the blueprint's region,
        in an account where the stack owns resources there); None elsewhere. The stack's IAM
        operators, global, are no sign of it: they are seen from every region."""
        from awsarch.adapters.aws.ingest import owned_ids
        from awsarch.cli.audit import drift_lines
        from awsarch.usecases.live import audit, verify_in_account

        stack = loaded.blueprint.stack
        if unit.region != loaded.blueprint.region:
            return None
        observed = observe_region(session, stack=stack)
        if not owned_ids(observed.raw, stack):
            return None
        live, drift = audit(loaded, observed, verify_in_account(loaded, session).architecture)
        return audited(
            unit,
            live.findings,
            locate=live.locate,
            drift=drift_lines(drift),
            api_calls=session.calls.total,
        )


def observe_region(session: AwsSession, *, stack: str = "") -> Observed:
    """One region as `audit` reads it (every instance's user data too), without the account's
    IAM hygiene: the account's own unit reads that once."""
    from awsarch.adapters.aws.account import read_operators, with_operators
    from awsarch.adapters.aws.discover import discover
    from awsarch.adapters.aws.ingest import ingest
    from awsarch.deploy.normalize import logical_view
    from awsarch.usecases.live import Observed

    raw = discover(session, include_user_data=True, stack=stack)
    model = ingest(raw, stack=stack)
    if stack:
        model = with_operators(model, read_operators(session, stack))
    return Observed(raw=raw, model=model, view=logical_view(model))


def run_units(
    run: OrgRun,
    units: Sequence[Unit],
    *,
    parallel: int,
    keep: Callable[[UnitResult], None] = lambda _: None,
    on_result: Callable[[UnitResult], None] = lambda _: None,
) -> list[UnitResult]:
    """Every unit's result, at most `parallel` at a time (they wait on AWS, not on the CPU).
    `keep` stores a result from the unit's own thread (an S3 write waits on AWS too); a
    result that cannot be stored makes its unit failed, with the reason, and the rest go on."""

    def task(unit: Unit) -> UnitResult:
        result = run.audit(unit)
        try:
            keep(result)
        except AwsarchError as exc:
            return failed(unit, f"result not stored: {exc}", api_calls=result.api_calls)
        return result

    results: list[UnitResult] = []
    with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="unit") as pool:
        futures = [pool.submit(task, unit) for unit in units]
        for future in as_completed(futures):
            result = future.result()
            on_result(result)
            results.append(result)
    return results


class OrgProgress:
    """`units 12/36 done, 1 failed, 7 findings` on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, *, live: bool | None = None) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.findings = 0
        self.live = sys.stderr.isatty() if live is None else live
        self._lock = threading.Lock()

    def __call__(self, result: UnitResult) -> None:
        with self._lock:
            self.done += 1
            self.failed += result.failed
            self.findings += len(result.findings)
            if self.live:
                sys.stderr.write(
                    f"\r\033[Kunits {self.done}/{self.total} done, {self.failed} failed,"
                    f" {self.findings} findings"
                )
                sys.stderr.flush()

    def close(self) -> None:
        if self.live:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
