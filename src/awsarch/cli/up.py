"""`awsarch up`: deploy the blueprint, then prove it again on what is live."""

from __future__ import annotations

import click

from awsarch.cli.audit import report_live
from awsarch.cli.options import BLUEPRINT_ARG, PARALLEL_OPTION
from awsarch.cli.stack import confirm, run_plan, session_for, timestamp
from awsarch.cli.target import make_target, target_options
from awsarch.errors import EXIT_FINDINGS
from awsarch.render.changes import data_warnings, plan_lines
from awsarch.render.findings import findings_text
from awsarch.verify import verify_file


@click.command("up")
@BLUEPRINT_ARG
@PARALLEL_OPTION
@click.option("--yes", is_flag=True, help="Apply without asking.")
@target_options
def command(
    blueprint: str,
    parallel: int,
    yes: bool,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Create or repair everything FILE describes, then audit what is live against it."""
    from awsarch.deploy.plan import make_plan
    from awsarch.live import changes_for, observe

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
    observed = observe(session, stack=bp.stack)
    plan = make_plan(
        changes_for(verified.architecture, observed), stack=bp.stack, timestamp=timestamp()
    )
    if plan.empty:
        click.echo("nothing to do: what is live matches the blueprint")
    else:
        for line in [*plan_lines(plan), *data_warnings(plan)]:
            click.echo(line)
        confirm(f"apply these {len(plan.actions)} changes?", yes=yes)
        run_plan(
            plan, session, observed, stack=bp.stack, emulator=target.is_emulator, parallel=parallel
        )
    click.echo("proving the blueprint again, on what is live:")
    if not report_live(verified, session):
        raise SystemExit(EXIT_FINDINGS)
