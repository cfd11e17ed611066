"""`awsarch unlock`: remove the stack lock of a run that died without releasing it."""

from __future__ import annotations

import click

from awsarch.cli.options import BLUEPRINT_ARG
from awsarch.cli.stack import confirm, session_for
from awsarch.cli.target import make_target, target_options
from awsarch.errors import ToolError


@click.command("unlock")
@BLUEPRINT_ARG
@click.option("--yes", is_flag=True, help="Remove the lock without asking.")
@target_options
def command(
    blueprint: str,
    yes: bool,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Delete the lock of FILE's stack, naming the holder it removes (use it only when that
    run is gone: a live run would lose its protection against a second one)."""
    from awsarch.adapters.aws import lock
    from awsarch.blueprint.load import load_file
    from awsarch.deploy.lock_record import LockRecord, lock_name

    bp = load_file(blueprint).blueprint
    target = make_target(endpoint_url, region, profile)
    session = session_for(target, bp.region)
    current = lock.read(session, lock_name(bp.stack))
    if current is None:
        click.echo(f"stack {bp.stack} is not locked: nothing to remove")
        return
    holder = LockRecord.decode(current).holder()
    click.echo(f"stack {bp.stack} is locked by {holder}")
    confirm("remove this lock?", yes=yes)
    if not lock.delete_if(session, lock_name(bp.stack), current):
        raise ToolError(
            f"the lock of stack {bp.stack} changed meanwhile: left in place — run"
            " `awsarch unlock` again to see who holds it now"
        )
    click.echo(f"removed the lock of stack {bp.stack} held by {holder}")
