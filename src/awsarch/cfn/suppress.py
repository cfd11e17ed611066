"""Suppressions written in a resource's Metadata, CFN-NAG style, each with its reason:

    Metadata:
      cfn_nag:  {rules_to_suppress: [{id: SEC004, reason: "…"}]}
      awsarch:  {suppress: [{rule: SEC004, reason: "…"}]}

A suppressed finding stays visible, accepted with its reason (as a blueprint's `accept:` shows it);
a suppression without a reason is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from awsarch.blueprint.document import Document
from awsarch.rules.base import Finding

Suppressions = dict[tuple[str, str], str]
"""(logical id, rule id) → reason."""


def read_suppressions(doc: Document) -> Suppressions:
    found: Suppressions = {}
    for lid, resource in ((doc.data or {}).get("Resources") or {}).items():
        metadata = resource.get("Metadata") if isinstance(resource, dict) else None
        if not isinstance(metadata, dict):
            continue
        for tool, list_key, id_key in (
            ("cfn_nag", "rules_to_suppress", "id"),
            ("awsarch", "suppress", "rule"),
        ):
            section = metadata.get(tool)
            entries = section.get(list_key) if isinstance(section, dict) else None
            for i, entry in enumerate(entries or ()):
                path = ("Resources", lid, "Metadata", tool, list_key, i)
                found[(lid, _rule(doc, entry, id_key, path))] = _reason(doc, entry, path)
    return found


def _rule(doc: Document, entry: Any, key: str, path: tuple[str | int, ...]) -> str:
    if not isinstance(entry, dict) or not isinstance(entry.get(key), str):
        raise doc.error(path, f"a suppression names its rule: write `{key}: SEC004, reason: …`")
    return str(entry[key])


def _reason(doc: Document, entry: dict[str, Any], path: tuple[str | int, ...]) -> str:
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise doc.error(
            path,
            f"suppressing {entry.get('id') or entry.get('rule')} needs a reason — add `reason: …`",
        )
    return reason.strip()


def apply(findings: Sequence[Finding], suppressions: Suppressions) -> list[Finding]:
    """Each suppressed finding is marked accepted (severity info), with the reason."""
    result = []
    for finding in findings:
        owner = (
            str(finding.path[1])
            if finding.path[:1] == ("Resources",) and len(finding.path) > 1
            else finding.resource_id
        )
        reason = suppressions.get((owner, finding.rule_id)) or suppressions.get(
            (finding.resource_id, finding.rule_id)
        )
        if reason is None:
            result.append(finding)
        else:
            result.append(finding.accept(reason, where="Metadata"))
    return result
