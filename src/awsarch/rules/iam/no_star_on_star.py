"""IAM001: no role, user or group may do every action on every resource."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from awsarch.model import Architecture, Path, Policy
from awsarch.rules.base import Rule, at

ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
EVERY_ACTION = frozenset({"*", "*:*"})


def _grants_everything(policy: Policy) -> bool:
    if policy.arn == ADMINISTRATOR_ACCESS:
        return True
    return any(
        s.effect == "Allow" and EVERY_ACTION & set(s.actions) and "*" in s.resources
        for s in policy.statements
    )


def _principals(arch: Architecture) -> Iterator[tuple[str, str, str, Iterable[Policy]]]:
    """(id, kind, name, policies) of every identity that holds policies."""
    for role in arch.roles:
        yield role.id, "role", role.name, role.policies
    for group in arch.groups:
        yield group.id, "group", group.name, group.policies
    for user in arch.users:
        yield user.id, "user", user.name, user.inline_policies


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for resource_id, kind, name, policies in _principals(arch):
        for policy in policies:
            if not _grants_everything(policy):
                continue
            where = at(arch, resource_id) if policy.arn else at(arch, resource_id, "allow")
            yield (
                resource_id,
                f"{kind} {name} may do every action on every resource (policy {policy.name})"
                " — grant only the actions and resources it needs",
                where,
            )


RULE = Rule(
    id="IAM001",
    title="No identity grants * on *",
    rationale=(
        "Full administrator rights on a workload role turn any bug in the application into"
        " a takeover of the whole account; least privilege limits the blast radius."
    ),
    severity="error",
    check=check,
    fix="Grant the actions and resources the identity needs, never Action * on Resource *.",
    docs=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
    ),
)
