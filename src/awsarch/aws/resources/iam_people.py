"""Operators: IAM groups with inline permission policies, and users who are members only.

awsarch never creates a password, an access key or an inline user policy: an administrator gives
a person console access by setting a password (`aws iam create-login-profile`), and the group's
`require-mfa` policy keeps them to MFA set-up until they sign in with MFA. Everything lives under
the IAM path `/awsarch/<stack>/` (IAM groups take no tags; discovery finds them by that path).
`down` first removes what an administrator or the user added (MFA devices, password, access
keys), since IAM refuses to delete a user that still has them.
"""

from __future__ import annotations

import json
from typing import Any

from awsarch.aws.errors import AwsError
from awsarch.aws.ingest_iam import stack_path
from awsarch.aws.resources.base import Handler
from awsarch.aws.resources.context import ApplyContext, error_code
from awsarch.deploy.diff import Change
from awsarch.deploy.plan import Action
from awsarch.deploy.policy_json import to_json
from awsarch.model import Group, User


def group_name(stack: str, logical: str) -> str:
    """`group/deployers` → `<stack>-deployers`, the name expansion gives it."""
    return f"{stack}-{logical.split('/', 1)[1]}"


def _get(ctx: ApplyContext, operation: str, **params: Any) -> dict[str, Any] | None:
    """The resource, or None when IAM says it does not exist (the idempotent look-up)."""
    try:
        return ctx.session.call("iam", operation, **params)
    except AwsError as exc:
        if error_code(exc) == "NoSuchEntity":
            return None
        raise


class GroupHandler(Handler):
    def create(self, ctx: ApplyContext, desired: Group, action: Action) -> None:
        found = _get(ctx, "get_group", GroupName=desired.name)
        if found is None:
            found = ctx.call(
                "iam", "create_group", Path=stack_path(ctx.stack), GroupName=desired.name
            )
        ctx.remember(desired.id, str(found["Group"]["GroupId"]))
        wanted = {p.name: json.dumps(to_json(p)) for p in desired.policies}
        live = set(ctx.call("iam", "list_group_policies", GroupName=desired.name)["PolicyNames"])
        for name, document in sorted(wanted.items()):
            ctx.call(
                "iam",
                "put_group_policy",
                GroupName=desired.name,
                PolicyName=name,
                PolicyDocument=document,
            )
        for name in sorted(live - wanted.keys()):
            ctx.call("iam", "delete_group_policy", GroupName=desired.name, PolicyName=name)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        name = change.observed.name
        found = _get(ctx, "get_group", GroupName=name)
        if found is None:
            return
        for user in found.get("Users", []):
            ctx.call("iam", "remove_user_from_group", GroupName=name, UserName=user["UserName"])
        for policy in ctx.call("iam", "list_group_policies", GroupName=name)["PolicyNames"]:
            ctx.call("iam", "delete_group_policy", GroupName=name, PolicyName=policy)
        ctx.call("iam", "delete_group", GroupName=name)


class UserHandler(Handler):
    def create(self, ctx: ApplyContext, desired: User, action: Action) -> None:
        found = _get(ctx, "get_user", UserName=desired.name)
        if found is None:
            found = ctx.call(
                "iam",
                "create_user",
                Path=stack_path(ctx.stack),
                UserName=desired.name,
                Tags=ctx.tags(desired.id),
            )
        ctx.remember(desired.id, str(found["User"]["UserId"]))
        wanted = {group_name(ctx.stack, g) for g in desired.groups}
        live = _own_groups(ctx, desired.name)
        for name in sorted(wanted - live):
            ctx.call("iam", "add_user_to_group", GroupName=name, UserName=desired.name)
        for name in sorted(live - wanted):
            ctx.call("iam", "remove_user_from_group", GroupName=name, UserName=desired.name)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        name = change.observed.name
        if _get(ctx, "get_user", UserName=name) is None:
            return
        _remove_credentials(ctx, name)
        for group in sorted(_own_groups(ctx, name, every=True)):
            ctx.call("iam", "remove_user_from_group", GroupName=group, UserName=name)
        ctx.call("iam", "delete_user", UserName=name)


def _own_groups(ctx: ApplyContext, user: str, *, every: bool = False) -> set[str]:
    """The user's groups under the stack's path (every group with `every`)."""
    groups = ctx.call("iam", "list_groups_for_user", UserName=user)["Groups"]
    return {str(g["GroupName"]) for g in groups if every or g.get("Path") == stack_path(ctx.stack)}


def _remove_credentials(ctx: ApplyContext, user: str) -> None:
    """What IAM requires gone before DeleteUser: MFA devices, the password, access keys."""
    for device in ctx.call("iam", "list_mfa_devices", UserName=user)["MFADevices"]:
        serial = device["SerialNumber"]
        ctx.call("iam", "deactivate_mfa_device", UserName=user, SerialNumber=serial)
        if ":mfa/" in serial:  # a virtual device (an ARN); a hardware one has a plain serial
            ctx.call("iam", "delete_virtual_mfa_device", SerialNumber=serial)
    if _get(ctx, "get_login_profile", UserName=user) is not None:
        ctx.call("iam", "delete_login_profile", UserName=user)
    for key in ctx.call("iam", "list_access_keys", UserName=user)["AccessKeyMetadata"]:
        ctx.call("iam", "delete_access_key", UserName=user, AccessKeyId=key["AccessKeyId"])
