"""Evaluate identity-based IAM policies for one request, the way AWS documents it.

Source: AWS IAM User Guide, "Policy evaluation logic" and "The difference between explicit and
implicit denies": every applicable statement is considered (order does not matter); a Deny that
applies wins over any Allow (explicit deny); with no Allow that applies the request is denied by
default (implicit deny). A statement applies when its Action/NotAction, Resource/NotResource and
Condition all match the request.

What cannot be decided from what is modelled — a condition operator or key not modelled, a managed
policy whose document awsarch does not have — gives "conditional", never "allowed".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field
from typing import Any, Literal

from awsarch.analysis.iam_conditions import evaluate_condition, normalize_context
from awsarch.analysis.iam_managed import MANAGED_POLICIES
from awsarch.analysis.iam_match import Unresolved, action_matches, resource_matches, substitute
from awsarch.analysis.iam_policy import ParsedStatement, PolicyDocument, PolicyLike, to_documents
from awsarch.record import record

Outcome = Literal["allowed", "denied-explicit", "denied-implicit", "conditional"]

__all__ = [
    "Decision",
    "Outcome",
    "PolicyDocument",
    "Request",
    "StatementMatch",
    "evaluate",
    "statement_match",
]


@record
class Request:
    """One API call as IAM sees it: the action, the resource and the request context."""

    action: str
    resource: str = "*"
    context: Mapping[str, Any] = field(default_factory=dict)
    """Condition keys → a value (str or bool) or a list of values (a multivalued key)."""
    context_complete: bool = False
    """True: a key absent from `context` is absent from the request, as AWS evaluates it.
    False (a static proof): an absent key is unknown, and conditions on it are undecided."""


@record
class StatementMatch:
    """A statement that applies (or may apply) to the request, and why."""

    policy: str
    index: int
    sid: str
    effect: Literal["Allow", "Deny"]
    action_pattern: str
    resource_pattern: str
    certain: bool
    """False when only a condition that could not be decided stands between it and the request."""
    condition: str = ""

    def describe(self) -> str:
        sid = f" (Sid {self.sid})" if self.sid else ""
        words = [
            f"policy {self.policy} statement #{self.index}{sid}: {self.effect}",
            f"action {self.action_pattern} on {self.resource_pattern}",
        ]
        if self.condition:
            words.append(("if " if not self.certain else "when ") + self.condition)
        return " ".join(words)


@record
class Decision:
    """IAM's answer for one request, with the statements that decided it."""

    outcome: Outcome
    action: str
    resource: str
    statements: tuple[StatementMatch, ...] = ()
    unknown_policies: tuple[str, ...] = ()
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.outcome == "allowed"

    @property
    def denied(self) -> bool:
        return self.outcome in ("denied-explicit", "denied-implicit")


def evaluate(
    request: Request,
    policies: Iterable[PolicyLike],
    *,
    managed: Mapping[str, Mapping[str, Any]] = MANAGED_POLICIES,
) -> Decision:
    """The request against the policies: allowed, denied (explicit or implicit), conditional."""
    documents = to_documents(policies, managed=managed)
    context = normalize_context(request.context)
    matches = [
        found
        for document in documents
        for statement in document.statements
        if (found := statement_match(statement, request, context)) is not None
    ]
    unknown = tuple(d.name for d in documents if not d.known)
    return _decide(request, matches, unknown)


def statement_match(
    statement: ParsedStatement,
    request: Request,
    context: Mapping[str, tuple[str, ...]] | None = None,
) -> StatementMatch | None:
    """The statement as it applies to the request; None when it certainly does not."""
    context = normalize_context(request.context) if context is None else context
    action = _action_pattern(statement, request.action)
    if action is None:
        return None
    resource, resource_known = _resource_pattern(
        statement, request.resource, context, request.context_complete
    )
    if resource is None:
        return None
    condition = evaluate_condition(
        statement.condition, context, request.context_complete, variables=statement.variables
    )
    if condition.value is False:
        return None
    certain = resource_known and condition.value is True
    note = "" if not statement.condition else condition.reason
    if not resource_known:
        note = f"the resource pattern {resource} names a policy variable the request does not set"
    return StatementMatch(
        policy=statement.policy,
        index=statement.index,
        sid=statement.sid,
        effect=statement.effect,
        action_pattern=action,
        resource_pattern=resource,
        certain=certain,
        condition=note,
    )


def _action_pattern(statement: ParsedStatement, action: str) -> str | None:
    hits = [p for p in statement.actions if action_matches(p, action)]
    if statement.not_action:
        return None if hits else f"NotAction {list(statement.actions)}"
    return hits[0] if hits else None


def _resource_pattern(
    statement: ParsedStatement,
    resource: str,
    context: Mapping[str, tuple[str, ...]],
    complete: bool,
) -> tuple[str | None, bool]:
    """The matching pattern and whether the match is certain (policy variables may be unknown).

    "IAM policy elements: Variables and tags", Policy variables with no value: an entry whose
    variable has no value in the request matches no resource. A variable is documented only in
    the resource part of an ARN (after the fifth colon); elsewhere it is not modelled (unknown).
    """
    unsure = None
    hit = None
    for pattern in statement.resources:
        resolved = substitute(pattern, context, complete=complete, variables=statement.variables)
        if statement.variables and _variable_before_resource_part(pattern):
            unsure = unsure or pattern
        elif isinstance(resolved, Unresolved):
            if not resolved.absent:
                unsure = unsure or pattern
        elif resource_matches(resolved, resource):
            hit = hit or pattern
    if statement.not_resource:
        if hit is not None:
            return None, True
        label = f"NotResource {list(statement.resources)}"
        return label, unsure is None
    if hit is not None:
        return hit, True
    return unsure, False


def _variable_before_resource_part(pattern: str) -> bool:
    """`arn:aws:iam::${aws:PrincipalAccount}:role/x`: a variable before the fifth colon.

    Source: "IAM policy elements: Variables and tags", Resource element: "You can't use a
    variable to replace parts of the ARN before the fifth colon, such as the service or account."
    """
    start = pattern.find("${")
    return pattern.startswith("arn:") and start != -1 and pattern.count(":", 0, start) < 5


def _decide(request: Request, matches: list[StatementMatch], unknown: tuple[str, ...]) -> Decision:
    denies = [m for m in matches if m.effect == "Deny"]
    allows = [m for m in matches if m.effect == "Allow"]
    certain_denies = [m for m in denies if m.certain]
    certain_allows = [m for m in allows if m.certain]

    def decision(outcome: Outcome, statements: list[StatementMatch], reason: str) -> Decision:
        return Decision(
            outcome=outcome,
            action=request.action,
            resource=request.resource,
            statements=tuple(statements),
            unknown_policies=unknown,
            reason=reason,
        )

    if certain_denies:
        return decision("denied-explicit", certain_denies, "an explicit Deny applies")
    if unknown:
        names = ", ".join(unknown)
        reason = f"the document of managed policy {names} is not known to awsarch"
        return decision("conditional", allows + denies, reason)
    if certain_allows and not denies:
        return decision("allowed", certain_allows, "an Allow applies and no Deny does")
    if certain_allows:
        return decision("conditional", denies + certain_allows, "a Deny may apply")
    if allows:
        return decision(
            "conditional", allows + denies, "an Allow applies only if its condition holds"
        )
    reason = "no Allow statement applies (denied by default)"
    return decision("denied-implicit", denies, reason)
