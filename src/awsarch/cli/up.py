"""`awsarch up`: deploy the blueprint, then prove it again on what is live."""

from __future__ import annotations

import contextlib
import io
import json
from typing import TYPE_CHECKING

import click

from awsarch.cli import console
from awsarch.cli.audit import report_live
from awsarch.cli.cfn_engine import ENGINE_OPTION
from awsarch.cli.options import BLUEPRINT_ARG, FORMAT_OPTION, PARALLEL_OPTION
from awsarch.cli.plan import show_plan
from awsarch.cli.stack import (
    ADOPT_OPTION,
    blueprint_identity,
    check_owner,
    confirm,
    record_owner,
    refuse_cloudformation_stack,
    refuse_failed,
    run_plan,
    session_for,
    stack_locked,
)
from awsarch.cli.stream import JsonStream, json_stdout, plan_data
from awsarch.cli.target import Target, make_target, target_options
from awsarch.errors import FindingsError, InputError
from awsarch.render.changes import NO_CHANGES, plan_lines
from awsarch.render.words import plural
from awsarch.usecases.pace import timestamp
from awsarch.usecases.verify import Verified, verify_file

if TYPE_CHECKING:
    from awsarch.adapters.aws.session import AwsSession
    from awsarch.blueprint.load import Loaded
    from awsarch.cli.plan_file import SavedPlan
    from awsarch.deploy.plan import Plan
    from awsarch.model import Architecture
    from awsarch.usecases.live import Observed


@click.command("up")
@BLUEPRINT_ARG
@PARALLEL_OPTION
@click.option("--yes", is_flag=True, help="Apply without asking.")
@ADOPT_OPTION
@FORMAT_OPTION
@ENGINE_OPTION
@target_options
def command(
    blueprint: str,
    parallel: int,
    yes: bool,
    adopt: bool,
    output_format: str,
    engine: str,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Create or repair everything FILE describes, then audit what is live against it.
    FILE may be a plan saved by `awsarch plan -o`: then exactly that plan is applied, without
    asking, or refused if what is live changed since."""
    target = make_target(endpoint_url, region, profile)
    if engine == "cloudformation":
        from awsarch.cli import cfn_engine

        cfn_engine.up(blueprint, target, yes=yes)
        return
    with json_stdout(output_format) as stream:
        ok = _up(blueprint, target, stream, parallel=parallel, yes=yes, adopt=adopt)
    if not ok:
        raise FindingsError()


def _up(
    source: str,
    target: Target,
    stream: JsonStream | None,
    *,
    parallel: int,
    yes: bool,
    adopt: bool,
) -> bool:
    """Apply the blueprint (or the saved plan) `source`; False when findings or drift remain."""
    from awsarch.cli import plan_file
    from awsarch.usecases.live import observe

    saved = plan_file.saved_plan(source)
    loaded = _load(source, saved)
    bp = loaded.blueprint
    session = session_for(target, bp.region)
    click.echo(f"stack {bp.stack} → {target.describe(session)}")
    verified = _in_account_zones(loaded, session)
    if saved:  # a file's findings were refused before; a saved plan's blueprint is checked here
        refuse_failed(verified, saved.blueprint_path)
    this = blueprint_identity(saved.blueprint_path if saved else source)
    with stack_locked(session, bp.stack, command="up", blueprint=this):
        observed = observe(session, stack=bp.stack)
        refuse_cloudformation_stack(observed, bp.stack)
        verdict = check_owner(
            session, bp.stack, this, has_resources=bool(observed.owned), adopt=adopt
        )
        plan = _plan_to_apply(verified, session, observed, saved, source)
        if stream is not None:
            stream.emit("plan", stack=bp.stack, **plan_data(plan))
        if plan.empty:
            record_owner(session, bp.stack, this, verdict)
            click.echo(NO_CHANGES)
            final, remaining = observed, plan
        else:
            if stream is None:
                show_plan(plan)
            if saved is None:
                _ask(plan, yes=yes)
            record_owner(session, bp.stack, this, verdict)
            run_plan(
                plan,
                session,
                observed,
                stack=bp.stack,
                emulator=target.is_emulator,
                parallel=parallel,
                progress=stream,
            )
            final, remaining = _after_apply(session, verified.architecture, bp.stack)
    return _close(verified, session, final, remaining, stream, totals=plan.totals())


def _ask(plan: Plan, *, yes: bool) -> None:
    """The question before changing anything, counting resources as the plan's summary does
    (`21 to create` → `apply these changes to 21 resources?`); a "no" says so and exits 1 (as
    Terraform's "Apply cancelled." does), so a script can tell it from a done `up`."""
    resources = sum(plan.totals().values())
    confirm(f"apply these changes to {plural(resources, 'resource')}?", yes=yes)


def _plan_to_apply(
    verified: Verified,
    session: AwsSession,
    observed: Observed,
    saved: SavedPlan | None,
    source: str,
) -> Plan:
    """The plan; for a saved plan, only if it is still the one reviewed: same account and
    region, same observation, same actions."""
    from awsarch.cli import plan_file

    if saved:
        plan_file.refuse_elsewhere(saved, session, source)
        plan_file.refuse_stale(saved, observed, source)
    stack = verified.loaded.blueprint.stack
    when = saved.timestamp if saved else timestamp()
    plan = _plan(verified.architecture, observed, stack, when)
    if saved:
        plan_file.refuse_different(saved, plan, source)
    _refuse_unprotecting(plan, saved.blueprint_path if saved else source)
    return plan


def _load(source: str, saved: SavedPlan | None) -> Loaded:
    """The blueprint to apply: the file, or the text a saved plan keeps (as it was planned)."""
    if saved is None:
        verified = verify_file(source)
        refuse_failed(verified, source)
        return verified.loaded
    from awsarch.blueprint.load import load_text

    return load_text(saved.blueprint_text, file=saved.blueprint_path)


def _close(
    verified: Verified,
    session: AwsSession,
    final: Observed,
    remaining: Plan,
    stream: JsonStream | None,
    *,
    totals: dict[str, int],
) -> bool:
    """The audit of what is live and the Outputs block (or the JSON summary); True when fine."""
    from awsarch.cli.output import outputs_lines, stack_outputs

    stack = verified.loaded.blueprint.stack
    outputs = stack_outputs(final.raw, stack)
    if not remaining.empty:
        if stream is not None:
            stream.emit(
                "summary",
                verb="up",
                stack=stack,
                ok=False,
                totals=totals,
                remaining=plan_data(remaining),
                outputs=outputs,
            )
        return False
    if stream is None:
        click.echo("proving the blueprint again, on what is live:")
        ok = report_live(verified, session)
        for line in outputs_lines(outputs):
            click.echo(line)
        return ok
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        ok = report_live(verified, session, output_format="json")
    stream.emit(
        "summary",
        verb="up",
        stack=stack,
        ok=ok,
        totals=totals,
        audit=json.loads(buffer.getvalue()),
        outputs=outputs,
    )
    return ok


def _in_account_zones(loaded: Loaded, session: AwsSession) -> Verified:
    """The blueprint expanded in the account's own zones (the offline table is for `check`)."""
    from awsarch.usecases.live import verify_in_account

    return verify_in_account(loaded, session)


def _plan(desired: Architecture, observed: Observed, stack: str, when: str) -> Plan:
    from awsarch.deploy.plan import make_plan
    from awsarch.usecases.live import changes_for

    return make_plan(changes_for(desired, observed), stack=stack, timestamp=when)


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


def _after_apply(session: AwsSession, desired: Architecture, stack: str) -> tuple[Observed, Plan]:
    """Read what is live again after applying: anything that still differs is listed."""
    from awsarch.usecases.live import observe

    final = observe(session, stack=stack)
    remaining = _plan(desired, final, stack, timestamp())
    if remaining.empty:
        return final, remaining
    click.echo(
        f"awsarch: error: after applying, {plural(len(remaining.actions), 'change')} remain"
        " — what is live still differs from the blueprint (`awsarch audit --blueprint` shows"
        " what that breaks; `awsarch up` again may converge):",
        err=True,
    )
    console.echo_lines(plan_lines(remaining), "change", err=True)
    return final, remaining
