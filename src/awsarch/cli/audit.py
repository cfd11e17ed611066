"""`awsarch audit`: the rules (and a blueprint's intents and drift) on what is live."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from awsarch.cli import audit_merge, console
from awsarch.cli.audit_org import OrgOptions, org_options, run_org
from awsarch.cli.baseline import baseline_options, known_line, with_baseline
from awsarch.cli.options import FINDINGS_FORMAT_OPTION, Group
from awsarch.cli.target import Target, make_target, target_options
from awsarch.errors import AwsarchError, FindingsError, InputError
from awsarch.render.findings import (
    finding_json,
    findings_text,
    proof_json,
    proofs_text,
    summary_counts,
)
from awsarch.render.words import held_of, plural

DEFAULT_BLUEPRINT = "blueprint.yaml"
"""The blueprint a verb reads when none is named (as `init` writes it)."""

if TYPE_CHECKING:
    from awsarch.adapters.aws.session import AwsSession
    from awsarch.deploy.diff import Change
    from awsarch.rules.base import Finding
    from awsarch.usecases.verify import Verified


@click.group("audit", cls=Group, invoke_without_command=True)
@click.option("--vpc", "vpc_id", default=None, help="Audit one VPC (default: the whole region).")
@click.option(
    "--blueprint",
    default=None,
    type=click.Path(),
    help="Also prove its intents on what is live, and show the drift from it.",
)
@FINDINGS_FORMAT_OPTION
@org_options
@target_options
@baseline_options
@click.pass_context
def command(
    ctx: click.Context,
    /,
    vpc_id: str | None,
    blueprint: str | None,
    output_format: str,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
    baseline: str | None,
    write_baseline: str | None,
    **org: Any,
) -> None:
    """Read the account (or one VPC) and check it. Exit 3 on error findings, failed intents or
    drift from the blueprint. With --org, every account and region of the organization (exit 4
    when a unit could not be audited); `audit merge` merges unit results of sharded runs."""
    if ctx.invoked_subcommand:
        return
    ctx.meta["awsarch.baseline"] = (baseline, write_baseline)
    target = make_target(endpoint_url, region, profile)
    options = OrgOptions(**org)
    if options.org:
        if vpc_id:
            raise InputError("--vpc audits one VPC of one account: drop it with --org")
        run_org(target, options, output_format, blueprint, (baseline, write_baseline))
        return
    if options.given_without_org():
        raise InputError(f"{', '.join(options.given_without_org())} need --org")
    if blueprint:
        from awsarch.cli.stack import session_for
        from awsarch.usecases.live import verify_in_account
        from awsarch.usecases.verify import verify_file

        loaded = verify_file(blueprint).loaded
        session = session_for(target, loaded.blueprint.region)
        ok = report_live(
            verify_in_account(loaded, session),
            session,
            vpc_id=vpc_id,
            output_format=output_format,
            account=True,
            emulator=target.is_emulator,
            where=target.describe(session),
        )
    else:
        ok = _audit_account(target, vpc_id, output_format)
    if not ok:
        raise FindingsError()


command.add_command(audit_merge.command)


def report_live(
    verified: Verified,
    session: AwsSession,
    *,
    vpc_id: str | None = None,
    output_format: str = "text",
    account: bool = False,
    emulator: bool = False,
    where: str = "",
) -> bool:
    """Rules, intents and drift of a blueprint on what is live (with `account`, the account's
    IAM hygiene too); False on errors and when drift remains. With `where` (the target, for
    people), a stack that owns nothing there is an error, not an audit of someone else's region."""
    from awsarch.usecases.live import audit, observe, require_stack

    bp = verified.loaded.blueprint
    observed = observe(session, stack=bp.stack, vpc_id=vpc_id, account=account, emulator=emulator)
    if where:
        require_stack(observed, where=where, home=bp.region)
    live, drift = audit(verified.loaded, observed, verified.architecture)
    shown = _print(live.findings, live.proofs, drift, live.locate, output_format, session)
    counts = summary_counts(shown)
    return not counts["error"] and not drift


def _audit_account(target: Target, vpc_id: str | None, output_format: str) -> bool:
    """The rules on a whole region (or one VPC) and on the account's IAM."""
    from awsarch.org.scope import region_findings
    from awsarch.rules.registry import run_rules
    from awsarch.usecases.live import observe

    session = target.session()
    observed = observe(session, vpc_id=vpc_id, account=True, emulator=target.is_emulator)
    if vpc_id and all(vpc.id != vpc_id for vpc in observed.model.vpcs):
        raise InputError(
            f"--vpc {vpc_id}: no such VPC in {target.describe(session)} — check the id"
            " (`aws ec2 describe-vpcs` lists them) and the region, or drop --vpc"
        )
    findings = region_findings(run_rules(observed.view), empty=observed.empty)
    if observed.empty and not findings and output_format == "text":  # only the default VPC
        click.echo(
            f"nothing to audit in {target.describe(session)}: no VPC of your own"
            " (only the default one), no instance, no database, no IAM finding"
            + _elsewhere(session)
        )
        return True
    shown = _print(findings, (), [], lambda path: "", output_format, session)
    return not summary_counts(shown)["error"]


def _elsewhere(session: AwsSession) -> str:
    """When ./blueprint.yaml builds in another region: where its stack is (`up` builds in the
    blueprint's region whatever AWS_REGION says)."""
    from awsarch.blueprint.load import load_file

    try:
        region = load_file(DEFAULT_BLUEPRINT).blueprint.region
    except AwsarchError:  # no blueprint here, or not one: nothing to point at
        return ""
    if region == session.region:
        return ""
    return (
        f"; {DEFAULT_BLUEPRINT}'s stack is in {region}:"
        f" add --region {region}, or --blueprint {DEFAULT_BLUEPRINT}"
    )


def _print(
    findings: Sequence[Finding],
    proofs: Any,
    drift: list[Change],
    locate: Any,
    output_format: str,
    session: AwsSession,
) -> list[Finding]:
    """Print the findings (those not in `--baseline`) and return them."""
    findings, known = with_baseline(findings, *_baseline())
    if output_format == "sarif":
        from awsarch.render.sarif import to_sarif
        from awsarch.rules.registry import ALL_RULES

        click.echo(json.dumps(to_sarif(findings, ALL_RULES, locate), indent=2))
        return findings
    if output_format == "json":
        click.echo(json.dumps(_json(findings, proofs, drift, locate, session), indent=2))
        return findings
    for line in [
        *findings_text(findings, locate),
        *proofs_text(proofs, locate),
        *drift_lines(drift),
    ]:
        console.echo(line, "report")
    if known_line(known, _baseline()[0]):
        console.echo(known_line(known, _baseline()[0]), "summary")
    counts = summary_counts(findings)
    held = sum(1 for p in proofs if p.holds)
    intents = f"; {held_of(held, len(proofs))}" if proofs else ""
    console.echo(
        f"live audit: {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}"
        f"{intents}; "
        f"{len(drift)} drifted ({session.calls.total} API calls)",
        "summary",
    )
    return findings


def _baseline() -> tuple[str | None, str | None]:
    """`--baseline` and `--write-baseline` of this audit (none when called by another verb)."""
    context = click.get_current_context(silent=True)
    found = context.meta.get("awsarch.baseline") if context else None
    return found if isinstance(found, tuple) else (None, None)


def drift_lines(drift: list[Change]) -> list[str]:
    """Each drifted resource with what differs, as `plan` words it (`ingress: - tcp 22
    0.0.0.0/0`: what `up` would change back)."""
    from awsarch.render.changes import MARKS, field_line

    lines = []
    for change in drift:
        fields = "; ".join(field_line(f) for f in change.fields)
        what = f": {fields}" if fields else ""
        why = f" ({change.reason})" if change.reason else ""
        lines.append(f"drift: {MARKS[change.kind]} {change.kind} {change.logical_id}{what}{why}")
    return lines


def _json(
    findings: Any, proofs: Any, drift: list[Change], locate: Any, session: AwsSession
) -> dict[str, Any]:
    counts = summary_counts(findings)
    return {
        "target": {"endpoint": session.endpoint_url, "region": session.region},
        "findings": [finding_json(f, locate) for f in findings],
        "intents": [proof_json(p, locate) for p in proofs],
        "drift": [
            {
                "change": c.kind,
                "resource": c.logical_id,
                "reason": c.reason,
                "fields": [f.field for f in c.fields],
            }
            for c in drift
        ],
        "summary": {
            "errors": counts["error"],
            "warnings": counts["warning"],
            "drift": len(drift),
            "api_calls": session.calls.total,
        },
    }
