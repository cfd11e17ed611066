"""Account hygiene rules (IAM101-IAM106): a planted fault and a near miss for each."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from awsarch.model import Architecture
from awsarch.model.account import ROOT_ID, AccessKey, Account, AccountUser, RootUser

from .support import Compliant, Violation, assert_compliant, assert_violation

NOW = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
CLEAN_ROOT = RootUser(mfa_enabled=True, access_keys_present=False)


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def account(*users: AccountUser, root: RootUser = CLEAN_ROOT):  # type: ignore[no-untyped-def]
    def plant(arch: Architecture) -> Architecture:
        return dataclasses.replace(arch, account=Account(as_of=NOW, root=root, users=users))

    return plant


ALICE = AccountUser(name="alice", console_access=True, mfa_active=True)

VIOLATIONS = [
    Violation(
        name="root-keys",
        rule_id="IAM101",
        plant=account(root=RootUser(mfa_enabled=True, access_keys_present=True)),
        resource_id=ROOT_ID,
        path=(),
    ),
    Violation(
        name="root-no-mfa",
        rule_id="IAM102",
        plant=account(root=RootUser(mfa_enabled=False, access_keys_present=False)),
        resource_id=ROOT_ID,
        path=(),
    ),
    Violation(
        name="root-used-last-week",
        rule_id="IAM103",
        plant=account(root=dataclasses.replace(CLEAN_ROOT, last_used=days_ago(7))),
        resource_id=ROOT_ID,
        path=(),
    ),
    Violation(
        name="console-no-mfa",
        rule_id="IAM104",
        plant=account(dataclasses.replace(ALICE, mfa_active=False)),
        resource_id="iam-user/alice",
        path=(),
    ),
    Violation(
        name="admin-via-group",
        rule_id="IAM105",
        plant=account(dataclasses.replace(ALICE, admin_via=("group admins",))),
        resource_id="iam-user/alice",
        path=(),
    ),
    Violation(
        name="old-key",
        rule_id="IAM106",
        plant=account(
            dataclasses.replace(
                ALICE, access_keys=(AccessKey(slot=1, active=True, last_rotated=days_ago(91)),)
            )
        ),
        resource_id="iam-user/alice",
        path=(),
    ),
]

COMPLIANT = [
    Compliant(name="clean-account", rule_id=rule, plant=account(ALICE))
    for rule in ("IAM101", "IAM102", "IAM103", "IAM104", "IAM105", "IAM106")
] + [
    Compliant(
        name="root-used-long-ago",
        rule_id="IAM103",
        plant=account(root=dataclasses.replace(CLEAN_ROOT, last_used=days_ago(30))),
    ),
    Compliant(
        name="api-only-user-without-mfa",
        rule_id="IAM104",
        plant=account(dataclasses.replace(ALICE, console_access=False, mfa_active=False)),
    ),
    Compliant(
        name="old-but-inactive-key",
        rule_id="IAM106",
        plant=account(
            dataclasses.replace(
                ALICE, access_keys=(AccessKey(slot=1, active=False, last_rotated=days_ago(400)),)
            )
        ),
    ),
    Compliant(
        name="key-90-days",
        rule_id="IAM106",
        plant=account(
            dataclasses.replace(
                ALICE, access_keys=(AccessKey(slot=2, active=True, last_rotated=days_ago(90)),)
            )
        ),
    ),
    Compliant(
        name="root-unknown",
        rule_id="IAM102",
        plant=lambda arch: dataclasses.replace(arch, account=Account(as_of=NOW, root=None)),
    ),
]


@pytest.mark.parametrize("case", VIOLATIONS, ids=str)
def test_planted_fault_is_found(case: Violation) -> None:
    """Each account fault is reported on the root user or the IAM user, with what to do."""
    assert_violation(case)


@pytest.mark.parametrize("case", COMPLIANT, ids=str)
def test_near_miss_is_not_reported(case: Compliant) -> None:
    """A hygienic account (or facts that cannot be read) raises no finding."""
    assert_compliant(case)
