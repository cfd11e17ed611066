"""An Auto Scaling group launches its instances as the launch template says, across its zones.

- Instances are launched with every parameter of the template version, the instance profile
  and metadata options included
  (https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-templates.html).
- The group balances its instances evenly across the zones of its subnets
  (https://docs.aws.amazon.com/autoscaling/ec2/userguide/auto-scaling-benefits.html#arch-AutoScalingMultiAZ).
- An instance the group terminates is deregistered from the group's target groups
  (https://docs.aws.amazon.com/autoscaling/ec2/userguide/attach-load-balancer-asg.html).
moto (5.2.5) puts every instance in the group's first subnet, drops the template's instance
profile and metadata options, and leaves a terminated instance registered.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from awsarch.adapters.emulator.layer import Behaviour, enabled


class ScalingLaunches(Behaviour):
    name = "scaling_launches"
    services = frozenset({"autoscaling"})

    def install(self) -> None:
        self._install_launches()
        self._install_deregistration()

    def _install_deregistration(self) -> None:
        from moto.autoscaling.models import AutoScalingBackend

        original = AutoScalingBackend.update_attached_target_groups
        if getattr(original, "_awsarch", False):
            return

        def update(backend: Any, group_name: str) -> None:
            original(backend, group_name)
            if enabled(self.name):
                _deregister_gone(backend, backend.autoscaling_groups[group_name])

        update._awsarch = True  # type: ignore[attr-defined]
        AutoScalingBackend.update_attached_target_groups = update  # type: ignore[assignment,method-assign]

    def _install_launches(self) -> None:
        from moto.autoscaling.models import FakeAutoScalingGroup

        original = FakeAutoScalingGroup.replace_autoscaling_group_instances
        if getattr(original, "_awsarch", False):
            return

        def launch(group: Any, count_needed: int, propagated_tags: dict[str, str]) -> None:
            if not enabled(self.name) or not group.vpc_zone_identifier:
                original(group, count_needed, propagated_tags)
                return
            subnets = group.vpc_zone_identifier
            try:
                for _ in range(count_needed):
                    group.vpc_zone_identifier = _least_used(group, subnets.split(","))
                    original(group, 1, dict(propagated_tags))
                    _as_the_template_says(group, group.instance_states[-1].instance)
            finally:
                group.vpc_zone_identifier = subnets

        launch._awsarch = True  # type: ignore[attr-defined]
        FakeAutoScalingGroup.replace_autoscaling_group_instances = launch  # type: ignore[assignment,method-assign]


def _deregister_gone(backend: Any, group: Any) -> None:
    """Targets the group launched that are no longer its instances leave its target groups."""
    members = {state.instance.id for state in group.instance_states}
    for arn in group.target_group_arns:
        target_group = backend.elbv2_backend.target_groups.get(arn)
        if target_group is None:
            continue
        for target in list(target_group.targets):
            if target not in members and _launched_by(backend, target, group.name):
                target_group.targets.pop(target, None)


def _launched_by(backend: Any, instance_id: str, group: str) -> bool:
    if not instance_id.startswith("i-"):
        return False  # an IP or Lambda target: not the group's
    tags = backend.ec2_backend.tags.get(instance_id, {})
    return bool(tags.get("aws:autoscaling:groupName") == group)


def _least_used(group: Any, subnets: list[str]) -> str:
    """The group's subnet with the fewest of its instances (the first on a tie)."""
    used = Counter(state.instance.subnet_id for state in group.instance_states)
    return min(subnets, key=lambda s: (used[s], subnets.index(s)))


def _as_the_template_says(group: Any, instance: Any) -> None:
    from moto.ec2.models.instances import MetadataOptions

    template = group.ec2_launch_template
    if template is None:
        return
    backend = group.autoscaling_backend.ec2_backend
    data = backend._get_template_from_args({"LaunchTemplateId": template.id}).data
    profile = (data.get("IamInstanceProfile") or {}).get("Name")
    if profile:
        backend.associate_iam_instance_profile(
            instance_id=instance.id, iam_instance_profile_name=profile
        )
    if data.get("MetadataOptions"):
        instance.metadata_options = MetadataOptions(data["MetadataOptions"])
