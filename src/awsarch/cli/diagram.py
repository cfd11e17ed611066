"""`awsarch diagram`: the architecture drawn, from the blueprint or from what is live.

The arrows are the flows the reachability engine proves (render/proved_flows.py), so a drawing
of a live account shows what its network really lets through, not what someone meant.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from awsarch.cli.options import BLUEPRINT_ARG, PARAMETER_OPTION, write_file
from awsarch.cli.target import Target, make_target, target_options
from awsarch.errors import InputError

if TYPE_CHECKING:
    from awsarch.model import Architecture
    from awsarch.render.flow import Flow

SUFFIXES = {"svg": "architecture.svg", "mermaid": "architecture.mmd"}
LIVE_OPTION = click.option(
    "--live",
    is_flag=True,
    help="Draw what is live: the blueprint's stack (its VPC), or the whole region without one.",
)


@click.command("diagram")
@BLUEPRINT_ARG
@LIVE_OPTION
@click.option(
    "-o",
    "--output",
    default=None,
    metavar="PATH",
    help="Where to write it (default architecture.svg, or .mmd for mermaid; - for stdout).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["svg", "mermaid"]),
    default="svg",
    show_default=True,
    help="svg to look at, mermaid (text) for READMEs.",
)
@PARAMETER_OPTION
@target_options
def command(
    blueprint: str,
    live: bool,
    output: str | None,
    output_format: str,
    parameters: tuple[str, ...],
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Draw FILE (default blueprint.yaml) or, with --live, what is live, with its proved flows."""
    from awsarch.render.diagram import render_svg
    from awsarch.render.mermaid import render_mermaid
    from awsarch.render.proved_flows import proved_flows

    target = make_target(endpoint_url, region, profile)
    if live:
        from awsarch.cfn.verify import refuse_live

        refuse_live(blueprint)
    arch, drifted = (
        live_architecture(blueprint, target)
        if live
        else (blueprint_architecture(blueprint, parameters), ())
    )
    flows = promised(arch, proved_flows(arch), blueprint)
    text = (
        render_svg(arch, flows, drifted) if output_format == "svg" else render_mermaid(arch, flows)
    )
    where = write_output(text, output or SUFFIXES[output_format])
    if where:
        marked = f"; {len(drifted)} drifted from the blueprint" if drifted else ""
        click.echo(f"wrote {where}: {len(flows)} proved flows{marked}")


def promised(arch: Architecture, flows: list[Flow], blueprint: str) -> list[Flow]:
    """The flows coloured by the blueprint's intents: those that break one drawn red. A
    CloudFormation template, no blueprint, or an intent naming nothing drawn: as they are."""
    from awsarch.blueprint.load import load_file
    from awsarch.cfn.template import is_template_file
    from awsarch.render.promise_flows import promise_flows
    from awsarch.usecases.proofs import BadIntent, prove_all

    if not Path(blueprint).is_file() or is_template_file(blueprint):
        return flows
    try:
        proofs = prove_all(arch, load_file(blueprint).blueprint.intents)
    except (BadIntent, InputError):
        return flows
    return promise_flows(arch, flows, proofs)


def blueprint_architecture(blueprint: str, parameters: tuple[str, ...] = ()) -> Architecture:
    """The blueprint's model, or a CloudFormation template's (detected by content)."""
    from awsarch.blueprint.expand import expand
    from awsarch.blueprint.load import load_file
    from awsarch.cfn.verify import architecture_path

    return architecture_path(blueprint, parameters) or expand(load_file(blueprint).blueprint)


def live_architecture(blueprint: str, target: Target) -> tuple[Architecture, tuple[str, ...]]:
    """The blueprint's stack as live (its VPC, logical names) and the ids of what drifted from
    the blueprint; without a blueprint, the region (nothing to drift from)."""
    from awsarch.blueprint.expand import expand
    from awsarch.model.scope import within_vpc
    from awsarch.usecases.live import STACK_VPC, changes_for, observe

    if not Path(blueprint).exists():
        observed = observe(target.session())
        _require_something(observed.empty, target.describe(target.session()))
        return observed.model, ()
    from awsarch.blueprint.load import load_file
    from awsarch.cli.stack import session_for

    loaded = load_file(blueprint).blueprint
    session = session_for(target, loaded.region)
    observed = observe(session, stack=loaded.stack)
    view = observed.view
    if not any(v.id == STACK_VPC for v in view.vpcs):
        raise InputError(
            f"stack {loaded.stack!r} has no live VPC in {target.describe(session)}"
            f" — deploy it first (awsarch up {blueprint})"
        )
    drifted = tuple(change.logical_id for change in changes_for(expand(loaded), observed))
    return within_vpc(view, STACK_VPC), drifted


def _require_something(empty: bool, where: str) -> None:
    if empty:
        raise InputError(f"nothing live to draw: no VPC, instance or database in {where}")


def write_output(text: str, output: str) -> str:
    """Write to the path (creating its folder), or to stdout for `-`; returns where it went."""
    if output == "-":
        click.echo(text, nl=False)
        return ""
    path = Path(output)
    write_file(path, text)
    return str(path)
