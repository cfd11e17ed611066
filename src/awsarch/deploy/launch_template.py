"""The launch template of an Auto Scaling group, as the engine deploys and compares it.

The model has no launch template of its own: a scaling server group's instances (desired: the
blueprint's members; observed: the group's live instances) say what the template launches. The
engine deploys that as one resource, `lt/<server group>`, and never the members one by one: the
group creates and replaces them
(https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-templates.html).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from awsarch.model import Architecture, AutoScalingGroup, Instance
from awsarch.record import record


@record
class LaunchTemplate:
    id: str
    """`lt/<server group>` (desired), or the live template's name (observed)."""
    name: str
    group: str
    """The server group its instances belong to."""
    scaling_group: str
    """The name of the Auto Scaling group that launches from it."""
    image: str
    instance_type: str
    security_group_ids: tuple[str, ...]
    instance_profile: str = ""
    imdsv2_required: bool = True
    root_volume_encrypted: bool = True
    user_data: str = ""


def template_id(scaling_group_id: str) -> str:
    """`asg/app` → `lt/app`."""
    return "lt/" + scaling_group_id.split("/", 1)[-1]


def members(arch: Architecture, scaling_group_id: str) -> list[Instance]:
    return sorted(
        (i for i in arch.instances if i.scaling_group == scaling_group_id), key=lambda i: i.id
    )


def from_member(asg: AutoScalingGroup, member: Instance, *, template: str) -> LaunchTemplate:
    return LaunchTemplate(
        id=template,
        name=asg.launch_template or asg.name,
        group=member.group or asg.server_group,
        scaling_group=asg.name,
        image=member.image,
        instance_type=member.instance_type,
        security_group_ids=tuple(sorted(member.security_group_ids)),
        instance_profile=member.instance_profile,
        imdsv2_required=member.imdsv2_required,
        root_volume_encrypted=member.root_volume_encrypted,
        user_data=member.user_data,
    )


def desired_templates(arch: Architecture) -> Iterator[LaunchTemplate]:
    """One per Auto Scaling group of a blueprint's model, from its first member."""
    for asg in arch.auto_scaling_groups:
        found = members(arch, asg.id)
        if found:
            yield from_member(asg, found[0], template=template_id(asg.id))


def observed_templates(arch: Architecture, table: dict[str, str]) -> dict[str, LaunchTemplate]:
    """Logical id → the template the live group's instances were launched from (its first
    instance by id speaks for all: they agree once an instance refresh has finished)."""
    found: dict[str, LaunchTemplate] = {}
    for asg in arch.auto_scaling_groups:
        logical = table.get(asg.id)
        live = members(arch, asg.id)
        if logical is not None and live:
            found[template_id(logical)] = from_member(asg, live[0], template=asg.launch_template)
    return found


def deployable(arch: Architecture) -> Iterator[Any]:
    """The resources the engine deploys one by one: the model's, without instances an Auto
    Scaling group launches, with each group's launch template before the group."""
    templates = {t.id: t for t in desired_templates(arch)}
    for resource in arch.resources():
        if isinstance(resource, Instance) and resource.scaling_group:
            continue
        if isinstance(resource, AutoScalingGroup) and template_id(resource.id) in templates:
            yield templates[template_id(resource.id)]
        yield resource
