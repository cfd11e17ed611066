"""`awsarch check`: prove a blueprint sound and true to the architecture's rules."""

from __future__ import annotations

import json

import click

from awsarch.cfn.verify import verify_path
from awsarch.cli import console
from awsarch.cli.options import BLUEPRINT_ARG, FORMAT_OPTION, INTENTS_OPTION, PARAMETER_OPTION
from awsarch.errors import EXIT_FINDINGS
from awsarch.render.findings import (
    finding_json,
    findings_text,
    proof_json,
    proofs_text,
    summary_counts,
    summary_line,
)


@click.command("check")
@BLUEPRINT_ARG
@FORMAT_OPTION
@PARAMETER_OPTION
@INTENTS_OPTION
def command(
    blueprint: str, output_format: str, parameters: tuple[str, ...], intents_file: str | None
) -> None:
    """Check FILE (default blueprint.yaml, or a CloudFormation template): its rules and its
    intents. Exit 3 on any error."""
    result = verify_path(blueprint, parameters, intents_file)
    counts = summary_counts(result.findings)
    if output_format == "json":
        payload = {
            "file": blueprint,
            "resources": result.resource_count,
            "rules": result.rule_count,
            "findings": [finding_json(f, result.locate) for f in result.findings],
            "intents": [proof_json(p, result.locate) for p in result.proofs],
            "summary": {"errors": counts["error"], "warnings": counts["warning"]},
        }
        click.echo(json.dumps(payload, indent=2))
    else:
        console.echo_lines(findings_text(result.findings, result.locate), "finding")
        console.echo_lines(proofs_text(result.proofs, result.locate), "proof")
        held = sum(1 for p in result.proofs if p.holds)
        console.echo(
            f"{blueprint}: {summary_line(result.findings)}; {held} of {len(result.proofs)}"
            f" intents proved ({result.rule_count} rules on {result.resource_count} resources)",
            "summary",
        )
    if counts["error"]:
        raise SystemExit(EXIT_FINDINGS)
