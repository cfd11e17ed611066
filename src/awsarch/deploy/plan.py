"""Changes → actions ordered by their dependencies, the way they will be applied.

Creations and updates wait for what they reference; deletions wait for what references them
(the graph run backwards). Every action that destroys data carries the snapshot it will take.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from awsarch.deploy.diff import Change
from awsarch.deploy.launch_template import LaunchTemplate, template_id
from awsarch.errors import InputError
from awsarch.model import AutoScalingGroup, Instance, InstanceProfile, LoadBalancer
from awsarch.record import record

SECRET_PREFIX = "secret-of:"
LOGICAL_KINDS = frozenset(
    {
        "vpc",
        "subnet",
        "rtb",
        "igw",
        "nat",
        "eip",
        "acl",
        "prefix-list",
        "sg",
        "instance",
        "dbsubnets",
        "db",
        "role",
        "profile",
        "group",
        "user",
        "tg",
        "lb",
        "asg",
        "lt",
    }
)
"""The `kind/` prefixes of logical ids (the `awsarch:name` tag)."""


@record
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
    defer_groups: bool = False
    """Create a security group without its rules naming groups created alongside it that name
    it too (a later action adds them once both exist)."""

    @property
    def follow_up(self) -> bool:
        """A later step of creating or replacing a resource (`grant …`, `rules …`)."""
        return self.key != f"{self.change.kind} {self.change.logical_id}"


@record
class Plan:
    actions: tuple[Action, ...]

    @property
    def empty(self) -> bool:
        return not self.actions

    def destroys_data(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.change.destroys_data)

    def counts(self) -> dict[str, int]:
        """Actions by the kind of their change (follow-up steps included)."""
        counts: dict[str, int] = {}
        for action in self.actions:
            counts[action.change.kind] = counts.get(action.change.kind, 0) + 1
        return counts

    def totals(self) -> dict[str, int]:
        """Resources by what happens to them: a creation's follow-up steps (`grant role/web`
        once the database exists, `rules sg/lb` once both groups exist) are part of creating
        it, not updates of their own."""
        totals = dict.fromkeys(("create", "update", "replace", "delete"), 0)
        for action in self.actions:
            if not action.follow_up:
                totals[action.change.kind] += 1
        return totals


def snapshot_name(stack: str, database: str, timestamp: str) -> str:
    """`<stack>-<db>-final-<timestamp>`: RDS snapshot ids allow letters, digits and hyphens."""
    return f"{stack}-{database}-final-{timestamp}"


def make_plan(changes: Iterable[Change], *, stack: str, timestamp: str) -> Plan:
    """Order the changes; `timestamp` (UTC, then a nonce) names any final snapshot. Refuses,
    before any action, a change AWS cannot make (`PlanRefused`)."""
    changes = list(changes)
    _refuse_impossible(changes)
    actions = _one_zone_at_a_time(list(_actions(changes, stack, timestamp)))
    return Plan(actions=tuple(_ordered(actions)))


class PlanRefused(InputError):
    """The blueprint asks for a change that cannot be applied to what is live."""


def _refuse_impossible(changes: list[Change]) -> None:
    """A VPC's primary CIDR cannot change in place, and DeleteVpc fails while anything is in it
    (DependencyViolation): replacing it means replacing everything inside, databases included,
    which `up` never does by itself."""
    for change in changes:
        if change.resource_type == "Vpc" and change.kind == "replace":
            old, new = change.observed.cidr, change.desired.cidr
            raise PlanRefused(
                f"{change.logical_id}: the VPC's CIDR cannot change from {old} to {new} in place —"
                " deploy it as a new stack (another `stack:` name), or `awsarch down` this one"
                " (its databases keep a final snapshot) and `awsarch up` again"
            )


def _one_zone_at_a_time(actions: list[Action]) -> list[Action]:
    """Instances of a group resized in place wait for the previous subnet's (AZ's) to be back,
    so some instance of the group is always running."""
    resized: dict[str, dict[str, list[Action]]] = {}
    for action in actions:
        change = action.change
        if (
            change.resource_type == "Instance"
            and change.kind == "update"
            and any(f.field == "instance_type" for f in change.fields)
        ):
            by_subnet = resized.setdefault(change.desired.group, {})
            by_subnet.setdefault(change.desired.subnet_id, []).append(action)
    waits: dict[str, tuple[str, ...]] = {}
    for by_subnet in resized.values():
        batches = [by_subnet[s] for s in sorted(by_subnet)]
        for before, after in itertools.pairwise(batches):
            for action in after:
                waits[action.key] = tuple(a.key for a in before)
    return [
        dataclasses.replace(a, depends_on=(*a.depends_on, *waits[a.key])) if a.key in waits else a
        for a in actions
    ]


def _actions(changes: list[Change], stack: str, timestamp: str) -> Iterator[Action]:
    building = {c.logical_id: c for c in changes if c.kind != "delete"}
    deleting = {c.logical_id: c for c in changes if c.kind == "delete"}
    for change in changes:
        if change.kind == "delete":
            waits = [
                f"delete {c.logical_id}" for c in deleting.values() if _must_go_first(c, change)
            ]
            waits += [_key(c) for c in building.values() if _stops_naming(c, change)]
            action = Action(
                key=f"delete {change.logical_id}", change=change, depends_on=tuple(waits)
            )
            yield _with_snapshot(action, stack, timestamp)
            continue
        refs = references(change.desired) - {change.logical_id}
        refs |= _route_tables_of(change.desired, building.values())
        secrets = {r for r in refs if r.startswith("db/") and _is_secret_ref(change.desired, r)}
        defer = change.kind == "create" and bool(secrets & building.keys())
        mutual = _mutual_groups(change, building)
        needs = [
            _key(building[r])
            for r in sorted(refs - (secrets if defer else set()) - mutual)
            if r in building
        ]
        action = Action(
            key=_key(change),
            change=change,
            depends_on=tuple(needs),
            defer_secrets=defer,
            defer_groups=bool(mutual) and change.kind != "update",
        )
        yield _with_snapshot(action, stack, timestamp)
        if action.defer_groups:
            rules = dataclasses.replace(
                change, kind="update", reason="rules naming groups created alongside"
            )
            yield Action(
                key=f"rules {change.logical_id}",
                change=rules,
                depends_on=(action.key, *(_key(building[m]) for m in sorted(mutual))),
            )
        if defer:
            grant = dataclasses.replace(
                change, kind="update", reason="grant access to the database secrets"
            )
            yield Action(
                key=f"grant {change.logical_id}",
                change=grant,
                depends_on=(action.key, *(_key(building[s]) for s in sorted(secrets))),
            )


def _mutual_groups(change: Change, building: dict[str, Change]) -> set[str]:
    """Security groups built in this plan that this group's rules name and whose rules name it
    (a load balancer's group and its targets' group): neither can wait for the other."""
    if change.resource_type != "SecurityGroup":
        return set()
    return {
        other
        for other in references(change.desired)
        if other.startswith("sg/")
        and other in building
        and other != change.logical_id
        and change.logical_id in references(building[other].desired)
    }


DELETE_FIRST: dict[str, tuple[str, ...]] = {
    "InternetGateway": ("Instance", "NatGateway", "LoadBalancer", "AutoScalingGroup"),
}
"""AWS refuses to detach an internet gateway while the VPC has mapped public addresses
(instances' public IPs, NAT gateways' Elastic IPs, an internet-facing load balancer's nodes):
those go first."""


def _stops_naming(other: Change, change: Change) -> bool:
    """An update or replacement that stops naming what is deleted goes first: AWS refuses to
    delete a managed prefix list a security group rule still names ("You must first remove all
    references to the prefix list in your resources",
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteManagedPrefixList.html)."""
    return other.kind in ("update", "replace") and change.logical_id in references(other.observed)


def _must_go_first(other: Change, change: Change) -> bool:
    """`other` must be deleted before `change`: it refers to it, or AWS demands it."""
    if other is change:
        return False
    if other.resource_type == change.resource_type == "SecurityGroup" and (
        other.logical_id in references(change.observed)
    ):
        return False  # they name each other: each revokes its rules naming the other first
    if other.resource_type in DELETE_FIRST.get(change.resource_type, ()):
        return True
    if change.logical_id in _route_tables_of(other.observed, [change]):
        return True
    return change.logical_id in references(other.observed)


def _route_tables_of(resource: Any, changes: Iterable[Change]) -> set[str]:
    """An instance needs its subnet's route table: one with a public address is reachable
    only once its subnet routes to the internet gateway, and it goes before the table does.
    So do an Auto Scaling group's instances, and an internet-facing load balancer, which AWS
    creates only in a VPC with an internet gateway."""
    if isinstance(resource, Instance):
        subnets = {resource.subnet_id}
    elif isinstance(resource, AutoScalingGroup | LoadBalancer):
        subnets = set(resource.subnet_ids)
    else:
        return set()
    return {
        c.logical_id
        for c in changes
        if c.resource_type == "RouteTable" and subnets & set((c.desired or c.observed).subnet_ids)
    }


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
    if isinstance(resource, LaunchTemplate) and resource.instance_profile:
        found.add(f"profile/{resource.group}")
    if isinstance(resource, AutoScalingGroup):
        found.add(template_id(resource.id))
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
