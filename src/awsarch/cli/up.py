"""`awsarch up`: deploy the blueprint, then prove it again on what is live."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from awsarch.cli.audit import report_live
from awsarch.cli.cfn_engine import ENGINE_OPTION
from awsarch.cli.options import BLUEPRINT_ARG, PARALLEL_OPTION
from awsarch.cli.stack import (
    ADOPT_OPTION,
    blueprint_identity,
    check_owner,
    confirm,
    record_owner,
    refuse_cloudformation_stack,
    run_plan,
    session_for,
    stack_locked,
    timestamp,
)
from awsarch.cli.target import make_target, target_options
from awsarch.errors import EXIT_FINDINGS, InputError
from awsarch.render.changes import data_warnings, plan_lines
from awsarch.render.findings import findings_text
from awsarch.render.words import plural
from awsarch.verify import Verified, verify_file

if TYPE_CHECKING:
    from awsarch.aws.session import AwsSession
    from awsarch.deploy.plan import Plan
    from awsarch.live import Observed
    from awsarch.model import Architecture


@click.command("up")
@BLUEPRINT_ARG
@PARALLEL_OPTION
@click.option("--yes", is_flag=True, help="Apply without asking.")
@ADOPT_OPTION
@ENGINE_OPTION
@target_options
def command(
    blueprint: str,
    parallel: int,
    yes: bool,
    adopt: bool,
    engine: str,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Create or repair everything FILE describes, then audit what is live against it."""
    if engine == "cloudformation":
        from awsarch.cli import cfn_engine

        cfn_engine.up(blueprint, make_target(endpoint_url, region, profile), yes=yes)
        return
    verified = verify_file(blueprint)
    if verified.failed:
        for line in findings_text(verified.findings, verified.locate):
            click.echo(line)
        click.echo(
            f"awsarch: error: {blueprint} has error findings or failed intents — fix them first",
            err=True,
        )
        raise SystemExit(EXIT_FINDINGS)
    target = make_target(endpoint_url, region, profile)
    bp = verified.loaded.blueprint
    session = session_for(target, bp.region)
    click.echo(f"stack {bp.stack} → {target.describe(session)}")
    verified = _in_account_zones(verified, session)
    this = blueprint_identity(blueprint)
    with stack_locked(session, bp.stack, command="up", blueprint=this):
        from awsarch.live import observe

        observed = observe(session, stack=bp.stack)
        refuse_cloudformation_stack(observed, bp.stack)
        verdict = check_owner(
            session, bp.stack, this, has_resources=bool(observed.owned), adopt=adopt
        )
        plan = _plan(verified.architecture, observed, bp.stack)
        _refuse_unprotecting(plan, blueprint)
        if plan.empty:
            record_owner(session, bp.stack, this, verdict)
            click.echo("nothing to do: what is live matches the blueprint")
            drifted = False
        else:
            for line in [*plan_lines(plan), *data_warnings(plan)]:
                click.echo(line)
            confirm(f"apply these {plural(len(plan.actions), 'change')}?", yes=yes)
            record_owner(session, bp.stack, this, verdict)
            run_plan(
                plan,
                session,
                observed,
                stack=bp.stack,
                emulator=target.is_emulator,
                parallel=parallel,
            )
            drifted = _drift_remains(session, verified.architecture, bp.stack)
    if drifted:
        raise SystemExit(EXIT_FINDINGS)
    click.echo("proving the blueprint again, on what is live:")
    if not report_live(verified, session):
        raise SystemExit(EXIT_FINDINGS)


def _in_account_zones(verified: Verified, session: AwsSession) -> Verified:
    """The blueprint expanded in the account's own zones (the offline table is for `check`)."""
    from awsarch.live import verify_in_account

    return verify_in_account(verified.loaded, session)


def _plan(desired: Architecture, observed: Observed, stack: str) -> Plan:
    from awsarch.deploy.plan import make_plan
    from awsarch.live import changes_for

    return make_plan(changes_for(desired, observed), stack=stack, timestamp=timestamp())


def _refuse_unprotecting(plan: Plan, blueprint: str) -> None:
    """`up` never turns deletion protection off: deleting or replacing a protected database
    is two deliberate steps the user takes (https://docs.aws.amazon.com/AmazonRDS/latest/
    UserGuide/USER_DeleteInstance.html#USER_DeletionProtection)."""
    for action in plan.destroys_data():
        live = action.change.observed
        if live is not None and live.deletion_protection:
            name = action.change.logical_id.split("/", 1)[-1]
            raise InputError(
                f"this plan would {action.change.kind} the database {name}, whose deletion"
                " protection is on — nothing was changed; set `deletion_protection: false` for"
                f" {name} and run `awsarch up`, then remove it from the blueprint (or change it)"
                " and run `awsarch up` again",
                file=blueprint,
            )


def _drift_remains(session: AwsSession, desired: Architecture, stack: str) -> bool:
    """Read what is live again after applying: anything that still differs is listed."""
    from awsarch.live import observe

    remaining = _plan(desired, observe(session, stack=stack), stack)
    if remaining.empty:
        return False
    click.echo(
        f"awsarch: error: after applying, {plural(len(remaining.actions), 'change')} remain"
        " — what is live still differs from the blueprint (`awsarch audit --blueprint` shows"
        " what that breaks; `awsarch up` again may converge):",
        err=True,
    )
    for line in plan_lines(remaining):
        click.echo(line, err=True)
    return True
