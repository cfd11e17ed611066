"""`awsarch reach`: can traffic get from one place to another, and by which path?"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from awsarch.analysis.sets import ASKED_PROTOCOLS, services_asked
from awsarch.cli import console
from awsarch.cli.options import FORMAT_OPTION, PARAMETER_OPTION
from awsarch.cli.target import Target, make_target, read_live, target_options
from awsarch.errors import InputError
from awsarch.model import Architecture

if TYPE_CHECKING:
    from awsarch.analysis import Services, Verdict
    from awsarch.analysis.matrix import GridCell
    from awsarch.render.reach_text import Promise

LIVE_PREFIXES = ("i-", "sg-", "rds:")


@click.command("reach")
@click.argument("blueprint", default="blueprint.yaml", metavar="[FILE]", type=click.Path())
@click.option(
    "--from", "source", metavar="A", help="internet, a tier, a server group, a database, sg/…, i-…"
)
@click.option("--to", "destination", metavar="B", help="the same kinds of endpoint as --from")
@click.option("--port", type=click.IntRange(0, 65535), help="one port (default: every port)")
@click.option(
    "--protocol", type=click.Choice(ASKED_PROTOCOLS), default=None, help="default: tcp with --port"
)
@click.option("--matrix", is_flag=True, help="every endpoint against every other, with the ports")
@click.option("--live", is_flag=True, help="answer on the live account, not the blueprint")
@FORMAT_OPTION
@PARAMETER_OPTION
@target_options
def command(
    blueprint: str,
    source: str | None,
    destination: str | None,
    port: int | None,
    protocol: str | None,
    matrix: bool,
    live: bool,
    output_format: str,
    parameters: tuple[str, ...],
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Prove what reaches what on the blueprint, or on the live account (AWS ids, or the
    blueprint's names for what its stack owns)."""
    if not matrix and not (source and destination):
        raise InputError("name both ends: --from A --to B (or ask for --matrix)")
    if matrix and (source or destination or port is not None or protocol):
        raise InputError(
            "--matrix shows every endpoint against every other, on every port — drop"
            " --from/--to/--port/--protocol, or drop --matrix to ask about one flow"
        )
    live = live or any(e.startswith(LIVE_PREFIXES) for e in (source or "", destination or ""))
    from awsarch.cfn.verify import refuse_live, template_with_intents

    if live and Path(blueprint).exists():
        refuse_live(blueprint)
    template = None if live else template_with_intents(blueprint, parameters)
    if template is not None:
        arch, intents = template
    else:
        arch, intents = _architecture(blueprint, live, make_target(endpoint_url, region, profile))
    if matrix:
        _print_matrix(arch, intents, output_format)
        return
    assert source and destination
    _print_reach(
        arch, intents, (source, destination, live), services_asked(protocol, port), output_format
    )


def _print_matrix(arch: Architecture, intents: tuple[str, ...], output_format: str) -> None:
    """The matrix, then its legend; each cell coloured by what the intents promise of it."""
    from awsarch import analysis

    table = analysis.matrix(arch)
    if output_format == "json":
        click.echo(json.dumps(analysis.matrix_to_json(table), indent=2))
        return
    from awsarch.analysis.matrix import format_legend, matrix_legend
    from awsarch.render.reach_text import matrix_promises

    promises = matrix_promises(table, intents) if intents else None
    painter = paint_cell if console.enabled() else None
    console.echo(analysis.format_matrix(table, promises, painter))
    console.echo()
    legend = matrix_legend(table, promises)
    console.echo(format_legend(legend, paint_key if console.enabled() else None))


def _print_reach(
    arch: Architecture,
    intents: tuple[str, ...],
    ends: tuple[str, str, bool],
    services: Services | None,
    output_format: str,
) -> None:
    """One verdict; live, ends named as the blueprint names them and ids shown with names."""
    from awsarch import analysis
    from awsarch.render.reach_text import id_names, live_endpoint

    source, destination, live = ends
    if live:
        source, destination = live_endpoint(arch, source), live_endpoint(arch, destination)
    net = analysis.Network(arch)
    found = (analysis.resolve(arch, source), analysis.resolve(arch, destination))
    verdict = analysis.reach_endpoints(net, *found, services)
    if output_format == "json":
        click.echo(json.dumps(analysis.to_json(verdict), indent=2))
        return
    from awsarch.render.reach_text import verdict_promises

    text = analysis.format_text(verdict, id_names(arch))
    if console.enabled():
        text = paint_verdict(text, verdict, verdict_promises(net, intents, verdict))
    console.echo(text)


def _architecture(
    blueprint: str, live: bool, target: Target
) -> tuple[Architecture, tuple[str, ...]]:
    """The blueprint's model and intents; live, the account: the blueprint's stack in its
    region (unless --region says otherwise), else the configured region as a whole (no
    intents then)."""
    from awsarch.blueprint.expand import expand
    from awsarch.blueprint.load import load_file

    if not live:
        bp = load_file(blueprint).blueprint
        return expand(bp), tuple(bp.intents)
    if not Path(blueprint).exists():
        return read_live(target.session()), ()
    from awsarch.usecases.live import observe, require_stack

    bp = load_file(blueprint).blueprint
    session = target.session_in(bp.region)
    observed = observe(session, stack=bp.stack)
    require_stack(observed, where=target.describe(session), home=bp.region)
    return observed.model, tuple(bp.intents)


# ---- colour: what each word promises (only when the console colours) ------------------------
ROLE: dict[str, console.Role] = {"held": "ok", "violated": "error"}
_HOP = re.compile(r"^  [ \d]\d  (\S+)")


def paint_cell(cell: GridCell) -> str:
    """A matrix cell: dim when an end has no real interface, else the colour of its promise
    (a `?` with none is a warning); its ✓ or ✗ always in the promise's colour."""
    if cell.heading:
        return console.style(cell.text, "muted") if cell.imagined else cell.text
    role: console.Role | None = ROLE.get(cell.promise)
    if cell.imagined:
        role = "muted"
    elif role is None and cell.unknown:
        role = "warning"
    text = console.style(cell.text, role) if role else cell.text
    if cell.mark:
        text += " " + console.style(cell.mark, ROLE[cell.promise])
    return text


def paint_key(key: str, colour: str) -> str:
    """A legend key in the colour it explains."""
    return console.style(key, "muted" if colour == "imagined" else ROLE[colour])


def paint_verdict(text: str, verdict: Verdict, promises: list[Promise]) -> str:
    """The verdict words and the hop marks that decide them in the colour of the promises:
    green where the traffic does what an intent says, red where it breaks one."""
    from awsarch.render.reach_text import path_standing, standing

    head, *chunks = text.split("\n\n")
    first, _, reachable = head.partition("\n")
    role = ROLE.get(standing(promises)) or ("warning" if verdict.verdict == "unknown" else None)
    word = f": {verdict.verdict} ("
    at = first.rfind(word) + 2
    if role and at > 1:
        end = at + len(verdict.verdict)
        first = first[:at] + console.style(verdict.verdict, role) + first[end:]
    painted = ["\n".join(filter(None, [first, reachable]))]
    for chunk, path in zip(chunks, verdict.paths, strict=False):
        path_role = ROLE.get(path_standing(path, promises))
        painted.append(
            _paint_path(chunk, path.verdict, path.reachable and not path.partial, path_role)
        )
    return "\n\n".join(painted)


def _paint_path(chunk: str, verdict: str, through: bool, role: console.Role | None) -> str:
    """A path's verdict word, and its deciding hop marks: the allows of a path that gets
    through, the deny (or partial, or unknown) of one that does not."""
    if role is None:
        return chunk
    head, *hops = chunk.split("\n")
    word = f": {verdict}"
    at = head.rfind(word) + 2
    head = head[:at] + console.style(verdict, role) + head[at + len(verdict) :]
    lines = [head]
    for line in hops:
        found = _HOP.match(line)
        if found and (found[1] == "allow") == through:
            line = line[: found.start(1)] + console.style(found[1], role) + line[found.end(1) :]
        lines.append(line)
    return "\n".join(lines)
