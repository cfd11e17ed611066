"""Helpers shared by the verbs that change a live stack (`plan --live`, `up`, `down`): the
target, the question, the apply, the lock and the owner record."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from awsarch.cli.target import Target
from awsarch.deploy.lock_record import BlueprintIdentity, Ownership, ownership
from awsarch.errors import Cancelled, FindingsError, InputError
from awsarch.usecases.pace import apply_context

if TYPE_CHECKING:
    from awsarch.adapters.aws.apply import ApplyResult
    from awsarch.adapters.aws.session import AwsSession
    from awsarch.deploy.plan import Plan
    from awsarch.usecases.live import Observed
    from awsarch.usecases.verify import Verified


def session_for(target: Target, region: str) -> AwsSession:
    """A session in the blueprint's region (AZ names belong to it); --region must agree."""
    if target.region and target.region != region:
        raise InputError(
            f"--region {target.region} differs from the blueprint's region {region}"
            " — change `region:` in the blueprint, or drop --region"
        )
    return Target(endpoint_url=target.endpoint_url, region=region, profile=target.profile).session()


def confirm(question: str, *, yes: bool) -> None:
    """Go on with --yes; otherwise ask on a terminal, and refuse when nobody can answer."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise InputError("not asking on a non-interactive input — pass --yes to go ahead")
    try:
        answer = click.confirm(question, default=False)
    except click.Abort:  # Ctrl-D or Ctrl-C at the question: a no, not click's "Aborted!"
        answer = False
    if not answer:
        verb = click.get_current_context().command_path.partition(" ")[2]
        raise Cancelled(f"{verb} cancelled: nothing changed")


def refuse_failed(verified: Verified, blueprint: str) -> None:
    """A blueprint with error findings or failed intents is never deployed: its findings, and
    exit 3."""
    if not verified.failed:
        return
    from awsarch.cli import console
    from awsarch.render.findings import findings_text

    console.echo_lines(findings_text(verified.findings, verified.locate), "finding")
    raise FindingsError(f"{blueprint} has error findings or failed intents — fix them first")


def run_plan(
    plan: Plan,
    session: AwsSession,
    observed: Observed,
    *,
    stack: str,
    emulator: bool,
    parallel: int = 8,
    verb: str = "up",
    progress: Any = None,
) -> ApplyResult:
    """Apply with a progress display (or `progress`: `--format json`'s event stream),
    `parallel` actions at a time. Only `down` may turn a database's deletion protection off."""
    from awsarch.adapters.aws.apply import apply_plan
    from awsarch.cli.progress import Progress

    progress = progress or Progress(len(plan.actions), parallel=parallel)
    context = apply_context(
        session,
        stack=stack,
        observed=observed,
        emulator=emulator,
        announce=progress.note,
        unprotect=verb == "down",
    )
    try:
        return apply_plan(plan, context, on_event=progress, max_workers=parallel, verb=verb)
    finally:
        progress.close()


def blueprint_identity(blueprint: str) -> BlueprintIdentity:
    """The blueprint's identity as the owner record keeps it: resolved path, this host."""
    from awsarch.adapters.aws.lock import this_host

    return BlueprintIdentity(path=str(Path(blueprint).resolve()), host=this_host())


@contextmanager
def stack_locked(
    session: AwsSession, stack: str, *, command: str, blueprint: BlueprintIdentity
) -> Iterator[None]:
    """Hold the stack's lock for the block (taken before discovery, so only one run acts)."""
    from awsarch.adapters.aws import lock

    mine = lock.my_lock(session, command=command, blueprint=blueprint)
    with lock.held(session, stack, mine, say=click.echo):
        yield


def check_owner(
    session: AwsSession,
    stack: str,
    this: BlueprintIdentity,
    *,
    has_resources: bool,
    adopt: bool,
) -> Ownership:
    """Refuse a stack another blueprint owns (before any action) unless --adopt."""
    from awsarch.adapters.aws.lock import read_owner

    owner = read_owner(session, stack)
    verdict = ownership(owner, this, has_resources=has_resources, adopt=adopt)
    if verdict == "refuse" and owner is not None:
        raise InputError(
            f"stack {stack} belongs to the blueprint {owner.describe()}, not to"
            f" {this.describe()} — nothing was changed; use that blueprint, choose another"
            " `stack:` name, or pass --adopt to take the stack over"
        )
    return verdict


def refuse_cloudformation_stack(observed: Observed, stack: str, *, command: str = "up") -> None:
    """The direct engine leaves a stack that CloudFormation deployed to CloudFormation."""
    from awsarch.deploy.engine_owner import cloudformation_stack

    made_by = cloudformation_stack(observed.raw, stack)
    if made_by:
        raise InputError(
            f"stack {stack} was deployed by CloudFormation (stack {made_by}) — nothing was"
            f" changed; use `awsarch {command} --engine cloudformation`"
        )


def record_owner(session: AwsSession, stack: str, this: BlueprintIdentity, verdict: str) -> None:
    """Write the owner record where it is missing or being taken over, saying why."""
    from awsarch.adapters.aws.lock import read_owner, write_owner

    if verdict == "owned":
        return
    if verdict == "adopt-older":
        click.echo(f"stack {stack} has no owner record (an older awsarch built it): adopting it")
    if verdict == "adopt":
        owner = read_owner(session, stack)
        was = owner.describe() if owner else "nobody"
        click.echo(f"stack {stack}: taking it over from {was} (--adopt)")
    write_owner(session, stack, this)


ADOPT_OPTION = click.option(
    "--adopt",
    is_flag=True,
    help="Take over a stack of this name that another blueprint owns.",
)
