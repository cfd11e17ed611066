"""`awsarch init`: write the seed blueprint, the classic secure architecture."""

from __future__ import annotations

from pathlib import Path

import click

from awsarch.blueprint.seed import seed_text
from awsarch.errors import InputError


@click.command("init")
@click.argument("path", default="blueprint.yaml", metavar="[FILE]")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def command(path: str, force: bool) -> None:
    """Write the seed blueprint to FILE (default blueprint.yaml)."""
    target = Path(path)
    if target.exists() and not force:
        raise InputError(f"{path} already exists — edit it, or pass --force to overwrite it")
    target.write_text(seed_text(), encoding="utf-8")
    click.echo(f"wrote {path}: the classic secure AWS architecture")
    click.echo(f"next: awsarch check {path}   (prove it)   ·   awsarch plan {path}   (see it)")
