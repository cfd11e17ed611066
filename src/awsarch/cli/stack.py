"""Helpers shared by the verbs that change a live stack (`plan --live`, `up`, `down`)."""

from __future__ import annotations

import datetime
import sys
from typing import TYPE_CHECKING, Any

import click

from awsarch.cli.target import Target
from awsarch.errors import InputError

if TYPE_CHECKING:
    from awsarch.aws.apply import ApplyResult
    from awsarch.aws.session import AwsSession
    from awsarch.deploy.plan import Plan
    from awsarch.live import Observed


AWS_WAITER_DELAY = 15.0
"""Seconds between a waiter's polls on AWS (a NAT gateway takes minutes, a database more)."""
EMULATOR_WAITER_DELAY = 0.2
"""On the emulator resources are ready almost at once: poll fast."""
EMULATOR_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4)
"""The emulator compresses AWS's delays (a minute lasts a fraction of a second): back off fast."""
EMULATOR_RETRY_DEADLINE = 60.0


def session_for(target: Target, region: str) -> AwsSession:
    """A session in the blueprint's region (AZ names belong to it); --region must agree."""
    if target.region and target.region != region:
        raise InputError(
            f"--region {target.region} differs from the blueprint's region {region}"
            " — change `region:` in the blueprint, or drop --region"
        )
    return Target(endpoint_url=target.endpoint_url, region=region, profile=target.profile).session()


def timestamp() -> str:
    """UTC, digits only: names final snapshots (`demo-main-final-20261129053000`)."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")


def confirm(question: str, *, yes: bool) -> None:
    """Go on with --yes; otherwise ask on a terminal, and refuse when nobody can answer."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise InputError("not asking on a non-interactive input — pass --yes to go ahead")
    if not click.confirm(question, default=False):
        raise click.exceptions.Exit(1)


def run_plan(
    plan: Plan,
    session: AwsSession,
    observed: Observed,
    *,
    stack: str,
    emulator: bool,
    parallel: int = 8,
) -> ApplyResult:
    """Apply with a progress display, `parallel` actions at a time."""
    from awsarch.aws.apply import apply_plan
    from awsarch.aws.resources.context import ApplyContext
    from awsarch.cli.progress import Progress

    progress = Progress(len(plan.actions))
    context = ApplyContext(
        session=session,
        stack=stack,
        waiter_delay=EMULATOR_WAITER_DELAY if emulator else AWS_WAITER_DELAY,
        **_emulator_retries(emulator),
        announce=progress.note,
        ids=seed_ids(observed),
    )
    try:
        return apply_plan(plan, context, on_event=progress, max_workers=parallel)
    finally:
        progress.close()


def _emulator_retries(emulator: bool) -> dict[str, Any]:
    if not emulator:
        return {}
    return {"retry_delays": EMULATOR_RETRY_DELAYS, "retry_deadline": EMULATOR_RETRY_DEADLINE}


def seed_ids(observed: Observed) -> dict[str, str]:
    """logical id → AWS id of what is already live (and each database's secret ARN), so
    updates and deletes find what they refer to."""
    from awsarch.deploy.normalize import id_translation

    return {logical: aws for aws, logical in id_translation(observed.model).items()}
