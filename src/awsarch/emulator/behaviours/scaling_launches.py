"""An Auto Scaling group launches its instances as the launch template says, across its zones.

- Instances are launched with every parameter of the template version, the instance profile
  and metadata options included
  (https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-templates.html).
- The group balances its instances evenly across the zones of its subnets
  (https://docs.aws.amazon.com/autoscaling/ec2/userguide/auto-scaling-benefits.html#arch-AutoScalingMultiAZ).
moto (5.2.5) puts every instance in the group's first subnet and drops the template's instance
profile and metadata options.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from awsarch.emulator.layer import Behaviour, enabled


class ScalingLaunches(Behaviour):
    name = "scaling_launches"
    services = frozenset({"autoscaling"})

    def install(self) -> None:
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
