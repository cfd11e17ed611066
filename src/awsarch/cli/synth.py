"""`awsarch synth`: the blueprint as a CloudFormation template, checked by cfn-lint first."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from awsarch.cli.options import BLUEPRINT_ARG, write_file
from awsarch.errors import ToolError
from awsarch.words import plural

if TYPE_CHECKING:
    from awsarch.rules.base import Finding


@click.command("synth")
@BLUEPRINT_ARG
@click.option(
    "-o",
    "--output",
    default="-",
    metavar="PATH",
    help="Where to write the template (default: stdout).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="The template's language; both are byte-for-byte stable.",
)
@click.option(
    "--lint/--no-lint",
    default=True,
    show_default=True,
    help="Run cfn-lint on the template before writing it (in process, about two seconds).",
)
def command(blueprint: str, output: str, output_format: str, lint: bool) -> None:
    """Render FILE (default blueprint.yaml) as a CloudFormation template, for teams that deploy
    with CloudFormation. The database keeps a final snapshot and RDS keeps its password."""
    from awsarch.blueprint.expand import expand
    from awsarch.blueprint.load import load_file
    from awsarch.cfn.synth import dump, synthesize
    from awsarch.usecases.verify import verify_architecture

    document = load_file(blueprint)
    loaded = document.blueprint
    arch = expand(loaded)
    _warn_of_errors(blueprint, verify_architecture(document, arch).findings)
    template = synthesize(arch, loaded.intents)
    text = dump(template, output_format)
    if lint:
        _lint(text, arch.region)
    if output == "-":
        click.echo(text, nl=False)
        return
    path = Path(output)
    write_file(path, text)
    click.echo(
        f"wrote {path}: {len(template['Resources'])} resources, {len(template.get('Outputs', {}))}"
        f" outputs (deploy with CAPABILITY_NAMED_IAM)",
        err=True,
    )


def _warn_of_errors(blueprint: str, findings: Sequence[Finding]) -> None:
    """A faulty blueprint's template is still written (`check template.yaml` then shows the same
    findings, which is how such templates are used on purpose), but never without a word."""
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        ids = ", ".join(dict.fromkeys(f.rule_id for f in errors))
        click.echo(
            f"warning: {blueprint} has {plural(len(errors), 'error finding')} ({ids}):"
            " `awsarch up` refuses it; `awsarch check` lists them",
            err=True,
        )


def _lint(text: str, region: str) -> None:
    """A template cfn-lint finds fault with is awsarch's failure, never written."""
    from awsarch.cfn.lint import lint

    problems = lint(text, region)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ToolError(
            f"cfn-lint finds fault with the synthesized template: {problems[0]}{more}"
            " — change the blueprint if that is what it asks for (e.g. a retired engine"
            " version), otherwise report it; --no-lint writes the template anyway"
        )
