"""Read account-level IAM facts (for the hygiene rules) and the stack's operators (for `down`).

Calls: GenerateCredentialReport until it is ready (a bounded backoff, the clock injected),
GetCredentialReport, GetAccountSummary, ListEntitiesForPolicy(AdministratorAccess) and GetGroup
for each group holding it. Operators: ListGroups/ListUsers under `/awsarch/<stack>/`, then per
group GetGroup, ListGroupPolicies and GetGroupPolicy (a stack has a handful of groups).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

from awsarch.adapters.aws.ingest_account import Operators, account_from, operators_from
from awsarch.adapters.aws.ingest_iam import stack_path
from awsarch.adapters.aws.managed_policies import decoded, read_managed_policy
from awsarch.adapters.aws.session import AwsSession
from awsarch.model import Architecture
from awsarch.model.account import Account

ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
REPORT_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0)


def read_account(
    session: AwsSession,
    *,
    sleep: Callable[[float], None] = time.sleep,
    delays: tuple[float, ...] = REPORT_DELAYS,
) -> Account:
    """The account's root and user credential facts, as of the credential report's time."""
    report = _credential_report(session, sleep, delays)
    raw = {
        "as_of": report["GeneratedTime"],
        "report": _text(report["Content"]),
        "summary": session.call("iam", "get_account_summary").get("SummaryMap", {}),
        "admins": _admins(session),
    }
    return account_from(raw)


def _credential_report(
    session: AwsSession, sleep: Callable[[float], None], delays: tuple[float, ...]
) -> dict[str, Any]:
    for delay in delays:
        state = session.call("iam", "generate_credential_report").get("State")
        if state == "COMPLETE":
            break
        sleep(delay)
    return session.call("iam", "get_credential_report")


def _text(content: Any) -> str:
    return content.decode("utf-8") if isinstance(content, bytes) else str(content)


def _admins(session: AwsSession) -> dict[str, Any]:
    users: list[str] = []
    groups: dict[str, list[str]] = {}
    for page in session.pages("iam", "list_entities_for_policy", PolicyArn=ADMINISTRATOR_ACCESS):
        users += [str(u["UserName"]) for u in page.get("PolicyUsers", [])]
        for group in page.get("PolicyGroups", []):
            name = str(group["GroupName"])
            groups[name] = [str(u["UserName"]) for u in _members(session, name)]
    return {"users": users, "groups": groups}


def _members(session: AwsSession, group: str) -> list[Any]:
    return [u for page in session.pages("iam", "get_group", GroupName=group) for u in page["Users"]]


def read_operators(session: AwsSession, stack: str) -> Operators:
    """The IAM groups and users the stack owns (under `/awsarch/<stack>/`), with their policies."""
    path = stack_path(stack)
    groups = [
        g for page in session.pages("iam", "list_groups", PathPrefix=path) for g in page["Groups"]
    ]
    users = [
        u for page in session.pages("iam", "list_users", PathPrefix=path) for u in page["Users"]
    ]
    detailed = [_group_detail(session, g, path) for g in groups]
    return operators_from({"groups": detailed, "users": users}, stack)


def _group_detail(session: AwsSession, group: dict[str, Any], path: str) -> dict[str, Any]:
    """The group's policies by name: inline ones, and the managed ones awsarch made for it
    (`<group>-<policy>` under the stack's path)."""
    name = group["GroupName"]
    policies = {}
    for policy in session.call("iam", "list_group_policies", GroupName=name)["PolicyNames"]:
        document = session.call("iam", "get_group_policy", GroupName=name, PolicyName=policy)
        policies[policy] = decoded(document["PolicyDocument"])
    attached = session.call("iam", "list_attached_group_policies", GroupName=name)
    for policy in attached["AttachedPolicies"]:
        own = f":policy{path}{name}-"
        if own in policy["PolicyArn"]:
            short = str(policy["PolicyName"]).removeprefix(f"{name}-")
            policies[short] = read_managed_policy(session.call, policy["PolicyArn"])
    return {**group, "Users": _members(session, name), "Policies": policies}


def with_operators(model: Architecture, operators: Operators) -> Architecture:
    """The discovered model with the stack's groups and users in it (idempotent: replaces)."""
    ids = {aws for aws, _ in operators.logical_ids}
    kept = tuple((aws, logical) for aws, logical in model.logical_ids if aws not in ids)
    return dataclasses.replace(
        model,
        groups=operators.groups,
        users=operators.users,
        logical_ids=(*kept, *operators.logical_ids),
    )


def with_account(model: Architecture, account: Account) -> Architecture:
    """The model with the account's IAM facts, for the hygiene rules."""
    return dataclasses.replace(model, account=account)


__all__ = ["read_account", "read_operators", "with_account", "with_operators"]
