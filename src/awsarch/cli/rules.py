"""`awsarch rules` lists every rule; `awsarch explain ID` says why it exists and what to do."""

from __future__ import annotations

import json
import textwrap

import click

from awsarch.cli.options import FORMAT_OPTION
from awsarch.errors import InputError
from awsarch.rules.base import Rule
from awsarch.rules.pseudo import PSEUDO_RULES
from awsarch.rules.registry import ALL_RULES, rule_by_id

ID_PATTERN = "NET001, SEC004, DATA004, IAM101 …"


@click.command("rules")
@FORMAT_OPTION
def rules_command(output_format: str) -> None:
    """List every rule: its id, severity and what it checks."""
    if output_format == "json":
        click.echo(json.dumps([_json(r) for r in ALL_RULES], indent=2))
        return
    width = max(len(r.id) for r in ALL_RULES)
    for rule in ALL_RULES:
        click.echo(f"{rule.id:<{width}}  {rule.severity:<7}  {rule.title}")
    click.echo(f"{len(ALL_RULES)} rules — `awsarch explain ID` says why and what to do")
    click.echo("")
    click.echo("Not rules, but ids that findings carry (`awsarch explain ID` knows them too):")
    for rule in PSEUDO_RULES:
        click.echo(f"{rule.id:<{width}}  {rule.severity:<7}  {rule.title}")


@click.command("explain")
@click.argument("rule_id", metavar="ID")
@FORMAT_OPTION
def explain_command(rule_id: str, output_format: str) -> None:
    """Explain rule ID: why it exists, the fix, and the AWS documentation it follows."""
    rule = _find(rule_id)
    if output_format == "json":
        click.echo(json.dumps(_json(rule), indent=2))
        return
    click.echo(f"{rule.id} ({rule.severity}): {rule.title}")
    for label, text in (("Why", rule.rationale), ("Fix", rule.fix)):
        click.echo("")
        click.echo(textwrap.fill(f"{label}: {text}", width=88, subsequent_indent="  "))
    if rule.docs:
        click.echo("")
        click.echo(f"AWS documentation: {rule.docs}")
    if rule not in PSEUDO_RULES:
        click.echo(f"Accept a finding of it: accept: [{{rule: {rule.id}, resource: …, reason: …}}]")


def _find(rule_id: str) -> Rule:
    wanted = rule_id.strip().upper()
    pseudo = next((r for r in PSEUDO_RULES if r.id == wanted), None)
    if pseudo:
        return pseudo
    try:
        return rule_by_id(wanted)
    except KeyError:
        raise InputError(
            f"no rule {rule_id!r} — rule ids look like {ID_PATTERN}; `awsarch rules` lists"
            f" all {len(ALL_RULES)}"
        ) from None


def _json(rule: Rule) -> dict[str, str]:
    return {
        "id": rule.id,
        "severity": rule.severity,
        "title": rule.title,
        "rationale": rule.rationale,
        "fix": rule.fix,
        "docs": rule.docs,
    }
