"""`awsarch check`: prove a blueprint sound and true to the architecture's rules."""

from __future__ import annotations

import click

from awsarch.cfn.verify import verify_path
from awsarch.cli import console
from awsarch.cli.baseline import baseline_options, known_line, with_baseline
from awsarch.cli.options import (
    BLUEPRINT_ARG,
    FINDINGS_FORMAT_OPTION,
    INTENTS_OPTION,
    PARAMETER_OPTION,
)
from awsarch.errors import FindingsError
from awsarch.render.findings import (
    finding_json,
    findings_text,
    proof_json,
    proofs_text,
    summary_counts,
    summary_line,
)
from awsarch.render.words import held_of


@click.command("check")
@BLUEPRINT_ARG
@FINDINGS_FORMAT_OPTION
@PARAMETER_OPTION
@INTENTS_OPTION
@baseline_options
def command(
    blueprint: str,
    output_format: str,
    parameters: tuple[str, ...],
    intents_file: str | None,
    baseline: str | None,
    write_baseline: str | None,
) -> None:
    """Check FILE (default blueprint.yaml, or a CloudFormation template): its rules and its
    intents. Exit 3 on any error."""
    result = verify_path(blueprint, parameters, intents_file)
    findings, known = with_baseline(result.findings, baseline, write_baseline)
    counts = summary_counts(findings)
    if output_format != "text":
        import json  # for programs only: text output starts without it

    if output_format == "sarif":
        from awsarch.render.sarif import to_sarif
        from awsarch.rules.registry import ALL_RULES

        sarif = to_sarif(findings, ALL_RULES, result.locate, artifact=blueprint)
        click.echo(json.dumps(sarif, indent=2))
    elif output_format == "json":
        payload = {
            "file": blueprint,
            "resources": result.resource_count,
            "rules": result.rule_count,
            "findings": [finding_json(f, result.locate) for f in findings],
            "intents": [proof_json(p, result.locate) for p in result.proofs],
            "summary": {
                "errors": counts["error"],
                "warnings": counts["warning"],
                "accepted": counts["accepted"],
                "known": known,
            },
        }
        click.echo(json.dumps(payload, indent=2))
    else:
        console.echo_lines(findings_text(findings, result.locate), "finding")
        console.echo_lines(proofs_text(result.proofs, result.locate), "proof")
        held = sum(1 for p in result.proofs if p.holds)
        if known_line(known, baseline):
            console.echo(known_line(known, baseline), "summary")
        console.echo(
            f"{blueprint}: {summary_line(findings)}; {held_of(held, len(result.proofs))}"
            f" ({result.rule_count} rules on {result.resource_count} resources)",
            "summary",
        )
    if counts["error"]:
        raise FindingsError()
