"""Run an organization's units in threads: a role assumed once per account, a fresh session per
unit (boto3 sessions are not thread-safe; clients are), and any failure kept to its unit."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from awsarch.adapters.aws.errors import AccessDeniedError
from awsarch.adapters.aws.organization import RoleRequest, assume, session_for
from awsarch.errors import AwsarchError, ToolError
from awsarch.org.results import UnitResult, audited, failed
from awsarch.org.units import Unit

if TYPE_CHECKING:
    from awsarch.adapters.aws.session import AwsSession, Credentials
    from awsarch.blueprint.load import Loaded


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

    def audit(self, unit: Unit) -> UnitResult:
        """One unit's result: audited, or failed with the reason in one line."""
        session: AwsSession | None = None
        try:
            credentials = self.credentials(unit.account)
            session = session_for(
                unit.region,
                credentials=credentials,
                endpoint_url=self.endpoint_url,
                profile=self.profile,
            )
            return self._audit(unit, session)
        except AwsarchError as exc:
            return failed(unit, str(exc), api_calls=session.calls.total if session else 0)
        except Exception as exc:  # a bug in one unit must not stop the organization's audit
            return failed(unit, f"internal error: {exc!r} — run again with --debug and report it")

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
        from awsarch.usecases.live import observe

        if self.loaded is not None:
            result = self._audit_stack(unit, session, self.loaded)
            if result is not None:
                return result
        observed = observe(session, account=unit.hygiene, emulator=self.emulator)
        findings = region_findings(run_rules(observed.view), empty=observed.empty)
        return audited(unit, findings, api_calls=session.calls.total)

    def _audit_stack(self, unit: Unit, session: AwsSession, loaded: Loaded) -> UnitResult | None:
        """The blueprint's rules, intents and drift where its stack lives; None elsewhere."""
        from awsarch.cli.audit import drift_lines
        from awsarch.usecases.live import audit, observe, verify_in_account

        stack = loaded.blueprint.stack
        observed = observe(session, stack=stack, account=unit.hygiene, emulator=self.emulator)
        if not observed.owned:
            return None
        live, drift = audit(loaded, observed, verify_in_account(loaded, session).architecture)
        return audited(
            unit,
            live.findings,
            locate=live.locate,
            drift=drift_lines(drift),
            api_calls=session.calls.total,
        )


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
    result that cannot be stored stops the run, as no merge would ever see it."""

    def task(unit: Unit) -> UnitResult:
        result = run.audit(unit)
        keep(result)
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
