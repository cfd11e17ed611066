"""IAM roles, instance profiles, policies, users and groups of a template.

A role an instance assumes gets the id `role/<server group>`, so permission intents
(`Web cannot iam:*`) name it as they do on a blueprint.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from awsarch.adapters.aws.ingest_iam import statements
from awsarch.cfn.intrinsics import Unknown
from awsarch.cfn.names import iam_name
from awsarch.cfn.reading import Reading, strings
from awsarch.deploy.policy_json import to_model
from awsarch.model import Group, InstanceProfile, Policy, Role, Statement, User


def instance_profiles(r: Reading) -> tuple[list[InstanceProfile], dict[str, str]]:
    """The profiles, and what a template may write for one (name, logical id) → its name."""
    found, names = [], {}
    for lid, p in r.of_type("AWS::IAM::InstanceProfile"):
        r.origin(r.id(lid), lid)
        name = iam_name(lid, "AWS::IAM::InstanceProfile", p)
        roles = strings(p.get("Roles"))
        found.append(InstanceProfile(id=r.id(lid), name=name, role_name=roles[0] if roles else ""))
        names.update({lid: name, name: name})
    return found, names


def roles(r: Reading, role_groups: Mapping[str, str]) -> list[Role]:
    """`role_groups`: role name → the server group whose instances assume it."""
    attached = _attached(r, "Roles")
    found = []
    for lid, p in r.of_type("AWS::IAM::Role"):
        name = iam_name(lid, "AWS::IAM::Role", p)
        model_id = r.id(lid)
        if model_id == lid and name in role_groups:
            model_id = f"role/{role_groups[name]}"
        r.origin(model_id, lid)
        r.alias(lid, "allow", "Policies")
        trust = _clean(p.get("AssumeRolePolicyDocument") or {})
        found.append(
            Role(
                id=model_id,
                name=name,
                trusted_service=_service(trust),
                policies=(*_inline(p), *_managed(p), *attached.get(name, ())),
            )
        )
    return found


def users(r: Reading) -> list[User]:
    attached = _attached(r, "Users")
    group_ids = {
        iam_name(lid, "AWS::IAM::Group", p): r.id(lid) for lid, p in r.of_type("AWS::IAM::Group")
    }
    found = []
    for lid, p in r.of_type("AWS::IAM::User"):
        r.origin(r.id(lid), lid)
        name = iam_name(lid, "AWS::IAM::User", p)
        groups = tuple(group_ids.get(g, g) for g in strings(p.get("Groups")))
        policies = (*_inline(p), *_managed(p), *attached.get(name, ()))
        found.append(User(id=r.id(lid), name=name, groups=groups, inline_policies=policies))
    return found


def groups(r: Reading) -> list[Group]:
    attached = _attached(r, "Groups")
    found = []
    for lid, p in r.of_type("AWS::IAM::Group"):
        r.origin(r.id(lid), lid)
        name = iam_name(lid, "AWS::IAM::Group", p)
        policies = (*_inline(p), *_managed(p), *attached.get(name, ()))
        found.append(Group(id=r.id(lid), name=name, policies=policies))
    return found


_INLINE_RESOURCES = {
    "Roles": "AWS::IAM::RolePolicy",
    "Users": "AWS::IAM::UserPolicy",
    "Groups": "AWS::IAM::GroupPolicy",
}
"""An inline policy written as a resource of its own, naming its one holder (`RoleName` …)."""


def _attached(r: Reading, key: str) -> dict[str, list[Policy]]:
    """AWS::IAM::Policy, ManagedPolicy and Role/User/GroupPolicy resources, by the role, user
    or group they name."""
    found: dict[str, list[Policy]] = {}
    for kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", _INLINE_RESOURCES[key]):
        single = key.removesuffix("s") + "Name"
        for lid, p in r.of_type(kind):
            holders = strings(p.get(key)) or strings(p.get(single))
            document = _statements(_clean(p.get("PolicyDocument")))
            for holder in holders:
                name = _short_name(iam_name(lid, kind, p), holder, p, kind)
                found.setdefault(holder, []).append(Policy(name=name, statements=document))
    return found


def _short_name(name: str, holder: str, p: dict[str, Any], kind: str) -> str:
    """A managed policy awsarch made for a group is `<group>-<policy>` under `/awsarch/…`:
    the policy's own name is the part after the group's (as discovery reads it, aws/account.py)."""
    path = p.get("Path")
    ours = isinstance(path, str) and path.startswith("/awsarch/")
    if kind == "AWS::IAM::ManagedPolicy" and ours and name.startswith(f"{holder}-"):
        return name.removeprefix(f"{holder}-")
    return name


def _inline(p: dict[str, Any]) -> list[Policy]:
    return [
        Policy(
            name=str(item.get("PolicyName", "")),
            statements=_statements(_clean(item.get("PolicyDocument"))),
        )
        for item in p.get("Policies") or ()
        if isinstance(item, dict)
    ]


def _managed(p: dict[str, Any]) -> list[Policy]:
    return [
        Policy(name=arn.rsplit("/", 1)[-1], arn=arn) for arn in strings(p.get("ManagedPolicyArns"))
    ]


def _statements(document: Any) -> tuple[Statement, ...]:
    """The statements as written, NotAction and conditions kept (the model holds both); one
    with NotResource, which the model cannot hold, read conservatively as an audit reads it."""
    entries = document.get("Statement") if isinstance(document, dict) else None
    entries = entries if isinstance(entries, list) else [entries] if entries else []
    found: list[Statement] = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        one = {"Statement": [entry]}
        found += statements(one) if "NotResource" in entry else to_model("", one).statements
    return tuple(found)


def _service(document: dict[str, Any]) -> str:
    for entry in document.get("Statement") or ():
        principal = entry.get("Principal") if isinstance(entry, dict) else None
        services = strings((principal or {}).get("Service")) if isinstance(principal, dict) else ()
        if entry.get("Effect") == "Allow" and services:
            return services[0]
    return ""


def _clean(value: Any) -> Any:
    """A policy document with each unresolvable value written as what it is, never a guess
    (it then matches no resource an intent names)."""
    if isinstance(value, Unknown):
        return f"<unknown: {value.why}>"
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return {} if value is None else value
