"""Pure ingest of IAM: the instance profiles that instances use and the roles behind them.

Managed policies keep their ARN (their statements are not fetched); inline policies keep their
statements.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from awsarch.adapters.aws.raw import Raw, as_list
from awsarch.adapters.aws.raw import items as _list
from awsarch.model import Instance, InstanceProfile, Policy, Role, Statement


def stack_path(stack: str) -> str:
    """The IAM path of everything awsarch creates for a stack."""
    return f"/awsarch/{stack}/"


def used_profiles(iam: Raw, instances: Iterable[Instance], stack: str = "") -> list[Any]:
    """Profiles that instances use, and every profile the stack owns (by its IAM path)."""
    used = {i.instance_profile for i in instances if i.instance_profile}
    owned = stack_path(stack) if stack else None
    return sorted(
        (
            p
            for p in _list(iam, "InstanceProfiles")
            if p.get("InstanceProfileName") in used or (owned and p.get("Path") == owned)
        ),
        key=lambda p: str(p["InstanceProfileName"]),
    )


def iam_logical_ids(profiles: Iterable[Raw], stack: str) -> list[tuple[str, str]]:
    """(id, logical id) of the stack's profiles and roles: `<stack>-web` → profile/web, role/web."""
    found: list[tuple[str, str]] = []
    prefix = f"{stack}-"
    for profile in profiles:
        if not stack or profile.get("Path") != stack_path(stack):
            continue
        name = str(profile["InstanceProfileName"])
        found.append((instance_profile(profile).id, "profile/" + name.removeprefix(prefix)))
        for item in _list(profile, "Roles"):
            if item.get("Path") == stack_path(stack):
                role_name = str(item["RoleName"])
                found.append(
                    (str(item.get("RoleId") or role_name), "role/" + role_name.removeprefix(prefix))
                )
    return found


def profile_roles(profiles: Iterable[Raw], stack_roles: Iterable[Raw] = ()) -> list[Any]:
    """The roles behind the profiles, and the stack's own roles (listed by path), once each."""
    roles = {str(r["RoleName"]): r for p in profiles for r in _list(p, "Roles")}
    for item in stack_roles:
        roles.setdefault(str(item["RoleName"]), item)
    return [roles[name] for name in sorted(roles)]


def stack_role_ids(stack_roles: Iterable[Raw], stack: str) -> list[tuple[str, str]]:
    """(id, `role/<name>`) of the roles under the stack's path, with an instance profile or not
    (a run killed before AddRoleToInstanceProfile leaves a lone role)."""
    prefix = f"{stack}-"
    return [
        (
            str(item.get("RoleId") or item["RoleName"]),
            "role/" + str(item["RoleName"]).removeprefix(prefix),
        )
        for item in stack_roles
        if stack and item.get("Path") == stack_path(stack)
    ]


def instance_profile(item: Raw) -> InstanceProfile:
    roles = _list(item, "Roles")
    return InstanceProfile(
        id=str(item.get("InstanceProfileId") or item["InstanceProfileName"]),
        name=str(item["InstanceProfileName"]),
        role_name=str(roles[0]["RoleName"]) if roles else "",
    )


def role(item: Raw, details: Raw) -> Role:
    """A role with its trusted service, attached managed policies and inline policies."""
    name = str(item["RoleName"])
    detail = details.get(name) or {}
    managed = tuple(
        Policy(name=str(p.get("PolicyName", "")), arn=str(p["PolicyArn"]))
        for p in _list(detail, "AttachedPolicies")
    )
    inline = tuple(
        Policy(name=str(policy), statements=statements(document))
        for policy, document in sorted((detail.get("InlinePolicies") or {}).items())
    )
    return Role(
        id=str(item.get("RoleId") or name),
        name=name,
        trusted_service=_trusted_service(item.get("AssumeRolePolicyDocument") or {}),
        policies=managed + inline,
    )


def _trusted_service(document: Raw) -> str:
    for entry in as_list(document.get("Statement")):
        services = as_list((entry.get("Principal") or {}).get("Service"))
        if entry.get("Effect") == "Allow" and services:
            return str(services[0])
    return ""


def statements(document: Raw) -> tuple[Statement, ...]:
    """A policy document's statements, read conservatively for an audit.

    The model has no NotAction/NotResource: an Allow with them is widened to `*` (it may grant
    more than it names); a Deny with them is left out (it may deny less than everything).
    """
    found = []
    for entry in as_list(document.get("Statement")):
        negated = "NotAction" in entry or "NotResource" in entry
        deny = entry.get("Effect") == "Deny"
        if deny and negated:
            continue
        found.append(
            Statement(
                effect="Deny" if deny else "Allow",
                actions=("*",) if "NotAction" in entry else _strings(entry.get("Action")),
                resources=("*",)
                if "NotResource" in entry
                else _strings(entry.get("Resource", "*")),
                sid=str(entry.get("Sid", "")),
            )
        )
    return tuple(found)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in as_list(value))
