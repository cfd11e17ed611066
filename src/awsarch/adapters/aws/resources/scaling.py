"""Launch templates and Auto Scaling groups.

A launch template change becomes a new template version, made the default one (the group
launches `$Default`), then an instance refresh replaces the group's instances with ones on it,
a few at a time (https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html).
"""

from __future__ import annotations

import base64
from typing import Any

from awsarch.adapters.aws.errors import AwsError, error_code
from awsarch.adapters.aws.resources.base import Handler, first
from awsarch.adapters.aws.resources.compute import image_id, root_volume
from awsarch.adapters.aws.resources.context import STACK_TAG, ApplyContext
from awsarch.deploy.diff import Change
from awsarch.deploy.launch_template import LaunchTemplate
from awsarch.deploy.plan import Action
from awsarch.model import AutoScalingGroup

GROUP_TAG = "awsarch:group"
IN_SERVICE = {
    "operation": "DescribeAutoScalingGroups",
    "acceptors": [
        {
            "matcher": "path",
            "argument": "length(AutoScalingGroups[0].Instances[?LifecycleState=='InService'])"
            " >= AutoScalingGroups[0].DesiredCapacity",
            "expected": True,
            "state": "success",
        }
    ],
}
"""The group has its desired number of instances in service."""
GROUP_GONE = {
    "operation": "DescribeAutoScalingGroups",
    "acceptors": [
        {
            "matcher": "path",
            "argument": "length(AutoScalingGroups) == `0`",
            "expected": True,
            "state": "success",
        }
    ],
}
"""A force-deleted group is listed (`Delete in progress`) until its instances are terminated."""
REFRESH_PREFERENCES = {"MinHealthyPercentage": 50, "InstanceWarmup": 60}


class LaunchTemplateHandler(Handler):
    def create(self, ctx: ApplyContext, desired: LaunchTemplate, action: Action) -> None:
        if _converge(ctx, desired):
            _refresh(ctx, desired.scaling_group)

    def update(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        """The group's instances differ from the template: converge it, and roll them."""
        _converge(ctx, change.desired)
        _refresh(ctx, change.desired.scaling_group)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        """By its id: IAM authorizes the call on the template's ARN (and its tags) only then."""
        found = _find_template(ctx, change.live_id)
        if found is not None:
            ctx.call("ec2", "delete_launch_template", LaunchTemplateId=found["LaunchTemplateId"])


def _converge(ctx: ApplyContext, desired: LaunchTemplate) -> bool:
    """Create the template, or give it a new default version when it launches something else;
    True when a new version was made."""
    data = _template_data(ctx, desired)
    found = _find_template(ctx, desired.name)
    if found is None:
        created = ctx.call(
            "ec2",
            "create_launch_template",
            LaunchTemplateName=desired.name,
            LaunchTemplateData=data,
            TagSpecifications=ctx.tag_spec("launch-template", desired.id),
        )["LaunchTemplate"]
        ctx.remember(desired.id, str(created["LaunchTemplateId"]))
        return False
    ctx.remember(desired.id, str(found["LaunchTemplateId"]))
    default = ctx.call(
        "ec2",
        "describe_launch_template_versions",
        LaunchTemplateId=found["LaunchTemplateId"],
        Versions=["$Default"],
    )["LaunchTemplateVersions"][0]
    if _launches(default.get("LaunchTemplateData", {})) == _launches(data):
        return False
    version = ctx.call(
        "ec2",
        "create_launch_template_version",
        LaunchTemplateId=found["LaunchTemplateId"],
        LaunchTemplateData=data,
    )["LaunchTemplateVersion"]["VersionNumber"]
    ctx.call(
        "ec2",
        "modify_launch_template",
        LaunchTemplateId=found["LaunchTemplateId"],
        DefaultVersion=str(version),
    )
    return True


def _find_template(ctx: ApplyContext, name: str) -> dict[str, Any] | None:
    try:
        found = ctx.session.call("ec2", "describe_launch_templates", LaunchTemplateNames=[name])
    except AwsError as exc:
        if error_code(exc) == "InvalidLaunchTemplateName.NotFoundException":
            return None
        raise
    template: dict[str, Any] | None = first(found.get("LaunchTemplates", []))
    return template


def _launches(data: dict[str, Any]) -> tuple[Any, ...]:
    """What a template version launches, as compared (user data and tags aside)."""
    volumes = data.get("BlockDeviceMappings") or [{}]
    return (
        data.get("ImageId"),
        data.get("InstanceType"),
        sorted(data.get("SecurityGroupIds") or []),
        (data.get("IamInstanceProfile") or {}).get("Name", ""),
        (data.get("MetadataOptions") or {}).get("HttpTokens"),
        bool((volumes[0].get("Ebs") or {}).get("Encrypted")),
        data.get("UserData", ""),
    )


def _template_data(ctx: ApplyContext, desired: LaunchTemplate) -> dict[str, Any]:
    """The image resolved now (as for an instance), IMDSv2, the encrypted root volume, and tags
    for every instance and volume the group launches (the stack's tag on each)."""
    image = image_id(ctx, desired.image)
    stack_tag = [{"Key": STACK_TAG, "Value": ctx.stack}]
    instance_tags = [
        {"Key": STACK_TAG, "Value": ctx.stack},
        {"Key": GROUP_TAG, "Value": desired.group},
        {"Key": "Name", "Value": f"{ctx.stack}-{desired.group}"},
    ]
    data: dict[str, Any] = {
        "ImageId": image,
        "InstanceType": desired.instance_type,
        "SecurityGroupIds": sorted(ctx.resolve(g) for g in desired.security_group_ids),
        "MetadataOptions": {
            "HttpTokens": "required" if desired.imdsv2_required else "optional",
            "HttpEndpoint": "enabled",
        },
        "BlockDeviceMappings": [root_volume(ctx, image, desired.root_volume_encrypted)],
        "TagSpecifications": [
            {"ResourceType": "instance", "Tags": instance_tags},
            {"ResourceType": "volume", "Tags": stack_tag},
            {"ResourceType": "network-interface", "Tags": stack_tag},
        ],
    }
    if desired.instance_profile:
        data["IamInstanceProfile"] = {"Name": desired.instance_profile}
    if desired.user_data:
        data["UserData"] = base64.b64encode(desired.user_data.encode()).decode()
    return data


def _refresh(ctx: ApplyContext, group: str) -> None:
    """Roll the group's instances onto the template's default version; one refresh at a time
    (a refresh already under way carries on: AWS answers InstanceRefreshInProgress)."""
    if _describe_group(ctx, group) is None:
        return
    ctx.announce(f"rolling the instances of {group} onto the new launch template version")
    try:
        ctx.session.call(
            "autoscaling",
            "start_instance_refresh",
            AutoScalingGroupName=group,
            Preferences=REFRESH_PREFERENCES,
        )
    except AwsError as exc:
        if error_code(exc) != "InstanceRefreshInProgress":
            raise


def _describe_group(ctx: ApplyContext, name: str) -> dict[str, Any] | None:
    groups = ctx.call("autoscaling", "describe_auto_scaling_groups", AutoScalingGroupNames=[name])
    found: dict[str, Any] | None = first(groups["AutoScalingGroups"])
    return found


class AutoScalingGroupHandler(Handler):
    def create(self, ctx: ApplyContext, desired: AutoScalingGroup, action: Action) -> None:
        found = _describe_group(ctx, desired.name)
        targets = sorted(ctx.resolve(t) for t in desired.target_group_ids)
        if found is None:
            ctx.call(
                "autoscaling", "create_auto_scaling_group", **_group_params(ctx, desired, targets)
            )
        else:
            _converge_group(ctx, desired, found, targets)
        ctx.remember(desired.id, desired.name)
        ctx.wait_for(
            "autoscaling", "GroupInService", IN_SERVICE, AutoScalingGroupNames=[desired.name]
        )

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        """ForceDelete: the group terminates its instances and goes once they are gone
        (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteAutoScalingGroup.html)."""
        name = change.observed.name
        if _describe_group(ctx, name) is not None:
            ctx.call(
                "autoscaling",
                "delete_auto_scaling_group",
                AutoScalingGroupName=name,
                ForceDelete=True,
            )
        ctx.wait_for("autoscaling", "GroupGone", GROUP_GONE, AutoScalingGroupNames=[name])


def _group_params(
    ctx: ApplyContext, desired: AutoScalingGroup, targets: list[str]
) -> dict[str, Any]:
    template = desired.launch_template or desired.name
    return {
        "AutoScalingGroupName": desired.name,
        "LaunchTemplate": {"LaunchTemplateName": template, "Version": "$Default"},
        "MinSize": desired.min_size,
        "MaxSize": desired.max_size,
        "DesiredCapacity": desired.desired,
        "VPCZoneIdentifier": ",".join(ctx.resolve(s) for s in desired.subnet_ids),
        "TargetGroupARNs": targets,
        "HealthCheckType": "ELB" if targets else "EC2",
        "HealthCheckGracePeriod": 300,
        "Tags": _group_tags(ctx, desired),
    }


def _group_tags(ctx: ApplyContext, desired: AutoScalingGroup) -> list[dict[str, Any]]:
    """The group's tags; those its instances need (the stack, the server group, the Name) are
    propagated at launch, its logical name is not (an instance is not the group)."""
    propagated = {STACK_TAG, GROUP_TAG, "Name"}
    tags = ctx.tags(desired.id, **{GROUP_TAG: desired.server_group})
    return [
        {
            **tag,
            "ResourceId": desired.name,
            "ResourceType": "auto-scaling-group",
            "PropagateAtLaunch": tag["Key"] in propagated,
        }
        for tag in tags
    ]


def _converge_group(
    ctx: ApplyContext, desired: AutoScalingGroup, found: dict[str, Any], targets: list[str]
) -> None:
    ctx.call(
        "autoscaling",
        "update_auto_scaling_group",
        AutoScalingGroupName=desired.name,
        LaunchTemplate={
            "LaunchTemplateName": desired.launch_template or desired.name,
            "Version": "$Default",
        },
        MinSize=desired.min_size,
        MaxSize=desired.max_size,
        DesiredCapacity=desired.desired,
        VPCZoneIdentifier=",".join(ctx.resolve(s) for s in desired.subnet_ids),
    )
    live = set(found.get("TargetGroupARNs", []))
    if set(targets) - live:
        ctx.call(
            "autoscaling",
            "attach_load_balancer_target_groups",
            AutoScalingGroupName=desired.name,
            TargetGroupARNs=sorted(set(targets) - live),
        )
    if live - set(targets):
        ctx.call(
            "autoscaling",
            "detach_load_balancer_target_groups",
            AutoScalingGroupName=desired.name,
            TargetGroupARNs=sorted(live - set(targets)),
        )
