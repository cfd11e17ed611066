"""Model policies ⇄ IAM JSON documents, conditions and NotAction included, losslessly.

`to_model(to_json(p)) == p`: what awsarch writes to a group reads back equal, so `plan` sees no
drift on an unchanged group.
"""

from __future__ import annotations

from typing import Any

from awsarch.model import Policy, Statement
from awsarch.model.iam import Condition

VERSION = "2012-10-17"


def to_json(policy: Policy) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": [_statement_json(s) for s in policy.statements]}


def _statement_json(s: Statement) -> dict[str, Any]:
    entry: dict[str, Any] = {"Effect": s.effect}
    if s.sid:
        entry["Sid"] = s.sid
    entry["NotAction" if s.not_action else "Action"] = list(s.actions)
    entry["Resource"] = list(s.resources)
    if s.conditions:
        condition: dict[str, dict[str, Any]] = {}
        for c in s.conditions:
            value: Any = c.values[0] if len(c.values) == 1 else list(c.values)
            condition.setdefault(c.operator, {})[c.key] = value
        entry["Condition"] = condition
    return entry


def to_model(name: str, document: dict[str, Any]) -> Policy:
    """A JSON policy document (as IAM returns it, or as awsarch generates it) as a model Policy."""
    raw = document.get("Statement", [])
    items = [raw] if isinstance(raw, dict) else list(raw)
    return Policy(name=name, statements=tuple(_statement(item) for item in items))


def _statement(item: dict[str, Any]) -> Statement:
    not_action = "NotAction" in item
    return Statement(
        effect="Deny" if item.get("Effect") == "Deny" else "Allow",
        actions=_strings(item.get("NotAction" if not_action else "Action")),
        resources=_strings(item.get("Resource", "*")),
        sid=str(item.get("Sid", "")),
        not_action=not_action,
        conditions=tuple(
            Condition(operator=str(op), key=str(key), values=_strings(values))
            for op, keys in (item.get("Condition") or {}).items()
            for key, values in keys.items()
        ),
    )


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (str(value),) if isinstance(value, str | bool) else tuple(str(v) for v in value)
