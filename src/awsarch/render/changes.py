"""A plan as a change set people can review: one line per action, data loss shouted.

Values are written as the blueprint names them (`routes: + 0.0.0.0/0 → nat/a`), whole: a list
shows what it gains and loses, a long text says how long it grows, nothing is cut mid-value.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from awsarch.deploy.diff import FieldChange
from awsarch.deploy.plan import Action, Plan
from awsarch.model import AclEntry, PortRange, Route, SecurityGroupRule
from awsarch.render.words import plural

MARKS = {"create": "+", "update": "~", "replace": "±", "delete": "-"}
KINDS = ("create", "update", "replace", "delete")
NO_CHANGES = "no changes: what is live matches the blueprint"
"""What `plan` and `up` both say when nothing differs (Terraform's "No changes.")."""
LONG_TEXT = 80
"""A text longer than this (user data, a policy document) is summarised by its length."""


def plan_lines(plan: Plan) -> list[str]:
    """The change set, in the order it will be applied, then its totals."""
    width = max((len(a.key) for a in plan.actions), default=0)
    lines = [f"  {_mark(a)} {a.key.ljust(width)}  {_detail(a)}".rstrip() for a in plan.actions]
    return [*lines, totals_line(plan)]


def totals_line(plan: Plan) -> str:
    """`plan: 21 to create, 0 to update, 0 to replace, 0 to delete` — resources, in the words
    of the lines above (a creation's follow-up steps count with the creation)."""
    totals = plan.totals()
    parts = [f"{totals[kind]} to {kind}" for kind in KINDS]
    loud = plan.destroys_data()
    warning = f"; {plural(len(loud), 'database')} DESTROYED (final snapshot first)" if loud else ""
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


def _mark(action: Action) -> str:
    """A follow-up step is part of creating (or replacing) its resource: it carries that mark."""
    return MARKS[action.change.kind] if not action.follow_up else "+"


def _detail(action: Action) -> str:
    """What the action does; a database it destroys is shouted first, then why (the attribute
    changes that force a replacement), so the reason is never hidden behind the warning."""
    change = action.change
    if not change.destroys_data:
        return _plain_detail(action)
    warning = "!! DESTROYS DATA: " + (
        f"final snapshot {action.snapshot}" if action.snapshot else "no snapshot"
    )
    reason = _plain_detail(action)
    return f"{warning} — {reason}" if reason else warning


def _plain_detail(action: Action) -> str:
    change = action.change
    if action.follow_up:
        return f"({change.reason})"
    if change.kind == "create":
        return _summary(change.desired)
    if change.kind == "delete":
        return change.reason
    details = "; ".join(field_line(f) for f in change.fields)
    return f"{change.reason}: {details}" if change.kind == "replace" else details


def _summary(resource: Any) -> str:
    for attribute in ("cidr", "instance_class", "instance_type"):
        value = getattr(resource, attribute, "")
        if value:
            return str(value)
    return ""


def field_line(field: FieldChange) -> str:
    """`routes: + 0.0.0.0/0 → nat/a`, `instance_type: t3.micro → t3.small`."""
    old, new = field.observed, field.desired
    if isinstance(old, tuple | list | frozenset) and isinstance(new, tuple | list | frozenset):
        return f"{field.field}: {_collection_change(list(old), list(new))}"
    if _is_record(old) and _is_record(new) and type(old) is type(new) and not _label(old):
        inner = [
            field_line(FieldChange(field=f"{field.field}.{f.name}", observed=a, desired=b))
            for f in dataclasses.fields(old)
            if (a := getattr(old, f.name)) != (b := getattr(new, f.name))
        ]
        return "; ".join(inner)
    if _long(old) or _long(new):
        return f"{field.field}: changed ({_length(old)} → {_length(new)} characters)"
    return f"{field.field}: {value_text(old)} → {value_text(new)}"


def _collection_change(old: list[Any], new: list[Any]) -> str:
    """What a list gains (+) and loses (-); an item whose name stays but whose content changes
    (a policy, a rule's description) shows once as `~ name`."""
    added = [v for v in new if v not in old]
    removed = [v for v in old if v not in new]
    renamed = {_label(v) for v in added if _label(v)} & {_label(v) for v in removed}
    parts = [f"~ {name}" for name in sorted(renamed)]
    parts += [f"+ {value_text(v)}" for v in added if _label(v) not in renamed or not _label(v)]
    parts += [f"- {value_text(v)}" for v in removed if _label(v) not in renamed or not _label(v)]
    return ", ".join(parts) if parts else "same items, another order"


def value_text(value: Any) -> str:
    """One value as the blueprint writes it, never a Python repr."""
    if isinstance(value, Route):
        return f"{value.destination} → {value.target_id or value.target}"
    if isinstance(value, SecurityGroupRule):
        return _rule(value)
    if isinstance(value, AclEntry):
        way = "out" if value.egress else "in"
        verdict = "allow" if value.allow else "deny"
        return f"#{value.rule_number} {way} {verdict} {value.protocol} {value.ports} {value.cidr}"
    if isinstance(value, PortRange):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or value == "":
        return "(none)"
    if isinstance(value, tuple | list | frozenset):
        return "[" + ", ".join(value_text(v) for v in value) + "]" if value else "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k}={value_text(v)}" for k, v in sorted(value.items())) or "(none)"
    if _is_record(value):
        return _label(value) or _record_text(value)
    return str(value)


def _rule(rule: SecurityGroupRule) -> str:
    """`tcp 3306 from sg/web`, `all traffic 0.0.0.0/0`."""
    what = "all traffic" if rule.protocol == "all" else f"{rule.protocol} {rule.ports}"
    return f"{what} {rule.peer.value}"


def _record_text(value: Any) -> str:
    fields = [
        f"{f.name}={value_text(getattr(value, f.name))}"
        for f in dataclasses.fields(value)
        if getattr(value, f.name) not in ("", (), None, False)
    ]
    return "{" + ", ".join(fields) + "}"


def _is_record(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _label(value: Any) -> str:
    """A record's own name (`id`, else `name`), when it has one."""
    if not _is_record(value):
        return ""
    for attribute in ("id", "name", "sid"):
        text = getattr(value, attribute, "")
        if isinstance(text, str) and text:
            return text
    return ""


def _long(value: Any) -> bool:
    return isinstance(value, str) and (len(value) > LONG_TEXT or "\n" in value)


def _length(value: Any) -> str:
    return f"{len(value):,}" if isinstance(value, str) else "0"
