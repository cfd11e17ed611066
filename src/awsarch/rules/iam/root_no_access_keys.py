"""IAM101: the root user has no access keys."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.model.account import ROOT_ID
from awsarch.rules.base import Rule


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    root = arch.account.root if arch.account else None
    if root is not None and root.access_keys_present:
        yield (
            ROOT_ID,
            "the root user has access keys — delete them; use IAM users or roles for API access",
            (),
        )


RULE = Rule(
    id="IAM101",
    title="Root user has no access keys",
    rationale=(
        "A root access key can do anything in the account and cannot be limited by any policy;"
        " AWS recommends that the root user have none."
    ),
    severity="error",
    check=check,
    fix=(
        "Delete the root user's access keys; use IAM roles or IAM Identity Center for "
        "programmatic access."
    ),
    docs="https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html",
)
