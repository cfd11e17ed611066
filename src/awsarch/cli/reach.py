"""`awsarch reach`: can traffic get from one place to another, and by which path?"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from awsarch.cli.options import FORMAT_OPTION, PARAMETER_OPTION
from awsarch.cli.target import Target, make_target, read_live, target_options
from awsarch.errors import InputError
from awsarch.model import Architecture, PortRange

if TYPE_CHECKING:
    from awsarch.analysis import Services

LIVE_PREFIXES = ("i-", "sg-", "rds:")
PROTOCOLS = ("tcp", "udp", "icmp", "all")


@click.command("reach")
@click.argument("blueprint", default="blueprint.yaml", metavar="[FILE]", type=click.Path())
@click.option(
    "--from", "source", metavar="A", help="internet, a tier, a server group, a database, sg/…, i-…"
)
@click.option("--to", "destination", metavar="B", help="the same kinds of endpoint as --from")
@click.option("--port", type=click.IntRange(0, 65535), help="one port (default: every port)")
@click.option(
    "--protocol", type=click.Choice(PROTOCOLS), default=None, help="default: tcp with --port"
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
    """Prove what reaches what on the blueprint (logical names) or on the live account (AWS ids)."""
    from awsarch import analysis

    if not matrix and not (source and destination):
        raise InputError("name both ends: --from A --to B (or ask for --matrix)")
    live = live or any(e.startswith(LIVE_PREFIXES) for e in (source or "", destination or ""))
    from awsarch.cfn.verify import architecture_path, refuse_live

    if live and Path(blueprint).exists():
        refuse_live(blueprint)
    template = None if live else architecture_path(blueprint, parameters)
    arch = template or _architecture(blueprint, live, make_target(endpoint_url, region, profile))
    if matrix:
        table = analysis.matrix(arch)
        click.echo(
            json.dumps(analysis.matrix_to_json(table), indent=2)
            if output_format == "json"
            else analysis.format_matrix(table)
        )
        return
    assert source and destination
    services = _services(protocol, port)
    verdict = analysis.reach(arch, source, destination, services)
    click.echo(
        json.dumps(analysis.to_json(verdict), indent=2)
        if output_format == "json"
        else analysis.format_text(verdict)
    )


def _services(protocol: str | None, port: int | None) -> Services | None:
    from awsarch.analysis import Services

    if port is None and protocol in (None, "all"):
        return None
    ports = PortRange.single(port) if port is not None else None
    if protocol == "icmp" and port is not None:
        ports = PortRange.icmp(port)  # --port is the ICMP type, any code
    return Services.of(protocol or "tcp", ports)


def _architecture(blueprint: str, live: bool, target: Target) -> Architecture:
    """The blueprint's model; live, the account: the blueprint's stack in its region (unless
    --region says otherwise), else the configured region as a whole."""
    from awsarch.blueprint.expand import expand
    from awsarch.blueprint.load import load_file

    if not live:
        return expand(load_file(blueprint).blueprint)
    if not Path(blueprint).exists():
        return read_live(target.session())
    from awsarch.usecases.live import observe, require_stack

    bp = load_file(blueprint).blueprint
    session = target.session_in(bp.region)
    observed = observe(session, stack=bp.stack)
    require_stack(observed, where=target.describe(session), home=bp.region)
    return observed.model
