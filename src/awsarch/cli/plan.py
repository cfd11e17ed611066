"""`awsarch plan`: every resource the blueprint expands to; with --live, the change set."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from awsarch.cli import console
from awsarch.cli.cfn_engine import ENGINE_OPTION
from awsarch.cli.options import BLUEPRINT_ARG, FORMAT_OPTION
from awsarch.cli.stream import JsonStream, json_stdout, plan_data
from awsarch.cli.target import Target, make_target, target_options
from awsarch.errors import EXIT_CHANGES, EXIT_TOOL, AwsarchError, ChangesPending
from awsarch.render.changes import NO_CHANGES
from awsarch.render.tree import architecture_tree

if TYPE_CHECKING:
    from awsarch.blueprint.load import Loaded
    from awsarch.deploy.plan import Plan


@click.command("plan")
@BLUEPRINT_ARG
@click.option("--live", is_flag=True, help="Compare with the live target and show the change set.")
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 0 when nothing changes, 2 when changes are pending, 1 on an error (implies --live).",
)
@click.option(
    "-o",
    "--out",
    "out",
    default=None,
    metavar="PLAN",
    type=click.Path(dir_okay=False),
    help="Save the plan to PLAN for `awsarch up PLAN` to apply exactly it (implies --live).",
)
@FORMAT_OPTION
@ENGINE_OPTION
@target_options
def command(
    blueprint: str,
    live: bool,
    detailed_exitcode: bool,
    out: str | None,
    output_format: str,
    engine: str,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Show what FILE expands to; with --live (or --endpoint-url), what `up` would change
    (with --engine cloudformation: the change set, created and deleted again)."""
    target = make_target(endpoint_url, region, profile)
    try:
        with json_stdout(output_format) as stream:
            live = live or bool(out) or detailed_exitcode  # each compares with what is live
            changes = _plan(blueprint, target, engine, stream, out=out, live=live)
    except AwsarchError as exc:
        if detailed_exitcode and exc.exit_code == EXIT_CHANGES:
            exc.exit_code = EXIT_TOOL  # 2 means "changes pending" here: bad input is an error
        raise
    if detailed_exitcode and changes:
        raise ChangesPending()


def _plan(
    blueprint: str,
    target: Target,
    engine: str,
    stream: JsonStream | None,
    *,
    out: str | None,
    live: bool,
) -> bool:
    """Show the plan; True when changes are pending."""
    if engine == "cloudformation":
        from awsarch.cli import cfn_engine

        cfn_engine.plan(blueprint, target)
        return True
    from awsarch.blueprint.expand import expand
    from awsarch.blueprint.load import load_file

    loaded = load_file(blueprint)
    if not (live or target.endpoint_url):
        architecture = expand(loaded.blueprint)
        if stream is None:
            for line in architecture_tree(architecture):
                click.echo(line)
        else:
            from awsarch.model.serialize import architecture_to_dict

            stream.emit("expansion", **architecture_to_dict(architecture))
        return True
    plan = _live_plan(loaded, blueprint, target, out)
    if stream is not None:
        stream.emit("plan", stack=loaded.blueprint.stack, **plan_data(plan))
    elif plan.empty:
        click.echo(NO_CHANGES)
    else:
        show_plan(plan)
    return not plan.empty


def _live_plan(loaded: Loaded, blueprint: str, target: Target, out: str | None) -> Plan:
    from awsarch.adapters.aws.zones import account_zones
    from awsarch.cli import plan_file
    from awsarch.cli.stack import session_for
    from awsarch.deploy.plan import make_plan
    from awsarch.usecases.live import changes_for, expand_in, observe
    from awsarch.usecases.pace import timestamp

    bp = loaded.blueprint
    session = session_for(target, bp.region)
    click.echo(f"stack {bp.stack} → {target.describe(session)}")
    architecture = expand_in(loaded, account_zones(session))
    observed = observe(session, stack=bp.stack)
    when = timestamp()
    plan = make_plan(changes_for(architecture, observed), stack=bp.stack, timestamp=when)
    if out:
        saved = plan_file.SavedPlan(
            blueprint_path=blueprint,
            blueprint_text=Path(blueprint).read_text(encoding="utf-8"),
            stack=bp.stack,
            region=bp.region,
            account=plan_file.account_of(session),
            timestamp=when,
            fingerprint=plan_file.fingerprint(observed),
            actions=tuple(a.key for a in plan.actions),
        )
        plan_file.save(out, saved, plan)
        click.echo(f"saved the plan to {out}: `awsarch up {out}` applies exactly it", err=True)
    return plan


def show_plan(plan: Plan) -> None:
    """The change set and its data warnings, for people."""
    from awsarch.render.changes import data_warnings, plan_lines

    console.echo_lines([*plan_lines(plan), *data_warnings(plan)], "change")
