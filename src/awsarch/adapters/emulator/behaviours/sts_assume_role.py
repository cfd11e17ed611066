"""AssumeRole gives credentials only for a role that exists and whose trust policy admits the
caller, as AWS documents it; moto 5.2.5 hands out credentials for any role ARN.

https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html: "the role's trust policy
... specifies who can assume the role"; the caller gets AccessDenied ("User: … is not authorized
to perform: sts:AssumeRole on resource: …") when the role does not exist in the target account
or its trust policy does not allow the caller. An `sts:ExternalId` condition must match the
request's ExternalId. Session tags need `sts:TagSession` in the trust policy too
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_permissions-required).

Evaluated here: Allow/Deny statements, `Principal.AWS` (`*`, an account id, `arn:…:root`, or the
caller's user or role ARN), actions `sts:AssumeRole`/`sts:TagSession` (and `sts:*`, `*`), and
`sts:ExternalId` under StringEquals/StringLike. Other condition keys are not evaluated.
"""

from __future__ import annotations

import fnmatch
import json
import urllib.parse
from typing import Any

from awsarch.adapters.emulator.behaviours.backends import caller_account
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, query_error

NAME = "sts_assume_role"


class StsAssumeRole(Behaviour):
    name = NAME
    services = frozenset({"sts"})

    def before(self, call: Call) -> Answer | None:
        if call.action != "AssumeRole":
            return None
        arn = call.params.get("RoleArn", "")
        principals = caller_principals(call)
        document = trust_policy(arn)
        actions = ["sts:AssumeRole"]
        if any(key.startswith("Tags.member.") for key in call.params):
            actions.append("sts:TagSession")
        external_id = call.params.get("ExternalId")
        if document is not None and all(
            admits(document, a, principals, external_id) for a in actions
        ):
            return None
        denied = next(
            (
                a
                for a in actions
                if document is None or not admits(document, a, principals, external_id)
            ),
            actions[0],
        )
        return query_error(
            "AccessDenied",
            f"User: {principals[0]} is not authorized to perform: {denied} on resource: {arn}",
            status=403,
        )


def trust_policy(arn: str) -> dict[str, Any] | None:
    """The trust policy of the role `arn` names, in the account it names; None without it."""
    from moto.iam.models import iam_backends

    parts = arn.split(":")
    if len(parts) < 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return None
    account = parts[4]
    if account not in iam_backends:
        return None
    try:
        role = iam_backends[account]["aws"].get_role_by_arn(arn)
    except Exception:  # moto's NotFoundException: no such role
        return None
    text = role.assume_role_policy_document
    try:
        loaded = json.loads(text)
    except ValueError:
        loaded = json.loads(urllib.parse.unquote(text))
    return loaded if isinstance(loaded, dict) else None


def caller_principals(call: Call) -> list[str]:
    """Who is calling, most specific first: the user or role ARN, the account's root, its id."""
    from moto.iam.models import iam_backends

    account = caller_account(call)
    names: list[str] = []
    backend = iam_backends[account]["aws"]
    key = backend.access_keys.get(call.access_key)
    if key is not None and getattr(key, "role_arn", None):
        names.append(str(key.role_arn))
    for user in list(backend.users.values()):
        if any(k.access_key_id == call.access_key for k in user.access_keys):
            names.append(str(user.arn))
    return [*names, f"arn:aws:iam::{account}:root", account]


def admits(
    document: dict[str, Any], action: str, principals: list[str], external_id: str | None
) -> bool:
    """An Allow statement matches and no Deny statement does."""
    statements = _listed(document.get("Statement"))
    matching = [s for s in statements if _matches(s, action, principals, external_id)]
    return any(s.get("Effect") == "Allow" for s in matching) and not any(
        s.get("Effect") == "Deny" for s in matching
    )


def _matches(
    statement: dict[str, Any], action: str, principals: list[str], external_id: str | None
) -> bool:
    actions = [str(a).lower() for a in _listed(statement.get("Action"))]
    if not any(fnmatch.fnmatchcase(action.lower(), a) for a in actions):
        return False
    principal = statement.get("Principal")
    allowed = ["*"] if principal == "*" else _listed((principal or {}).get("AWS"))
    if not any(p == "*" or p in principals for p in allowed):
        return False
    return _external_id_ok(statement.get("Condition") or {}, external_id)


def _external_id_ok(condition: dict[str, Any], external_id: str | None) -> bool:
    for operator in ("StringEquals", "StringLike"):
        wanted = _listed((condition.get(operator) or {}).get("sts:ExternalId"))
        if not wanted:
            continue
        if external_id is None:
            return False
        if operator == "StringEquals" and external_id not in wanted:
            return False
        if operator == "StringLike" and not any(
            fnmatch.fnmatchcase(external_id, w) for w in wanted
        ):
            return False
    return True


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
