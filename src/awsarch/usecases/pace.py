"""Apply a plan at its target's pace: the one place `up`, `down` and the Python API build the
engine's context, so they wait, retry and name snapshots alike."""

from __future__ import annotations

import datetime
import secrets
import string
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awsarch.adapters.aws.resources.context import ApplyContext
    from awsarch.adapters.aws.session import AwsSession
    from awsarch.usecases.live import Observed

AWS_WAITER_DELAY = 15.0
"""Seconds between a waiter's polls on AWS (a NAT gateway takes minutes, a database more)."""
EMULATOR_WAITER_DELAY = 0.2
"""On the emulator resources are ready almost at once: poll fast."""
EMULATOR_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4)
"""The emulator compresses AWS's delays (a minute lasts a fraction of a second): back off fast."""
EMULATOR_RETRY_DEADLINE = 60.0


def is_emulator(endpoint_url: str | None) -> bool:
    """The embedded emulator listens on this machine only (127.0.0.1)."""
    url = endpoint_url or ""
    return "127.0.0.1" in url or "localhost" in url


def timestamp() -> str:
    """UTC to the second, then four random letters or digits: names final snapshots
    (`demo-main-final-20261129053000-k3f9`) that stay apart even when two `down`s of a stack
    run in the same second, and stay valid RDS identifiers (no '--', no trailing '-')."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
    nonce = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(4))
    return f"{now}-{nonce}"


def seed_ids(observed: Observed | None) -> dict[str, str]:
    """logical id → AWS id of what is already live (and each database's secret ARN), so
    updates and deletes find what they refer to."""
    if observed is None:
        return {}
    from awsarch.deploy.normalize import id_translation

    return {logical: aws for aws, logical in id_translation(observed.model).items()}


def apply_context(
    session: AwsSession,
    *,
    stack: str,
    observed: Observed | None,
    emulator: bool,
    announce: Callable[[str], None] | None = None,
    unprotect: bool = False,
) -> ApplyContext:
    """The engine's context: AWS's waiter pace, or the emulator's compressed one."""
    from awsarch.adapters.aws.resources.context import ApplyContext

    context = ApplyContext(
        session=session,
        stack=stack,
        waiter_delay=EMULATOR_WAITER_DELAY if emulator else AWS_WAITER_DELAY,
        ids=seed_ids(observed),
        unprotect=unprotect,
    )
    if announce is not None:
        context.announce = announce
    if emulator:
        context.retry_delays = EMULATOR_RETRY_DELAYS
        context.retry_deadline = EMULATOR_RETRY_DEADLINE
    return context
