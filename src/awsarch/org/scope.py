"""Which rule findings an audit of one (account, region), or of an account's hygiene, reports."""

from __future__ import annotations

from collections.abc import Iterable

from awsarch.rules.base import Finding

ACCOUNT_PREFIXES = ("account/", "iam-user/")
"""Findings about the account itself (root user, IAM users), not about a VPC."""


def region_findings(findings: Iterable[Finding], *, empty: bool) -> list[Finding]:
    """All of them; in a region with nothing of the user's (only its default VPC), only those
    about the account: the default VPC's own defaults are AWS's, not the user's, to judge."""
    if empty:
        return account_findings(findings)
    return list(findings)


def account_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Only those about the account itself: what its hygiene unit reports."""
    return [f for f in findings if f.resource_id.startswith(ACCOUNT_PREFIXES)]
