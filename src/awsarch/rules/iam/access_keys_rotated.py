"""IAM106: no active access key is older than 90 days."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.model.account import user_resource_id as user_id
from awsarch.rules.base import Rule

MAX_AGE_DAYS = 90


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    account = arch.account
    for user in account.users if account else ():
        for key in user.active_keys:
            if key.last_rotated is None or account is None:
                continue
            age = account.days_since(key.last_rotated)
            if age > MAX_AGE_DAYS:
                yield (
                    user_id(user.name),
                    f"IAM user {user.name}'s access key {key.slot} is {age} days old — rotate"
                    " it (create a new key, switch, delete the old one), or use roles instead",
                    (),
                )


RULE = Rule(
    id="IAM106",
    title="Access keys are rotated within 90 days",
    rationale=(
        "Long-lived keys leak through laptops, logs and repositories; the older a key, the"
        " more places it may have been copied to."
    ),
    severity="warning",
    check=check,
    fix=(
        "Create a new access key, switch to it, then deactivate and delete the old one (or "
        "move to roles)."
    ),
    docs="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#rotate-credentials",
)
