"""IAM105: no IAM user holds AdministratorAccess for daily work."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.model.account import user_resource_id as user_id
from awsarch.rules.base import Rule


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for user in arch.account.users if arch.account else ():
        if user.admin_via:
            how = ", ".join(user.admin_via)
            mfa = "" if user.mfa_active else " and has no MFA"
            yield (
                user_id(user.name),
                f"IAM user {user.name} holds AdministratorAccess ({how}){mfa} — give them a"
                " least-privilege group (operators: deployers / viewers) and keep admin rights"
                " for a separate, MFA-protected identity",
                (),
            )


RULE = Rule(
    id="IAM105",
    title="No IAM user holds AdministratorAccess",
    rationale=(
        "People should work with the least privilege they need; an administrator's everyday"
        " credentials turn any slip or leak into a takeover of the account."
    ),
    severity="warning",
    check=check,
    fix=(
        "Give people a narrower managed policy (a deployer or viewer set) and use "
        "AdministratorAccess only through a role when needed."
    ),
    docs=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
    ),
)
