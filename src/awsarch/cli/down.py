"""`awsarch down`: delete the stack in reverse dependency order, never losing data by default."""

from __future__ import annotations

import dataclasses
import sys
from typing import TYPE_CHECKING

import click

from awsarch.cli import console
from awsarch.cli.cfn_engine import ENGINE_OPTION
from awsarch.cli.options import BLUEPRINT_ARG, FORMAT_OPTION, PARALLEL_OPTION
from awsarch.cli.stack import (
    ADOPT_OPTION,
    blueprint_identity,
    check_owner,
    confirm,
    refuse_cloudformation_stack,
    run_plan,
    session_for,
    stack_locked,
)
from awsarch.cli.stream import JsonStream, json_stdout, plan_data
from awsarch.cli.target import Target, make_target, target_options
from awsarch.errors import Cancelled, InputError, ToolError
from awsarch.render.changes import data_warnings, plan_lines
from awsarch.render.words import plural
from awsarch.usecases.pace import timestamp

if TYPE_CHECKING:
    from awsarch.adapters.aws.session import AwsSession
    from awsarch.deploy.plan import Plan
    from awsarch.usecases.live import Observed


@click.command("down")
@BLUEPRINT_ARG
@PARALLEL_OPTION
@click.option("--yes", is_flag=True, help="Delete without asking (nor typing the stack name).")
@click.option(
    "--skip-final-snapshot",
    is_flag=True,
    help="Delete databases without a final snapshot (asks for its own confirmation).",
)
@ADOPT_OPTION
@FORMAT_OPTION
@ENGINE_OPTION
@target_options
def command(
    blueprint: str,
    parallel: int,
    yes: bool,
    skip_final_snapshot: bool,
    adopt: bool,
    output_format: str,
    engine: str,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Delete everything the stack of FILE owns; each database after a final snapshot."""
    if engine == "cloudformation":
        from awsarch.cli import cfn_engine

        cfn_engine.down(blueprint, make_target(endpoint_url, region, profile), yes=yes)
        return
    with json_stdout(output_format) as stream:
        _down(
            blueprint,
            make_target(endpoint_url, region, profile),
            stream,
            parallel=parallel,
            yes=yes,
            skip_final_snapshot=skip_final_snapshot,
            adopt=adopt,
        )


def _down(
    blueprint: str,
    target: Target,
    stream: JsonStream | None,
    *,
    parallel: int,
    yes: bool,
    skip_final_snapshot: bool,
    adopt: bool,
) -> None:
    from awsarch.adapters.aws.lock import delete_owner
    from awsarch.blueprint.load import load_file
    from awsarch.usecases.live import observe

    bp = load_file(blueprint).blueprint
    session = session_for(target, bp.region)
    click.echo(f"stack {bp.stack} → {target.describe(session)}")
    this = blueprint_identity(blueprint)
    with stack_locked(session, bp.stack, command="down", blueprint=this):
        observed = observe(session, stack=bp.stack)
        refuse_cloudformation_stack(observed, bp.stack, command="down")
        check_owner(session, bp.stack, this, has_resources=bool(observed.owned), adopt=adopt)
        plan = _teardown(observed, bp.stack, bp.region, skip_final_snapshot)
        _show(plan, bp.stack, stream)
        if plan.empty:
            delete_owner(session, bp.stack)
            click.echo(f"nothing to delete: stack {bp.stack} owns nothing here")
            _summary(plan, bp.stack, stream, [])
            return
        if skip_final_snapshot and plan.destroys_data():
            _confirm_data_loss(bp.stack, len(plan.destroys_data()))
        _confirm_down(plan, bp.stack, yes=yes)
        run_plan(
            plan,
            session,
            observed,
            stack=bp.stack,
            emulator=target.is_emulator,
            parallel=parallel,
            verb="down",
            progress=stream,
        )
        snapshots = [a.snapshot for a in plan.destroys_data() if a.snapshot]
        _prove_gone(session, bp.stack, snapshots)
        delete_owner(session, bp.stack)
    _summary(plan, bp.stack, stream, snapshots)


def _show(plan: Plan, stack: str, stream: JsonStream | None) -> None:
    """The teardown, for people or as the JSON stream's `plan` object."""
    if stream is not None:
        stream.emit("plan", stack=stack, **plan_data(plan))
    elif not plan.empty:
        console.echo_lines([*plan_lines(plan), *data_warnings(plan)], "change")


def _summary(plan: Plan, stack: str, stream: JsonStream | None, snapshots: list[str]) -> None:
    """The JSON stream's closing object: what went, and the final snapshots kept."""
    if stream is not None:
        stream.emit(
            "summary",
            verb="down",
            stack=stack,
            ok=True,
            totals=plan.totals(),
            snapshots=snapshots,
        )


def _teardown(observed: Observed, stack: str, region: str, skip_final_snapshot: bool) -> Plan:
    """Everything the stack owns, deleted in reverse dependency order."""
    from awsarch.deploy.plan import make_plan
    from awsarch.model import Architecture
    from awsarch.usecases.live import changes_for

    nothing = Architecture(stack=stack, region=region)
    changes = [
        dataclasses.replace(c, reason="taking the stack down")
        for c in changes_for(nothing, observed)
    ]
    plan = make_plan(changes, stack=stack, timestamp=timestamp())
    return _without_snapshots(plan) if skip_final_snapshot else plan


def _confirm_down(plan: Plan, stack: str, *, yes: bool) -> None:
    """Deleting a database is asked by name (`--yes` skips it); the rest by yes or no."""
    doomed = len(plan.destroys_data())
    ask_to_delete(stack, len(plan.actions), bool(doomed), yes=yes, database_count=doomed)


def ask_to_delete(
    stack: str,
    count: int,
    databases: bool,
    *,
    yes: bool,
    what: str = "resources",
    database_count: int = 0,
) -> None:
    """The question `down` asks, whatever the engine: by the stack's name when a database goes,
    yes or no otherwise; never on a non-interactive input without `--yes`. `what`: what the
    count counts (resources, or a StackSet's stack instances); `database_count`, when known,
    says "the database" for one."""
    if yes or not databases:
        confirm(f"delete these {_counted(count, what)}?", yes=yes)
        return
    if not sys.stdin.isatty():
        raise InputError(
            f"this deletes {_the_databases(database_count)} of stack {stack}: not asking on a"
            " non-interactive"
            " input — pass --yes to go ahead"
        )
    typed = _prompt(
        f"this deletes {_counted(count, what)} and {_the_databases(database_count)}"
        f" (after {_their_snapshots(database_count)}); type the stack name ({stack}) to go on"
    )
    if typed.strip() != stack:
        raise InputError("the name did not match — nothing was deleted")


def _the_databases(count: int) -> str:
    """`the database` for exactly one; `the databases` for several, or when not counted."""
    return "the database" if count == 1 else "the databases"


def _their_snapshots(count: int) -> str:
    return "its final snapshot" if count == 1 else "their final snapshots"


def _prompt(question: str) -> str:
    """Ask for a typed answer; Ctrl-D or Ctrl-C is a no, as declining is (nothing changed)."""
    try:
        return str(click.prompt(question))
    except click.Abort:
        verb = click.get_current_context().command_path.partition(" ")[2]
        raise Cancelled(f"{verb} cancelled: nothing changed") from None


def _counted(count: int, what: str) -> str:
    """`1 resource`, `3 stack instances` (`what` is given in the plural)."""
    return plural(count, what.removesuffix("s"), what)


def _without_snapshots(plan: Plan) -> Plan:
    actions = tuple(dataclasses.replace(a, snapshot="") for a in plan.actions)
    return dataclasses.replace(plan, actions=actions)


def _confirm_data_loss(stack: str, databases: int) -> None:
    """Skipping the final snapshot loses the data for good: the user types the stack's name."""
    if not sys.stdin.isatty():
        raise InputError(
            "--skip-final-snapshot needs its own confirmation on a terminal — run it interactively"
        )
    whose = "the database's" if databases == 1 else "the databases'"
    typed = _prompt(f"{whose} data will be lost for good; type the stack name ({stack}) to go on")
    if typed.strip() != stack:
        raise InputError("the name did not match — nothing was deleted")


def _prove_gone(session: AwsSession, stack: str, snapshots: list[str]) -> None:
    from awsarch.usecases.live import observe

    remaining = observe(session, stack=stack).owned
    if remaining:
        names = ", ".join(sorted(logical for _, logical in remaining))
        raise ToolError(f"still tagged with stack {stack}: {names} — run `awsarch down` again")
    click.echo(f"nothing tagged awsarch:stack={stack} remains")
    for snapshot in snapshots:
        click.echo(f"final snapshot kept: {snapshot}")
        click.echo(
            "  restore with: aws rds restore-db-instance-from-db-snapshot"
            f" --db-snapshot-identifier {snapshot} --db-instance-identifier <new-name>"
        )
