"""`awsarch report`: one self-contained HTML page with the diagram, findings, proofs and matrix.

From the blueprint, or with --live from what is live under the blueprint's names (its intents
proved again there, findings still pointing at blueprint lines, and the drift listed). The page
fetches nothing: people can mail it, attach it to a review, or open it offline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from awsarch.cli import console
from awsarch.cli.diagram import write_output
from awsarch.cli.options import BLUEPRINT_ARG, INTENTS_OPTION, PARAMETER_OPTION
from awsarch.cli.target import Target, make_target, target_options
from awsarch.errors import FindingsError
from awsarch.render.findings import counts_line
from awsarch.render.words import held_of

if TYPE_CHECKING:
    from awsarch.render.report_data import Report
    from awsarch.usecases.verify import Verified


@click.command("report")
@BLUEPRINT_ARG
@click.option(
    "--live",
    is_flag=True,
    help="Report on what is live: the blueprint's stack (its VPC), or the whole region.",
)
@click.option(
    "-o",
    "--output",
    default="report.html",
    show_default=True,
    metavar="PATH",
    help="Where to write the report (- for stdout).",
)
@click.option(
    "--strict", is_flag=True, help="Exit 3 when there are error findings or a failed intent."
)
@PARAMETER_OPTION
@INTENTS_OPTION
@target_options
def command(
    blueprint: str,
    live: bool,
    output: str,
    strict: bool,
    parameters: tuple[str, ...],
    intents_file: str | None,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Write an HTML report on FILE (default blueprint.yaml), or with --live on what is live."""
    from awsarch.cfn.verify import refuse_live, verify_path
    from awsarch.render.report import render_html

    if live:
        refuse_live(blueprint)
    verified = verify_path(blueprint, parameters, intents_file)
    if live:
        report = _live_report(verified, blueprint, make_target(endpoint_url, region, profile))
    else:
        report = _report(verified, title=f"{_name(verified)} — blueprint", source=blueprint)
    where = write_output(render_html(report), output)
    errors = sum(1 for f in report.findings if f.severity == "error")
    accepted = sum(1 for f in report.findings if f.accepted)
    held = sum(1 for i in report.intents if i.holds)
    drifted = _drifted(len(report.drift))
    if where:
        console.echo(
            f"wrote {where}: {counts_line([f.severity for f in report.findings], accepted)};"
            f" {held_of(held, len(report.intents))}{drifted}",
            "summary",
        )
    if strict and errors:
        raise FindingsError()


def _drifted(count: int) -> str:
    """`; 4 drifted from the blueprint`, the count in the warning colour; "" for none."""
    return f"; {console.style(f'{count} drifted', 'warning')} from the blueprint" if count else ""


def _name(verified: Verified) -> str:
    bp = verified.loaded.blueprint
    return f"{bp.stack} · {bp.region}"


def _report(
    verified: Verified,
    *,
    title: str,
    source: str,
    drift: tuple[str, ...] = (),
    drifted: tuple[str, ...] = (),
) -> Report:
    from awsarch.render.report_data import build_report

    return build_report(
        verified.architecture,
        findings=verified.findings,
        proofs=verified.proofs,
        locate=verified.locate,
        title=title,
        source=source,
        rule_count=verified.rule_count,
        drift=drift,
        drifted=drifted,
    )


def _live_report(verified: Verified, blueprint: str, target: Target) -> Report:
    """The blueprint's rules and intents proved on its live stack, with the drift from it."""
    from awsarch.cli.audit import drift_lines
    from awsarch.cli.stack import session_for
    from awsarch.usecases.live import audit, observe

    bp = verified.loaded.blueprint
    session = session_for(target, bp.region)
    observed = observe(session, stack=bp.stack)
    live, drift = audit(verified.loaded, observed, verified.architecture)
    source = f"live: stack {bp.stack} in {target.describe(session)}, checked against {blueprint}"
    return _report(
        live,
        title=f"{_name(verified)} — live",
        source=source,
        drift=tuple(drift_lines(drift)),
        drifted=tuple(change.logical_id for change in drift),
    )
