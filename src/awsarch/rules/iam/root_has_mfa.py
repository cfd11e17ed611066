"""IAM102: the root user signs in with MFA."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.model.account import ROOT_ID
from awsarch.rules.base import Rule


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    root = arch.account.root if arch.account else None
    if root is not None and not root.mfa_enabled:
        yield (
            ROOT_ID,
            "the root user has no MFA device — enable MFA on the root user (IAM console,"
            " Security credentials)",
            (),
        )


RULE = Rule(
    id="IAM102",
    title="Root user has MFA",
    rationale=(
        "The root user's password alone opens the whole account; MFA stops a leaked or"
        " guessed password from being enough."
    ),
    severity="error",
    check=check,
    fix="Enable MFA on the root user (a hardware key or passkey where possible).",
    docs="https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html",
)
