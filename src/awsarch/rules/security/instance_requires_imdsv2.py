"""SEC002: every instance requires IMDSv2 (session tokens for the metadata service)."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for instance in arch.instances:
        if not instance.imdsv2_required:
            yield (
                instance.id,
                f"instance {instance.name} answers IMDSv1 requests — set imdsv2: true"
                " (HttpTokens: required)",
                at(arch, instance.id, "imdsv2"),
            )


RULE = Rule(
    id="SEC002",
    title="Every instance requires IMDSv2",
    rationale=(
        "IMDSv1 answers any plain GET, so a server-side request forgery in the web"
        " application can read the role's credentials; IMDSv2 needs a session token first."
    ),
    severity="error",
    check=check,
    fix=(
        "Set imdsv2: true (HttpTokens: required), so every metadata request needs a session token."
    ),
    docs="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
)
