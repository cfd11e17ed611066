"""Permission intents: one line each, proved against the roles of an architecture.

    web can secretsmanager:GetSecretValue on main.secret
    web cannot rds:DeleteDBInstance
    web cannot iam:*

The subject is a server group; its permissions are those of its instance role (`role/<group>`
in a blueprint model). `<database>.secret` is the database's master secret, which the model
references as `secret-of:db/<database>`. Without `on`, the intent is about every resource.
A wildcard action means every action it matches: `cannot iam:*` holds only when no action
matching `iam:*` can be allowed anywhere; `can s3:Get*` holds when at least one can
(see analysis/iam_search.py for how that is decided conservatively).
"""

from __future__ import annotations

import re
from typing import Literal

from awsarch.analysis.iam import Decision, StatementMatch
from awsarch.analysis.iam_search import Possibility, any_allowed
from awsarch.blueprint.expand_iam import secret_reference
from awsarch.errors import InputError
from awsarch.model import Architecture, Role
from awsarch.record import record

Verdict = Literal["holds", "does-not-hold", "conditional"]

_FORM = "write `<group> can|cannot <service:Action> [on <resource>]`"
_EXAMPLE = "e.g. `web can secretsmanager:GetSecretValue on main.secret`"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_ACTION = re.compile(r"\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+")
_SECRET = re.compile(r"([A-Za-z0-9][A-Za-z0-9_-]*)\.secret")


class PermissionIntentError(InputError):
    """A permission intent awsarch cannot read or resolve; the message says what to write."""


@record
class PermissionIntent:
    """A permission intent: `web can|cannot ACTION [on RESOURCE]`."""

    subject: str
    can: bool
    action: str
    resource: str | None = None
    """As written: `main.secret`, an ARN, `*`, or None for "any resource"."""
    text: str = ""


@record
class PermissionProof:
    """The verdict on one intent, with the statements that decided it."""

    intent: PermissionIntent
    verdict: Verdict
    role_id: str
    resource: str | None
    """The resource as the policies name it (`secret-of:db/main`), None for any."""
    statements: tuple[StatementMatch, ...] = ()
    decision: Decision | None = None
    reason: str = ""

    @property
    def holds(self) -> bool:
        return self.verdict == "holds"


def parse_intent(text: str) -> PermissionIntent:
    """One line; PermissionIntentError says what to write instead."""
    words = text.split()
    if len(words) not in (3, 5):
        raise PermissionIntentError(
            f"cannot read permission intent {text.strip()!r} — {_FORM}, {_EXAMPLE}"
        )
    subject, verb, action = words[:3]
    if not _NAME.fullmatch(subject):
        raise PermissionIntentError(f"{subject!r} is not a server group name — {_FORM}")
    if verb not in ("can", "cannot"):
        raise PermissionIntentError(f"{verb!r} in {text.strip()!r} — write `can` or `cannot`")
    if not _ACTION.fullmatch(action):
        raise PermissionIntentError(
            f"{action!r} is not an IAM action — write service:Action, e.g. rds:DeleteDBInstance"
            " or iam:* (letters, digits, * and ?)"
        )
    resource = None
    if len(words) == 5:
        if words[3] != "on":
            raise PermissionIntentError(f"{words[3]!r} in {text.strip()!r} — write `on <resource>`")
        resource = _resource_syntax(words[4])
    return PermissionIntent(
        subject=subject, can=verb == "can", action=action, resource=resource, text=text.strip()
    )


def _resource_syntax(word: str) -> str:
    if word == "*" or word.startswith("arn:") or _SECRET.fullmatch(word):
        return word
    raise PermissionIntentError(
        f"{word!r} is not a resource awsarch knows — write `<database>.secret` (the database's"
        " master secret), a full ARN (arn:aws:…), or `*`"
    )


def parse_intents(text: str) -> tuple[PermissionIntent, ...]:
    """One intent a line; blank lines and `#` comments are skipped; errors name the line."""
    intents = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        try:
            intents.append(parse_intent(content))
        except PermissionIntentError as exc:
            raise PermissionIntentError(exc.detail, line=number, column=1) from exc
    return tuple(intents)


def prove_permission(arch: Architecture, intent: PermissionIntent | str) -> PermissionProof:
    """Does the subject's role allow (can) or never allow (cannot) the action on the resource?"""
    if isinstance(intent, str):
        intent = parse_intent(intent)
    role = _role(arch, intent.subject)
    resource = _resolve(arch, intent.resource)
    role_id = role.id if role else ""
    found = any_allowed(intent.action, resource, role.policies if role else ())
    verdict = _verdict(intent.can, found)
    reason = found.reason if role else f"server group {intent.subject} has no instance role"
    return PermissionProof(
        intent=intent,
        verdict=verdict,
        role_id=role_id,
        resource=resource,
        statements=found.statements,
        decision=found.decision,
        reason=reason,
    )


def _verdict(can: bool, found: Possibility) -> Verdict:
    if found.outcome == "conditional":
        return "conditional"
    allowed = found.outcome == "possible"
    return "holds" if allowed == can else "does-not-hold"


def _role(arch: Architecture, subject: str) -> Role | None:
    role = next((r for r in arch.roles if r.id == f"role/{subject}"), None)
    groups = {i.group for i in arch.instances} | {r.id.removeprefix("role/") for r in arch.roles}
    if role is None and subject not in groups:
        known = ", ".join(sorted(groups)) or "none"
        raise PermissionIntentError(
            f"no server group {subject!r} — write one of the groups ({known})"
        )
    return role


def _resolve(arch: Architecture, resource: str | None) -> str | None:
    if resource is None or resource == "*":
        return None
    match = _SECRET.fullmatch(resource)
    if match is None:
        return resource
    name = match.group(1)
    if not any(db.name == name for db in arch.databases):
        known = ", ".join(sorted(f"{db.name}.secret" for db in arch.databases)) or "none"
        raise PermissionIntentError(
            f"no database {name!r} for {resource!r} — write one of ({known})"
        )
    return secret_reference(name)
