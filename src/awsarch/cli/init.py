"""`awsarch init`: write the seed blueprint, the classic secure architecture."""

from __future__ import annotations

from pathlib import Path

import click

from awsarch.blueprint.seed import seed_text, three_tier_text
from awsarch.cli.options import write_file
from awsarch.errors import InputError


@click.command("init")
@click.argument("path", default="blueprint.yaml", metavar="[FILE]")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@click.option(
    "--three-tier",
    is_flag=True,
    help="A load balancer, app servers in private subnets (Auto Scaling) and MySQL.",
)
def command(path: str, force: bool, three_tier: bool) -> None:
    """Write the seed blueprint to FILE (default blueprint.yaml)."""
    target = Path(path)
    if target.exists() and not force:
        raise InputError(f"{path} already exists — edit it, or pass --force to overwrite it")
    write_file(target, three_tier_text() if three_tier else seed_text())
    what = (
        "three tiers behind a load balancer"
        if three_tier
        else "the classic secure AWS architecture"
    )
    click.echo(f"wrote {path}: {what}")
    click.echo(f"next: awsarch check {path}   (prove it)   ·   awsarch plan {path}   (see it)")
