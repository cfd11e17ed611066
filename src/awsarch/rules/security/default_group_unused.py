"""SEC005: the VPC's default security group has no rules."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at
from awsarch.words import plural


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for group in arch.security_groups:
        if group.is_default and (group.ingress or group.egress):
            yield (
                group.id,
                f"the default security group of {group.vpc_id} has"
                f" {plural(len(group.ingress), 'inbound rule')}"
                f" and {plural(len(group.egress), 'outbound rule')}"
                " — remove them all and use named groups",
                at(arch, group.id),
            )


RULE = Rule(
    id="SEC005",
    title="The VPC's default security group has no rules",
    rationale=(
        "Anything launched without a group lands in the default one; with no rules it can"
        " neither be reached nor reach out, so a forgotten setting fails safe."
    ),
    severity="warning",
    check=check,
    fix=(
        "Remove every inbound and outbound rule from the VPC's default security group and use"
        " groups of your own."
    ),
    docs="https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
)
