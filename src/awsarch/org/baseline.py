"""An organization's baseline: the findings already known, so a report shows only new ones.

A finding is known when the baseline holds one of the same rule on the same resource in the same
account and region (`global` for the account's hygiene): a resource id is unique only within its
account and region. A baseline is what `audit --org --write-baseline` wrote, or what `audit --org`
(or `audit merge`) printed with `--format json` or `--format sarif`. Applied to the merged report,
never to unit documents, so a sharded run merged with the baseline prints what the unsharded run
with it prints.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from awsarch.org.merge import OrgReport

OrgKey = tuple[str, str, str, str]
"""(account, region, rule id, resource id)."""
FIX = "write one with `awsarch audit --org --write-baseline FILE` (or save its --format json)"


def document(report: OrgReport) -> dict[str, Any]:
    """Every finding of the report, placed in its account and region."""
    findings = [
        {
            "account": r.unit.account,
            "region": r.unit.region,
            "rule": f.rule,
            "resource": f.resource,
            "message": f.message,
        }
        for r in report.results
        for f in r.findings
    ]
    return {"baseline": 1, "scope": "organization", "findings": findings}


def keys(data: Any) -> set[OrgKey] | None:
    """The known findings of an organization baseline, JSON report or SARIF; None for anything
    else (a one-account baseline names no account, so it cannot be placed)."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("findings"), list) and data.get("scope") == "organization":
        return {_key(f, f, "rule") for f in data["findings"] if isinstance(f, dict)}
    if isinstance(data.get("units"), list):
        units = [u for u in data["units"] if isinstance(u, dict)]
        return {_key(u, f, "rule") for u in units for f in u.get("findings") or ()}
    if isinstance(data.get("runs"), list):
        results = [r for run in data["runs"] for r in (run or {}).get("results") or ()]
        placed = [r for r in results if isinstance((r or {}).get("properties"), dict)]
        return {_sarif_key(r) for r in placed if "account" in r["properties"]}
    return None


def without_known(report: OrgReport, known: set[OrgKey]) -> tuple[OrgReport, int]:
    """The report without its known findings, and how many it left out."""
    kept = []
    left_out = 0
    for result in report.results:
        place = (result.unit.account, result.unit.region)
        new = tuple(f for f in result.findings if (*place, f.rule, f.resource) not in known)
        left_out += len(result.findings) - len(new)
        kept.append(dataclasses.replace(result, findings=new))
    return OrgReport(results=tuple(kept), known=report.known + left_out), left_out


def _key(place: dict[str, Any], finding: Any, rule: str) -> OrgKey:
    finding = finding if isinstance(finding, dict) else {}
    return (
        str(place.get("account", "")),
        str(place.get("region", "")),
        str(finding.get(rule, "")),
        str(finding.get("resource", "")),
    )


def _sarif_key(result: dict[str, Any]) -> OrgKey:
    properties = result["properties"]
    logical = [
        place.get("name", "")
        for location in result.get("locations") or ()
        for place in (location or {}).get("logicalLocations") or ()
    ]
    resource = str(logical[0]) if logical else ""
    return (
        str(properties.get("account", "")),
        str(properties.get("region", "")),
        str(result.get("ruleId", "")),
        resource,
    )
