"""Operators: IAM groups holding managed policies awsarch owns, and users who are members only.

awsarch never creates a password, an access key or an inline user policy: an administrator gives
a person console access by setting a password (`aws iam create-login-profile`), and the group's
`require-mfa` policy keeps them to MFA set-up until they sign in with MFA. Everything lives under
the IAM path `/awsarch/<stack>/` (IAM groups take no tags; discovery finds them by that path).
`down` first removes what an administrator or the user added (MFA devices, password, access
keys), since IAM refuses to delete a user that still has them.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.aws.errors import AwsError, error_code
from awsarch.adapters.aws.ingest_iam import stack_path
from awsarch.adapters.aws.managed_policies import delete_managed_policy, put_managed_policy
from awsarch.adapters.aws.resources.base import Handler
from awsarch.adapters.aws.resources.context import ApplyContext
from awsarch.adapters.aws.resources.iam import create_once
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
        group = create_once(ctx, "group", GroupName=desired.name)
        ctx.remember(desired.id, str(group["GroupId"]))
        account = str(ctx.call("sts", "get_caller_identity")["Account"])
        path = stack_path(ctx.stack)
        wanted = set()
        for policy in desired.policies:
            name = f"{desired.name}-{policy.name}"
            arn = put_managed_policy(ctx.call, account, path, name, to_json(policy))
            ctx.call("iam", "attach_group_policy", GroupName=desired.name, PolicyArn=arn)
            wanted.add(arn)
        _let_go(ctx, desired.name, keep=wanted)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        name = change.observed.name
        found = _get(ctx, "get_group", GroupName=name)
        if found is None:
            return
        for user in found.get("Users", []):
            ctx.call("iam", "remove_user_from_group", GroupName=name, UserName=user["UserName"])
        _let_go(ctx, name, keep=set())
        ctx.call("iam", "delete_group", GroupName=name)


def _let_go(ctx: ApplyContext, group: str, *, keep: set[str]) -> None:
    """Detach and delete the group's policies under the stack's path that are not kept, and
    delete its inline policies (where awsarch kept them before they outgrew IAM's quota)."""
    own = f":policy{stack_path(ctx.stack)}"
    attached = ctx.call("iam", "list_attached_group_policies", GroupName=group)
    for policy in attached["AttachedPolicies"]:
        arn = str(policy["PolicyArn"])
        if own in arn and arn not in keep:
            ctx.call("iam", "detach_group_policy", GroupName=group, PolicyArn=arn)
            delete_managed_policy(ctx.call, arn)
    for inline in ctx.call("iam", "list_group_policies", GroupName=group)["PolicyNames"]:
        ctx.call("iam", "delete_group_policy", GroupName=group, PolicyName=inline)


class UserHandler(Handler):
    def create(self, ctx: ApplyContext, desired: User, action: Action) -> None:
        user = create_once(ctx, "user", UserName=desired.name, Tags=ctx.tags(desired.id))
        ctx.remember(desired.id, str(user["UserId"]))
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
