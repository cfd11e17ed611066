"""`awsarch plan`: every resource the blueprint expands to."""

from __future__ import annotations

import click

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_file
from awsarch.cli.options import BLUEPRINT_ARG
from awsarch.render.tree import architecture_tree


@click.command("plan")
@BLUEPRINT_ARG
def command(blueprint: str) -> None:
    """Show every resource FILE (default blueprint.yaml) expands to, as a tree."""
    architecture = expand(load_file(blueprint).blueprint)
    for line in architecture_tree(architecture):
        click.echo(line)
