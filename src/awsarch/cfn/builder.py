"""The template being synthesized: its sections, the logical ids, and the intrinsics it writes.

Every resource carries the tags the direct engine puts (`aws/resources/context.py`), so that
discovery, `audit` and `drift` find a stack deployed by CloudFormation as they find their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from awsarch.adapters.aws.resources.context import NAME_TAG, STACK_TAG
from awsarch.cfn.logical_ids import LogicalIds, readable
from awsarch.errors import ToolError

Json = dict[str, Any]


class CannotSynthesize(ToolError):
    """The model holds something CloudFormation cannot express as awsarch would deploy it."""


def tags(stack: str, model_id: str, **extra: str) -> list[dict[str, str]]:
    """The direct engine's tags for a resource (`ApplyContext.tags`), in the same order."""
    base = {
        STACK_TAG: stack,
        NAME_TAG: model_id,
        "Name": f"{stack}-{model_id.split('/', 1)[1]}",
    }
    return [{"Key": k, "Value": v} for k, v in {**base, **extra}.items()]


def ref(logical: str) -> Json:
    return {"Ref": logical}


def get_att(logical: str, attribute: str) -> Json:
    return {"Fn::GetAtt": [logical, attribute]}


PROTECTION = "DeletionProtection"
"""The template parameter that turns deletion protection on (see Builder.protection)."""


@dataclass
class Builder:
    """Collects the template's sections in a fixed order, so output is byte-for-byte stable."""

    stack: str
    ids: LogicalIds = field(default_factory=LogicalIds)
    model_ids: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, Json] = field(default_factory=dict)
    conditions: dict[str, Json] = field(default_factory=dict)
    resources: dict[str, Json] = field(default_factory=dict)
    outputs: dict[str, Json] = field(default_factory=dict)
    managed_lists: dict[str, str] = field(default_factory=dict)
    """By parameter: the AWS-managed prefix list whose id in the region it takes."""
    routing: dict[str, list[str]] = field(default_factory=dict)
    """By subnet (model id): the logical ids of its route table association and routes."""
    launch_templates: dict[str, str] = field(default_factory=dict)
    """By Auto Scaling group (model id): the logical id of its members' launch template."""

    def name(self, model_id: str) -> str:
        """The logical id of a model resource (given once, then the same every time)."""
        if model_id not in self.model_ids:
            self.model_ids[model_id] = self.ids.claim(readable(model_id), model_id)
        return self.model_ids[model_id]

    def ref(self, model_id: str) -> Json:
        return ref(self.name(model_id))

    def derived(self, candidate: str) -> str:
        """A logical id for a resource the model has no id of its own for (a route, a rule)."""
        return self.ids.claim(candidate, candidate)

    def add(self, logical: str, kind: str, properties: Json, **attributes: Any) -> str:
        """A resource: `Type`, then attributes (DependsOn, DeletionPolicy …), then properties."""
        self.resources[logical] = {"Type": kind, **attributes, "Properties": properties}
        return logical

    def tags(self, model_id: str, **extra: str) -> list[dict[str, str]]:
        return tags(self.stack, model_id, **extra)

    def protection(self) -> Json:
        """Deletion protection on: a parameter, `true` by default, so that deleting a StackSet
        can lift it first in every account (`awsarch stackset delete` does; DeleteStack does
        not, and a protected database or load balancer fails the deletion)."""
        self.parameters[PROTECTION] = {
            "Type": "String",
            "AllowedValues": ["true", "false"],
            "Default": "true",
            "Description": (
                "true: the database and load balancer refuse deletion; false only to delete the"
                " stack (awsarch down and stackset delete set it themselves)"
            ),
        }
        return ref(PROTECTION)

    def output(self, name: str, description: str, value: Any) -> None:
        self.outputs[name] = {"Description": description, "Value": value}
