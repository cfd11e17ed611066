"""Changes → actions ordered by their dependencies, the way they will be applied.

Creations and updates wait for what they reference; deletions wait for what references them
(the graph run backwards). Every action that destroys data carries the snapshot it will take.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from awsarch.deploy.diff import Change
from awsarch.model import Instance, InstanceProfile

SECRET_PREFIX = "secret-of:"
LOGICAL_KINDS = frozenset(
    {
        "vpc",
        "subnet",
        "rtb",
        "igw",
        "nat",
        "acl",
        "sg",
        "instance",
        "dbsubnets",
        "db",
        "role",
        "profile",
        "group",
        "user",
    }
)
"""The `kind/` prefixes of logical ids (the `awsarch:name` tag)."""


@dataclass(frozen=True, kw_only=True)
class Action:
    key: str
    """`create sg/web`: unique within a plan."""
    change: Change
    depends_on: tuple[str, ...] = ()
    snapshot: str = ""
    """For a database deletion or replacement: the final snapshot taken first."""
    defer_secrets: bool = False
    """Create a role without the statements on secrets that do not exist yet (a later action
    grants them once the database exists)."""


@dataclass(frozen=True, kw_only=True)
class Plan:
    actions: tuple[Action, ...]

    @property
    def empty(self) -> bool:
        return not self.actions

    def destroys_data(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.change.destroys_data)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for action in self.actions:
            counts[action.change.kind] = counts.get(action.change.kind, 0) + 1
        return counts


def snapshot_name(stack: str, database: str, timestamp: str) -> str:
    """`<stack>-<db>-final-<timestamp>`: RDS snapshot ids allow letters, digits and hyphens."""
    return f"{stack}-{database}-final-{timestamp}"


def make_plan(changes: Iterable[Change], *, stack: str, timestamp: str) -> Plan:
    """Order the changes; `timestamp` (UTC, digits only) names any final snapshot."""
    changes = list(changes)
    actions = list(_actions(changes, stack, timestamp))
    return Plan(actions=tuple(_ordered(actions)))


def _actions(changes: list[Change], stack: str, timestamp: str) -> Iterator[Action]:
    building = {c.logical_id: c for c in changes if c.kind != "delete"}
    deleting = {c.logical_id: c for c in changes if c.kind == "delete"}
    for change in changes:
        if change.kind == "delete":
            waits = [
                f"delete {c.logical_id}" for c in deleting.values() if _must_go_first(c, change)
            ]
            action = Action(
                key=f"delete {change.logical_id}", change=change, depends_on=tuple(waits)
            )
            yield _with_snapshot(action, stack, timestamp)
            continue
        refs = references(change.desired) - {change.logical_id}
        secrets = {r for r in refs if r.startswith("db/") and _is_secret_ref(change.desired, r)}
        defer = change.kind == "create" and bool(secrets & building.keys())
        needs = [
            _key(building[r]) for r in sorted(refs - (secrets if defer else set())) if r in building
        ]
        action = Action(
            key=_key(change), change=change, depends_on=tuple(needs), defer_secrets=defer
        )
        yield _with_snapshot(action, stack, timestamp)
        if defer:
            grant = dataclasses.replace(
                change, kind="update", reason="grant access to the database secrets"
            )
            yield Action(
                key=f"grant {change.logical_id}",
                change=grant,
                depends_on=(action.key, *(_key(building[s]) for s in sorted(secrets))),
            )


DELETE_FIRST: dict[str, tuple[str, ...]] = {
    "InternetGateway": ("Instance", "NatGateway"),
}
"""AWS refuses to detach an internet gateway while the VPC has mapped public addresses
(instances' public IPs, NAT gateways' Elastic IPs): those go first."""


def _must_go_first(other: Change, change: Change) -> bool:
    """`other` must be deleted before `change`: it refers to it, or AWS demands it."""
    if other is change:
        return False
    if other.resource_type in DELETE_FIRST.get(change.resource_type, ()):
        return True
    return change.logical_id in references(other.observed)


def _key(change: Change) -> str:
    return f"{change.kind} {change.logical_id}"


def _with_snapshot(action: Action, stack: str, timestamp: str) -> Action:
    if not action.change.destroys_data:
        return action
    name = action.change.logical_id.split("/", 1)[-1]
    return dataclasses.replace(action, snapshot=snapshot_name(stack, name, timestamp))


def _is_secret_ref(resource: Any, db_id: str) -> bool:
    return SECRET_PREFIX + db_id in set(_strings(resource))


def references(resource: Any) -> set[str]:
    """The logical ids a resource refers to (ids, role and profile names, secret references)."""
    found: set[str] = set()
    for text in _strings(resource):
        if text.startswith(SECRET_PREFIX):
            found.add(text[len(SECRET_PREFIX) :])
        elif text.split("/", 1)[0] in LOGICAL_KINDS and "/" in text:
            found.add(text)
    if isinstance(resource, Instance) and resource.instance_profile:
        found.add(f"profile/{resource.group}")
    if isinstance(resource, InstanceProfile):
        found.add("role/" + resource.id.split("/", 1)[-1])
    return found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name not in ("id", "cidr", "destination"):
                yield from _strings(getattr(value, field.name))


def _ordered(actions: list[Action]) -> Iterator[Action]:
    """A stable topological order: each action after everything it depends on."""
    pending = {a.key: a for a in actions}
    done: set[str] = set()
    while pending:
        ready = [
            a for a in pending.values() if all(d in done or d not in pending for d in a.depends_on)
        ]
        if not ready:
            raise ValueError("dependency cycle among: " + ", ".join(sorted(pending)))
        for action in ready:
            done.add(action.key)
            del pending[action.key]
            yield action
