"""Desired model vs discovered model → what must change, resource by resource.

Resources are matched by logical id: the desired model's ids, and the `awsarch:name` tag of what
the stack owns live. A field that AWS cannot change in place forces a replacement, and says so.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from awsarch.deploy.launch_template import deployable, observed_templates
from awsarch.deploy.normalize import comparable_pair, id_translation, translate
from awsarch.model import Architecture, Instance
from awsarch.record import record

ChangeKind = Literal["create", "update", "replace", "delete"]

REPLACE_FIELDS: dict[str, frozenset[str]] = {
    "Vpc": frozenset({"cidr"}),
    "Subnet": frozenset({"cidr", "az", "vpc_id"}),
    "RouteTable": frozenset({"vpc_id", "is_main"}),
    "NatGateway": frozenset({"subnet_id"}),
    "NetworkAcl": frozenset({"vpc_id", "is_default"}),
    "SecurityGroup": frozenset({"vpc_id", "name", "is_default"}),
    "Instance": frozenset({"subnet_id", "image", "has_public_ip"}),
    "Database": frozenset({"engine", "storage_encrypted", "subnet_group_id", "port"}),
    "Role": frozenset({"name", "trusted_service"}),
    "InstanceProfile": frozenset({"name"}),
    "DbSubnetGroup": frozenset({"name"}),
    "TargetGroup": frozenset({"name", "vpc_id", "port", "protocol"}),
    "LoadBalancer": frozenset({"name", "scheme"}),
    "LaunchTemplate": frozenset({"name"}),
    "AutoScalingGroup": frozenset({"name"}),
}
"""Fields AWS cannot change in place: a change to one means delete and create again."""


@record
class FieldChange:
    field: str
    observed: Any
    desired: Any


@record
class Change:
    kind: ChangeKind
    logical_id: str
    resource_type: str
    desired: Any = None
    observed: Any = None
    """The discovered resource in logical ids, for updates, replacements and deletions."""
    live_id: str = ""
    """The discovered resource's AWS id."""
    fields: tuple[FieldChange, ...] = ()
    reason: str = ""

    @property
    def destroys_data(self) -> bool:
        """Deleting or replacing a database loses its data unless a snapshot is taken first."""
        return self.resource_type == "Database" and self.kind in ("delete", "replace")


def diff(desired: Architecture, observed: Architecture) -> list[Change]:
    """Every change that turns observed into desired, in the desired model's order."""
    table = id_translation(observed)
    owned = {**_owned(observed, table), **observed_templates(observed, table)}
    changes = [
        _compare(resource, owned.pop(resource.id, None), table) for resource in deployable(desired)
    ]
    changes += [
        Change(
            kind="delete",
            logical_id=logical,
            resource_type=type(live).__name__,
            observed=translate(live, table),
            live_id=live.id,
            reason="no longer in the blueprint",
        )
        for logical, live in owned.items()
    ]
    return [c for c in changes if c is not None]


def duplicates(observed: Architecture) -> list[Change]:
    """Extra resources carrying the same logical id (left by an interrupted run): delete them."""
    seen: set[str] = set()
    extra = []
    for resource in observed.resources():
        logical = observed.logical_id(resource.id)
        if logical is None or _launched_by_a_group(resource):
            continue
        if logical in seen:
            extra.append(
                Change(
                    kind="delete",
                    logical_id=logical,
                    resource_type=type(resource).__name__,
                    observed=translate(resource, dict(observed.logical_ids)),
                    live_id=resource.id,
                    reason="a duplicate of the same logical resource",
                )
            )
        seen.add(logical)
    return extra


def _launched_by_a_group(resource: Any) -> bool:
    """An Auto Scaling group's instance: the group's to create, replace and delete."""
    return isinstance(resource, Instance) and bool(resource.scaling_group)


def _owned(observed: Architecture, table: dict[str, str]) -> dict[str, Any]:
    owned: dict[str, Any] = {}
    for resource in observed.resources():
        logical = table.get(resource.id)
        if logical is not None and not _launched_by_a_group(resource):
            owned.setdefault(logical, resource)
    return owned


def _compare(desired: Any, live: Any | None, table: dict[str, str]) -> Change | None:
    kind = type(desired).__name__
    if live is None:
        return Change(kind="create", logical_id=desired.id, resource_type=kind, desired=desired)
    translated = translate(live, table)
    fields = _field_changes(*comparable_pair(desired, translated))
    if not fields:
        return None
    forced = [f.field for f in fields if f.field in REPLACE_FIELDS.get(kind, frozenset())]
    return Change(
        kind="replace" if forced else "update",
        logical_id=desired.id,
        resource_type=kind,
        desired=desired,
        observed=translated,
        live_id=live.id,
        fields=tuple(fields),
        reason=f"{', '.join(forced)} cannot change in place" if forced else "",
    )


def _field_changes(desired: Any, live: Any) -> list[FieldChange]:
    return [
        FieldChange(field=f.name, observed=getattr(live, f.name), desired=getattr(desired, f.name))
        for f in dataclasses.fields(desired)
        if f.name != "id" and getattr(live, f.name) != getattr(desired, f.name)
    ]
