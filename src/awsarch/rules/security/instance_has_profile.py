"""SEC001: every instance has an instance profile (a role), never stored access keys."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for instance in arch.instances:
        if not instance.instance_profile:
            yield (
                instance.id,
                f"instance {instance.name} has no instance profile — give its server group a"
                " role (role: {session_manager: true}) instead of access keys",
                at(arch, instance.id, "role"),
            )


RULE = Rule(
    id="SEC001",
    title="Every instance has an instance profile",
    rationale=(
        "An instance role hands the instance short-lived credentials that rotate by"
        " themselves; without it, software ends up with long-lived access keys on disk."
    ),
    severity="error",
    check=check,
    fix=(
        "Give the servers an IAM role (the default role: leave `role:` out) instead of keys "
        "on the instance."
    ),
    docs="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html",
)
