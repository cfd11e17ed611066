"""SEC006: every instance's root volume is encrypted."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for instance in arch.instances:
        if not instance.root_volume_encrypted:
            yield (
                instance.id,
                f"instance {instance.name} has an unencrypted root volume — set"
                " encrypted_root: true",
                at(arch, instance.id, "encrypted_root"),
            )


RULE = Rule(
    id="SEC006",
    title="Root volumes are encrypted",
    rationale=(
        "An encrypted EBS volume keeps its data, snapshots and copies unreadable outside"
        " the account's KMS permissions, at no cost in speed."
    ),
    severity="warning",
    check=check,
    fix="Set encrypted_root: true, so the root EBS volume (and its snapshots) are encrypted.",
    docs="https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
)
