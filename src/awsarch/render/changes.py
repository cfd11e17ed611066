"""A plan as a change set people can review: one line per action, data loss shouted."""

from __future__ import annotations

from typing import Any

from awsarch.deploy.diff import Change, FieldChange
from awsarch.deploy.plan import Action, Plan
from awsarch.model import SecurityGroupRule

MARKS = {"create": "+", "update": "~", "replace": "±", "delete": "-"}


def plan_lines(plan: Plan) -> list[str]:
    """The change set, in the order it will be applied, then its totals."""
    width = max((len(a.key) for a in plan.actions), default=0)
    lines = [
        f"  {MARKS[a.change.kind]} {a.key.ljust(width)}  {_detail(a)}".rstrip()
        for a in plan.actions
    ]
    return [*lines, totals_line(plan)]


def totals_line(plan: Plan) -> str:
    counts = plan.counts()
    parts = [
        f"{counts.get(kind, 0)} to {kind}" for kind in ("create", "update", "replace", "delete")
    ]
    loud = plan.destroys_data()
    warning = f"; {len(loud)} DESTROY DATA (final snapshot first)" if loud else ""
    return "plan: " + ", ".join(parts) + warning


def data_warnings(plan: Plan) -> list[str]:
    """One loud line per action that deletes or replaces a database."""
    return [
        f"!! {action.key} DESTROYS DATA — "
        + (
            f"a final snapshot {action.snapshot} is taken first"
            if action.snapshot
            else "NO final snapshot"
        )
        for action in plan.destroys_data()
    ]


def _detail(action: Action) -> str:
    change = action.change
    if action.change.destroys_data:
        return "!! DESTROYS DATA: " + (
            f"final snapshot {action.snapshot}" if action.snapshot else "no snapshot"
        )
    if change.kind == "create":
        return (
            "(grant after the database exists)"
            if action.key.startswith("grant")
            else _summary(change.desired)
        )
    if change.kind == "delete":
        return change.reason
    details = "; ".join(_field(change, f) for f in change.fields)
    return f"{change.reason}: {details}" if change.kind == "replace" else details


def _summary(resource: Any) -> str:
    for attribute in ("cidr", "instance_class", "instance_type"):
        value = getattr(resource, attribute, "")
        if value:
            return str(value)
    return ""


def _field(change: Change, field: FieldChange) -> str:
    if field.field in ("ingress", "egress"):
        added = [r for r in field.desired if r not in field.observed]
        removed = [r for r in field.observed if r not in field.desired]
        parts = [f"+ {_rule(r)}" for r in added] + [f"- {_rule(r)}" for r in removed]
        return f"{field.field}: " + ", ".join(parts)
    return f"{field.field}: {_short(field.observed)} → {_short(field.desired)}"


def _rule(rule: SecurityGroupRule) -> str:
    return f"{rule.protocol} {rule.ports} {rule.peer.kind} {rule.peer.value}"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"
