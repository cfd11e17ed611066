"""IAM104: every IAM user who can sign in to the console has MFA."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.model.account import user_resource_id as user_id
from awsarch.rules.base import Rule


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for user in arch.account.users if arch.account else ():
        if user.console_access and not user.mfa_active:
            yield (
                user_id(user.name),
                f"IAM user {user.name} has a console password and no MFA — have them enable"
                " MFA (awsarch operators groups deny everything else until they do)",
                (),
            )


RULE = Rule(
    id="IAM104",
    title="Console users have MFA",
    rationale=(
        "A password alone is phished, reused or guessed; MFA keeps a stolen password from"
        " opening the account."
    ),
    severity="error",
    check=check,
    fix="Enable MFA for every IAM user who has a console password.",
    docs="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html",
)
