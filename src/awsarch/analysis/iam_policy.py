"""Policy documents as IAM returns them (or the model holds them), parsed into statements.

Source: AWS IAM User Guide, "IAM JSON policy element reference": `Statement` is one object or a
list; `Action`/`NotAction` and `Resource`/`NotResource` are a string or a list, exactly one of
each pair; `Effect` is Allow or Deny; `Sid` and `Condition` are optional. "IAM policy elements:
Variables and tags": policy variables exist only in policies whose `Version` is 2012-10-17; in
others, or without `Version`, `${aws:username}` is literal text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field
from typing import Any, Literal

from awsarch.analysis.iam_managed import MANAGED_POLICIES
from awsarch.errors import InputError
from awsarch.model.iam import Policy
from awsarch.record import record

Effect = Literal["Allow", "Deny"]
VARIABLES_VERSION = "2012-10-17"
"""The policy language version that introduced policy variables."""


class PolicyError(InputError):
    """A policy document IAM would reject: the message says which element and what to write."""


@record
class ParsedStatement:
    """A statement of a policy, checked and normalised."""

    policy: str
    index: int
    sid: str
    effect: Effect
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    condition: Mapping[str, Any] = field(default_factory=dict)
    variables: bool = True
    """False when the policy's Version is not 2012-10-17: `${...}` is then text as written."""


@record
class PolicyDocument:
    """A policy's statements, or unknown for a managed policy awsarch lacks."""

    name: str
    statements: tuple[ParsedStatement, ...] = ()
    known: bool = True
    """False for a managed policy whose document awsarch does not have: it may allow anything."""


PolicyLike = Mapping[str, Any] | Policy | PolicyDocument


def to_documents(
    policies: Iterable[PolicyLike],
    *,
    managed: Mapping[str, Mapping[str, Any]] = MANAGED_POLICIES,
) -> tuple[PolicyDocument, ...]:
    """JSON documents, model policies and parsed documents, all as parsed documents."""
    found = []
    for index, policy in enumerate(policies):
        if isinstance(policy, PolicyDocument):
            found.append(policy)
        elif isinstance(policy, Policy):
            found.append(from_model(policy, managed=managed))
        else:
            found.append(parse_policy(policy, name=f"#{index}"))
    return tuple(found)


def from_model(
    policy: Policy, *, managed: Mapping[str, Mapping[str, Any]] = MANAGED_POLICIES
) -> PolicyDocument:
    """A model policy; a managed one without statements is read from `managed`, else unknown."""
    if policy.arn and not policy.statements:
        document = managed.get(policy.arn)
        if document is None:
            return PolicyDocument(name=policy.name or policy.arn, known=False)
        return parse_policy(document, name=policy.name or policy.arn)
    return parse_policy(model_to_json(policy), name=policy.name)


def model_to_json(policy: Policy) -> dict[str, Any]:
    """The model policy as the JSON document IAM would hold."""
    statements = []
    for statement in policy.statements:
        entry: dict[str, Any] = {
            "Effect": statement.effect,
            "Action": list(statement.actions),
            "Resource": list(statement.resources),
        }
        if statement.sid:
            entry["Sid"] = statement.sid
        statements.append(entry)
    return {"Version": VARIABLES_VERSION, "Statement": statements}


def parse_policy(document: Mapping[str, Any], *, name: str = "policy") -> PolicyDocument:
    """Parse a JSON policy document; PolicyError names the element IAM would reject."""
    if not isinstance(document, Mapping):
        raise PolicyError(f"policy {name}: expected a JSON object with a Statement element")
    raw = document.get("Statement")
    if raw is None:
        raise PolicyError(f"policy {name}: add a Statement element (an object or a list)")
    items = [raw] if isinstance(raw, Mapping) else raw
    if not isinstance(items, list):
        raise PolicyError(f"policy {name}: Statement must be an object or a list of objects")
    variables = document.get("Version") == VARIABLES_VERSION
    return PolicyDocument(
        name=name,
        statements=tuple(_statement(name, i, s, variables) for i, s in enumerate(items)),
    )


def _statement(policy: str, index: int, raw: Any, variables: bool) -> ParsedStatement:
    where = f"policy {policy} statement #{index}"
    if not isinstance(raw, Mapping):
        raise PolicyError(f"{where}: expected an object with Effect, Action and Resource")
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyError(f'{where}: Effect must be "Allow" or "Deny", not {effect!r}')
    actions, not_action = _pair(raw, "Action", "NotAction", where)
    resources, not_resource = _pair(raw, "Resource", "NotResource", where)
    condition = raw.get("Condition", {})
    if not isinstance(condition, Mapping):
        raise PolicyError(f"{where}: Condition must be an object of operator → key → values")
    return ParsedStatement(
        policy=policy,
        index=index,
        sid=str(raw.get("Sid", "")),
        effect=effect,
        actions=actions,
        not_action=not_action,
        resources=resources,
        not_resource=not_resource,
        condition=condition,
        variables=variables,
    )


def _pair(
    raw: Mapping[str, Any], plain: str, negated: str, where: str
) -> tuple[tuple[str, ...], bool]:
    """Exactly one of Action/NotAction (or Resource/NotResource), as a tuple of strings."""
    if (plain in raw) == (negated in raw):
        raise PolicyError(f"{where}: write exactly one of {plain} or {negated}")
    key = plain if plain in raw else negated
    value = raw[key]
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise PolicyError(f"{where}: {key} must be a string or a non-empty list of strings")
    return tuple(values), key == negated
