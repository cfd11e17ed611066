"""`awsarch plan`: every resource the blueprint expands to; with --live, the change set."""

from __future__ import annotations

import click

from awsarch.cli import console
from awsarch.cli.cfn_engine import ENGINE_OPTION
from awsarch.cli.options import BLUEPRINT_ARG
from awsarch.cli.target import make_target, target_options
from awsarch.render.tree import architecture_tree


@click.command("plan")
@BLUEPRINT_ARG
@click.option("--live", is_flag=True, help="Compare with the live target and show the change set.")
@ENGINE_OPTION
@target_options
def command(
    blueprint: str,
    live: bool,
    engine: str,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Show what FILE expands to; with --live (or --endpoint-url), what `up` would change
    (with --engine cloudformation: the change set, created and deleted again)."""
    if engine == "cloudformation":
        from awsarch.cli import cfn_engine

        cfn_engine.plan(blueprint, make_target(endpoint_url, region, profile))
        return
    from awsarch.blueprint.expand import expand
    from awsarch.blueprint.load import load_file

    loaded = load_file(blueprint)
    bp = loaded.blueprint
    if not (live or endpoint_url):
        for line in architecture_tree(expand(bp)):
            click.echo(line)
        return
    from awsarch.aws.zones import account_zones
    from awsarch.cli.stack import session_for, timestamp
    from awsarch.deploy.plan import make_plan
    from awsarch.live import changes_for, expand_in, observe
    from awsarch.render.changes import data_warnings, plan_lines

    target = make_target(endpoint_url, region, profile)
    session = session_for(target, bp.region)
    click.echo(f"stack {bp.stack} → {target.describe(session)}")
    architecture = expand_in(loaded, account_zones(session))
    plan = make_plan(
        changes_for(architecture, observe(session, stack=bp.stack)),
        stack=bp.stack,
        timestamp=timestamp(),
    )
    if plan.empty:
        click.echo("no changes: what is live matches the blueprint")
        return
    console.echo_lines([*plan_lines(plan), *data_warnings(plan)], "change")
