"""Account-level IAM facts an audit judges: the root user, every IAM user and their credentials.

Read from the credential report, the account summary and the holders of AdministratorAccess (see
`awsarch.adapters.aws.account`). `as_of` is when the facts were read: rules measure ages against
it, so
they stay pure (no clock).
"""

from __future__ import annotations

import datetime

from awsarch.record import record

ROOT_ID = "account/root"
"""The resource id findings about the root user carry."""


def user_resource_id(name: str) -> str:
    """The resource id findings about an IAM user carry (not a stack's logical id)."""
    return f"iam-user/{name}"


@record
class AccessKey:
    """One of a user's two access keys, as the IAM credential report lists it."""

    slot: int
    """1 or 2: the credential report's `access_key_<n>_…` columns."""
    active: bool
    last_rotated: datetime.datetime | None = None
    """When the key was created or last rotated; None when the report does not say."""
    last_used: datetime.datetime | None = None


@record
class AccountUser:
    """An IAM user as the credential report shows it: console, MFA and keys."""

    name: str
    arn: str = ""
    console_access: bool = False
    """The user has a password (a login profile): they can sign in to the console."""
    mfa_active: bool = False
    password_last_used: datetime.datetime | None = None
    access_keys: tuple[AccessKey, ...] = ()
    admin_via: tuple[str, ...] = ()
    """How the user holds AdministratorAccess: `attached`, or `group <name>`; () when not."""

    @property
    def active_keys(self) -> tuple[AccessKey, ...]:
        return tuple(k for k in self.access_keys if k.active)


@record
class RootUser:
    """The account's root user: the row `<root_account>` of the credential report."""

    mfa_enabled: bool
    access_keys_present: bool
    last_used: datetime.datetime | None = None
    """The latest use of the root password or a root key (credential report); None: never or
    unknown."""


@record
class Account:
    """The account-wide facts the IAM rules judge, as of when they were read."""

    as_of: datetime.datetime
    root: RootUser | None = None
    """None when the account's root facts could not be read."""
    users: tuple[AccountUser, ...] = ()

    def days_since(self, when: datetime.datetime) -> int:
        """Whole days from `when` to when the facts were read."""
        return (self.as_of - when).days

    def user(self, name: str) -> AccountUser | None:
        return next((u for u in self.users if u.name == name), None)
