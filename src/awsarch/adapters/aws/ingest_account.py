"""Pure ingest of account-level IAM facts and of the stack's operators (groups and users).

Sources (IAM User Guide, "Getting credential reports"): the report is CSV, one row per user and a
first row `<root_account>`; dates are ISO 8601, and `N/A`, `not_supported`, `no_information` mean
no date. The account summary's `AccountMFAEnabled` and `AccountAccessKeysPresent` describe root.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Mapping
from typing import Any

from awsarch.deploy.policy_json import to_model
from awsarch.model import Group, User
from awsarch.model.account import AccessKey, Account, AccountUser, RootUser
from awsarch.record import record

ROOT_ROW = "<root_account>"


@record
class Operators:
    """The stack's IAM groups and users, as discovered, and their logical ids."""

    groups: tuple[Group, ...] = ()
    users: tuple[User, ...] = ()
    logical_ids: tuple[tuple[str, str], ...] = ()


def parse_time(value: Any) -> datetime.datetime | None:
    """An ISO 8601 date of the report; None for N/A, not_supported, no_information or blank."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
    try:
        parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def report_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def account_from(raw: Mapping[str, Any]) -> Account:
    """raw: `as_of` (the report's GeneratedTime), `report` (CSV text), `summary` (SummaryMap),
    `admins` (`users`: names holding AdministratorAccess directly, `groups`: name → members)."""
    rows = report_rows(str(raw.get("report", "")))
    admin_via = _admin_via(raw.get("admins") or {})
    users = tuple(
        _user(row, admin_via.get(row["user"], ())) for row in rows if row.get("user") != ROOT_ROW
    )
    root_row = next((row for row in rows if row.get("user") == ROOT_ROW), None)
    as_of = parse_time(raw.get("as_of"))
    if as_of is None:
        raise ValueError("the credential report has no GeneratedTime")
    return Account(as_of=as_of, root=_root(raw.get("summary"), root_row), users=users)


def _admin_via(admins: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    via: dict[str, list[str]] = {}
    for name in admins.get("users", []):
        via.setdefault(str(name), []).append("attached")
    for group, members in sorted((admins.get("groups") or {}).items()):
        for name in members:
            via.setdefault(str(name), []).append(f"group {group}")
    return {name: tuple(ways) for name, ways in via.items()}


def _keys(row: Mapping[str, str]) -> tuple[AccessKey, ...]:
    return tuple(
        AccessKey(
            slot=slot,
            active=row.get(f"access_key_{slot}_active") == "true",
            last_rotated=parse_time(row.get(f"access_key_{slot}_last_rotated")),
            last_used=parse_time(row.get(f"access_key_{slot}_last_used_date")),
        )
        for slot in (1, 2)
        if row.get(f"access_key_{slot}_active") == "true"
        or parse_time(row.get(f"access_key_{slot}_last_rotated"))
    )


def _user(row: Mapping[str, str], admin_via: tuple[str, ...]) -> AccountUser:
    return AccountUser(
        name=row["user"],
        arn=row.get("arn", ""),
        console_access=row.get("password_enabled") == "true",
        mfa_active=row.get("mfa_active") == "true",
        password_last_used=parse_time(row.get("password_last_used")),
        access_keys=_keys(row),
        admin_via=admin_via,
    )


def _root(summary: Any, row: Mapping[str, str] | None) -> RootUser | None:
    if not summary and row is None:
        return None
    summary = summary or {}
    used = []
    if row is not None:
        used = [
            t
            for t in (
                parse_time(row.get("password_last_used")),
                parse_time(row.get("access_key_1_last_used_date")),
                parse_time(row.get("access_key_2_last_used_date")),
            )
            if t is not None
        ]
    keys = bool(summary.get("AccountAccessKeysPresent", 0)) or bool(row and _keys(row))
    mfa = bool(summary.get("AccountMFAEnabled", 0)) or bool(row and row.get("mfa_active") == "true")
    return RootUser(mfa_enabled=mfa, access_keys_present=keys, last_used=max(used, default=None))


def operators_from(raw: Mapping[str, Any], stack: str) -> Operators:
    """raw: `groups` (ListGroups items, each with `Users` from GetGroup and `Policies`:
    name → document) and `users` (ListUsers items), all under the stack's IAM path."""
    prefix = f"{stack}-"
    groups = [
        Group(
            id=str(g["GroupId"]),
            name=str(g["GroupName"]),
            policies=tuple(
                to_model(name, doc) for name, doc in sorted((g.get("Policies") or {}).items())
            ),
        )
        for g in raw.get("groups", [])
    ]
    member_of: dict[str, list[str]] = {}
    for g in sorted(raw.get("groups", []), key=lambda g: str(g["GroupName"])):
        for u in g.get("Users", []):
            member_of.setdefault(str(u["UserName"]), []).append(str(g["GroupId"]))
    users = [
        User(
            id=str(u["UserId"]),
            name=str(u["UserName"]),
            groups=tuple(member_of.get(str(u["UserName"]), ())),
        )
        for u in raw.get("users", [])
    ]
    logical = [(g.id, "group/" + g.name.removeprefix(prefix)) for g in groups]
    logical += [(u.id, "user/" + u.name.removeprefix(prefix)) for u in users]
    return Operators(groups=tuple(groups), users=tuple(users), logical_ids=tuple(logical))
