"""Options and helpers shared by several verbs."""

from __future__ import annotations

import click

BLUEPRINT_ARG = click.argument(
    "blueprint", default="blueprint.yaml", metavar="[FILE]", type=click.Path(dir_okay=False)
)
FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs (a stable contract).",
)
