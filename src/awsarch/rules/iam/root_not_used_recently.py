"""IAM103: the root user was not used in the last 30 days (credential report)."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.model.account import ROOT_ID
from awsarch.rules.base import Rule

RECENT_DAYS = 30


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    account = arch.account
    root = account.root if account else None
    if account is None or root is None or root.last_used is None:
        return
    days = account.days_since(root.last_used)
    if days < RECENT_DAYS:
        yield (
            ROOT_ID,
            f"the root user was used {days} day(s) ago ({root.last_used:%Y-%m-%d}) — keep root"
            " for the few tasks only it can do; work as an IAM user or role",
            (),
        )


RULE = Rule(
    id="IAM103",
    title="Root user not used for daily work",
    rationale=(
        "Root is for account set-up and the few tasks only it can do; recent use suggests it"
        " is used for daily work, where a mistake or a leak has no limit."
    ),
    severity="warning",
    check=check,
    fix=(
        "Sign in as an IAM Identity Center user or an IAM role for daily work; keep root for "
        "the tasks only it can do."
    ),
    docs="https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html",
)
