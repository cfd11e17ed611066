"""The instance role (trust, managed and inline policies) and its instance profile."""

from __future__ import annotations

import json
from typing import Any

from awsarch.adapters.aws.errors import AwsError, error_code
from awsarch.adapters.aws.ingest_iam import stack_path
from awsarch.adapters.aws.resources.base import Handler
from awsarch.adapters.aws.resources.context import ApplyContext
from awsarch.deploy.diff import Change
from awsarch.deploy.plan import SECRET_PREFIX, Action
from awsarch.errors import ToolError
from awsarch.model import InstanceProfile, Policy, Role

POLICY_VERSION = "2012-10-17"


class RoleHandler(Handler):
    def create(self, ctx: ApplyContext, desired: Role, action: Action) -> None:
        create_once(
            ctx,
            "role",
            RoleName=desired.name,
            Tags=ctx.tags(desired.id),
            AssumeRolePolicyDocument=json.dumps(_trust(desired.trusted_service)),
            Description=f"awsarch {ctx.stack}: {desired.id}",
        )
        ctx.remember(desired.id, desired.name)
        _sync_managed(ctx, desired)
        _sync_inline(ctx, desired, defer_secrets=action.defer_secrets)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        name = change.observed.name
        for policy in ctx.call("iam", "list_attached_role_policies", RoleName=name)[
            "AttachedPolicies"
        ]:
            ctx.call("iam", "detach_role_policy", RoleName=name, PolicyArn=policy["PolicyArn"])
        for policy in ctx.call("iam", "list_role_policies", RoleName=name)["PolicyNames"]:
            ctx.call("iam", "delete_role_policy", RoleName=name, PolicyName=policy)
        for profile in ctx.call("iam", "list_instance_profiles_for_role", RoleName=name)[
            "InstanceProfiles"
        ]:
            ctx.call(
                "iam",
                "remove_role_from_instance_profile",
                RoleName=name,
                InstanceProfileName=profile["InstanceProfileName"],
            )
        ctx.call("iam", "delete_role", RoleName=name)


def _exists(ctx: ApplyContext, operation: str, **params: Any) -> bool:
    try:
        ctx.session.call("iam", operation, **params)
    except AwsError as exc:
        if error_code(exc) == "NoSuchEntity":
            return False
        raise
    return True


CREATES = {
    "role": ("create_role", "get_role", "Role"),
    "instance profile": ("create_instance_profile", "get_instance_profile", "InstanceProfile"),
    "group": ("create_group", "get_group", "Group"),
    "user": ("create_user", "get_user", "User"),
}


def create_once(ctx: ApplyContext, kind: str, *, path: str = "", **params: Any) -> dict[str, Any]:
    """Create under the stack's path (or `path`); an entity of that name already there is the
    stack's own. The entity, as IAM describes it.

    Asking first (GetRole) would not do: for a name that does not exist IAM authorizes the call on
    `role/NAME`, outside the path the deployer policy is scoped to, and refuses it.
    """
    create, get, key = CREATES[kind]
    path = path or stack_path(ctx.stack)
    try:
        return dict(ctx.call("iam", create, Path=path, **params)[key])
    except AwsError as exc:
        if error_code(exc) != "EntityAlreadyExists":
            raise
        name_param = next(k for k in params if k.endswith("Name"))
        entity = dict(ctx.call("iam", get, **{name_param: params[name_param]})[key])
        if entity.get("Path") != path:
            raise ToolError(
                f"an IAM {kind} named {params[name_param]} already exists at path"
                f" {entity.get('Path')}, not under {path}: rename or delete it"
            ) from exc
        return entity


def _trust(service: str) -> dict[str, Any]:
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
        ],
    }


def _sync_managed(ctx: ApplyContext, role: Role) -> None:
    wanted = {p.arn for p in role.policies if p.arn}
    attached = ctx.call("iam", "list_attached_role_policies", RoleName=role.name)[
        "AttachedPolicies"
    ]
    live = {p["PolicyArn"] for p in attached}
    for arn in sorted(wanted - live):
        ctx.call("iam", "attach_role_policy", RoleName=role.name, PolicyArn=arn)
    for arn in sorted(live - wanted):
        ctx.call("iam", "detach_role_policy", RoleName=role.name, PolicyArn=arn)


def _sync_inline(ctx: ApplyContext, role: Role, *, defer_secrets: bool) -> None:
    documents = {p.name: _document(ctx, p) for p in role.policies if not p.arn}
    if defer_secrets:
        documents = {
            name: doc for name, doc in documents.items() if SECRET_PREFIX not in json.dumps(doc)
        }
    live = set(ctx.call("iam", "list_role_policies", RoleName=role.name)["PolicyNames"])
    for name, document in documents.items():
        ctx.call(
            "iam",
            "put_role_policy",
            RoleName=role.name,
            PolicyName=name,
            PolicyDocument=json.dumps(document),
        )
    if not defer_secrets:
        for name in sorted(live - documents.keys()):
            ctx.call("iam", "delete_role_policy", RoleName=role.name, PolicyName=name)


def _document(ctx: ApplyContext, policy: Policy) -> dict[str, Any]:
    """The policy as IAM JSON, each `secret-of:db/x` replaced by the secret's ARN once known."""
    statements = []
    for s in policy.statements:
        statement: dict[str, Any] = {
            "Effect": s.effect,
            "Action": list(s.actions),
            "Resource": [ctx.resolve(r) if r.startswith(SECRET_PREFIX) else r for r in s.resources],
        }
        if s.sid:
            statement["Sid"] = s.sid
        statements.append(statement)
    return {"Version": POLICY_VERSION, "Statement": statements}


class InstanceProfileHandler(Handler):
    def create(self, ctx: ApplyContext, desired: InstanceProfile, action: Action) -> None:
        create_once(
            ctx, "instance profile", InstanceProfileName=desired.name, Tags=ctx.tags(desired.id)
        )
        profile = ctx.call("iam", "get_instance_profile", InstanceProfileName=desired.name)[
            "InstanceProfile"
        ]
        roles = {r["RoleName"] for r in profile.get("Roles", [])}
        if desired.role_name not in roles:
            for stale in roles:
                ctx.call(
                    "iam",
                    "remove_role_from_instance_profile",
                    InstanceProfileName=desired.name,
                    RoleName=stale,
                )
            ctx.call(
                "iam",
                "add_role_to_instance_profile",
                InstanceProfileName=desired.name,
                RoleName=desired.role_name,
            )
        ctx.remember(desired.id, desired.name)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        name = change.observed.name
        if not _exists(ctx, "get_instance_profile", InstanceProfileName=name):
            return
        profile = ctx.call("iam", "get_instance_profile", InstanceProfileName=name)[
            "InstanceProfile"
        ]
        for role in profile.get("Roles", []):
            ctx.call(
                "iam",
                "remove_role_from_instance_profile",
                InstanceProfileName=name,
                RoleName=role["RoleName"],
            )
        ctx.call("iam", "delete_instance_profile", InstanceProfileName=name)
