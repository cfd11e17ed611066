"""Options and helpers shared by several verbs."""

from __future__ import annotations

import click

BLUEPRINT_ARG = click.argument(
    "blueprint", default="blueprint.yaml", metavar="[FILE]", type=click.Path()
)
PARALLEL_OPTION = click.option(
    "--parallel",
    type=click.IntRange(1, 32),
    default=8,
    show_default=True,
    help="How many independent actions run at the same time.",
)
FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs (a stable contract).",
)
PARAMETER_OPTION = click.option(
    "--parameter",
    "parameters",
    multiple=True,
    metavar="K=V",
    help="A CloudFormation template's parameter (overrides its Default); repeatable.",
)
INTENTS_OPTION = click.option(
    "--intents",
    "intents_file",
    default=None,
    metavar="FILE",
    type=click.Path(),
    help="Intents to prove on a CloudFormation template (YAML list or `intents:`).",
)
