"""An organization report for people (text, per account), programs (JSON) and code scanning
(SARIF, each result carrying its account and region). Pure: the same report prints the same
bytes, from one process or merged from many."""

from __future__ import annotations

from typing import Any

from awsarch.org.merge import OrgReport
from awsarch.org.results import UnitResult
from awsarch.render.words import plural
from awsarch.rules.base import Finding, Severity


def text_lines(report: OrgReport) -> list[str]:
    """Per account: a summary line, its findings (with their region, `global` for the account's
    IAM hygiene), its failed units."""
    lines: list[str] = []
    by_account = {s.account: s for s in report.accounts()}
    for account, summary in by_account.items():
        failed = f", {summary.failed} failed" if summary.failed else ""
        lines.append(
            f"account {account}: {summary.audited} of {summary.units} units audited{failed};"
            f" {plural(summary.errors, 'error')}, {plural(summary.warnings, 'warning')}"
        )
        for result in (r for r in report.results if r.unit.account == account):
            lines += _unit_lines(result)
    counts = report.counts()
    known = f"; {report.known} known not shown (baseline)" if report.known else ""
    lines.append(
        f"organization audit: {len(by_account)} accounts, {len(report.results)} units"
        f" ({len(report.results) - len(report.failed)} audited, {len(report.failed)} failed);"
        f" {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}{known}"
    )
    return lines


def _unit_lines(result: UnitResult) -> list[str]:
    region = result.unit.region
    if result.failed:
        return [f"  failed {region}: {result.reason}"]
    lines = [
        f"  {region}: {f.severity} {f.rule} {f.resource}: {f.message}" for f in result.findings
    ]
    return lines + [f"  {region}: drift: {d}" for d in result.drift]


def to_json(report: OrgReport) -> dict[str, Any]:
    counts = report.counts()
    return {
        "units": [
            {
                "account": r.unit.account,
                "region": r.unit.region,
                "status": r.status,
                "reason": r.reason,
                "findings": [f.json() for f in r.findings],
                "drift": list(r.drift),
            }
            for r in report.results
        ],
        "accounts": [vars(s) for s in report.accounts()],
        "summary": {
            "accounts": len(report.accounts()),
            "units": len(report.results),
            "audited": len(report.results) - len(report.failed),
            "failed": len(report.failed),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "known": report.known,
        },
    }


def to_sarif(report: OrgReport) -> dict[str, Any]:
    """awsarch's SARIF, each result's location naming its account and region, and the units
    that could not be audited as the run's error notifications."""
    from awsarch.render.sarif import to_sarif as sarif_of
    from awsarch.rules.registry import ALL_RULES

    placed = [(r, f) for r in report.results for f in r.findings]
    findings = [
        Finding(
            rule_id=f.rule,
            severity=_severity(f.severity),
            resource_id=f.resource,
            message=f.message,
        )
        for _, f in placed
    ]
    document = sarif_of(findings, ALL_RULES, None)
    run = document["runs"][0]
    for result, (unit_result, finding) in zip(run["results"], placed, strict=True):
        _place(result, unit_result, finding.location)
    run["invocations"] = [
        {
            "executionSuccessful": not report.failed,
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": f"{r.unit.key}: {r.reason}"}}
                for r in report.failed
            ],
        }
    ]
    return document


def _place(result: dict[str, Any], unit: UnitResult, location: str | None) -> None:
    """The account and region in the result's location (a logical location's qualified name)
    and in its properties, where code-scanning tools filter on them."""
    account, region = unit.unit.account, unit.unit.region
    place = result["locations"][0]
    logical = place["logicalLocations"][0]
    logical["fullyQualifiedName"] = f"{account}/{region}/{logical['name']}"
    place["logicalLocations"] += [
        {"name": account, "kind": "account"},
        {"name": region, "kind": "region"},
    ]
    result["properties"] = {"account": account, "region": region}
    if location:
        file, line, column = location.rsplit(":", 2)
        place["physicalLocation"] = {
            "artifactLocation": {"uri": file},
            "region": {"startLine": int(line), "startColumn": int(column)},
        }


def _severity(value: str) -> Severity:
    return "error" if value == "error" else "warning" if value == "warning" else "info"
