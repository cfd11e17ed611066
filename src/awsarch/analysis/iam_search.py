"""Can *any* action matching a pattern be allowed? The question behind `web cannot iam:*`.

A pattern such as `iam:*` stands for every action it matches, on any resource (or the one
given). The answer is found conservatively, so that "impossible" is always a proof:

1. An unconditional Deny whose Action covers the pattern (or whose NotAction shares no action
   with it) on every resource asked about: impossible, explicitly denied.
2. Otherwise every Allow statement whose Action patterns intersect the pattern (an exact test
   on glob patterns: a search over the product of the two patterns' automata) and whose
   resources intersect the resource is a candidate. None: impossible, denied by default.
3. For each candidate a witness request is built — an action both patterns match, a resource
   its Resource matches — and evaluated exactly (all policies, Denies included). Allowed:
   possible, and that decision is the counterexample.
4. A witness that a Deny blocks proves nothing about the other actions the pattern matches:
   impossible only when unconditional Denies cover the whole overlap, else conditional.

Coverage between two wildcard patterns is proven only in simple shapes (`*`, equal patterns,
a literal prefix then `*`); where it cannot be proven the answer is "conditional", never
"impossible". Action names are strings here: `iam:*` intersects `*` through a witness such as
`iam:`, whether or not IAM defines that exact action.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from awsarch.analysis.iam import Decision, Request, StatementMatch, evaluate
from awsarch.analysis.iam_managed import MANAGED_POLICIES
from awsarch.analysis.iam_match import (
    action_matches,
    covers,
    has_wildcard,
    intersection_witness,
    resource_matches,
)
from awsarch.analysis.iam_policy import ParsedStatement, PolicyDocument, PolicyLike, to_documents
from awsarch.record import record

Possible = Literal["possible", "impossible", "conditional"]


@record
class Possibility:
    """Whether some action matching `action` may be allowed on `resource` (None: any)."""

    outcome: Possible
    action: str
    resource: str | None
    statements: tuple[StatementMatch, ...] = ()
    decision: Decision | None = None
    """The exact decision behind the answer, when one request decided it."""
    reason: str = ""


def any_allowed(
    action: str,
    resource: str | None,
    policies: Iterable[PolicyLike],
    *,
    managed: Mapping[str, Mapping[str, Any]] = MANAGED_POLICIES,
) -> Possibility:
    """Is any action matching `action` allowed on `resource` (None: on any resource)?"""
    documents = to_documents(policies, managed=managed)
    if resource is not None and not has_wildcard(action) and not has_wildcard(resource):
        return _exact(action, resource, documents)
    statements = [s for d in documents for s in d.statements]
    denies = [s for s in statements if s.effect == "Deny" and not s.condition]
    blocking = next((d for d in denies if _deny_covers(d, action, resource)), None)
    if blocking is not None:
        reason = f"a Deny without condition covers every action matching {action}"
        return _answer("impossible", action, resource, (_match(blocking, certain=True),), reason)
    unknown = [d.name for d in documents if not d.known]
    if unknown:
        reason = f"the document of managed policy {', '.join(unknown)} is not known to awsarch"
        return _answer("conditional", action, resource, (), reason)
    candidates = [s for s in statements if s.effect == "Allow" and _may_allow(s, action, resource)]
    if not candidates:
        reason = f"no Allow statement matches any action matching {action}"
        return _answer("impossible", action, resource, (), reason)
    return _try_witnesses(candidates, denies, documents, action, resource)


def _exact(action: str, resource: str, documents: tuple[PolicyDocument, ...]) -> Possibility:
    decision = evaluate(Request(action=action, resource=resource), documents)
    outcome: Possible = (
        "possible" if decision.allowed else "impossible" if decision.denied else "conditional"
    )
    return Possibility(
        outcome=outcome,
        action=action,
        resource=resource,
        statements=decision.statements,
        decision=decision,
        reason=decision.reason,
    )


def _try_witnesses(
    candidates: list[ParsedStatement],
    denies: list[ParsedStatement],
    documents: tuple[PolicyDocument, ...],
    action: str,
    resource: str | None,
) -> Possibility:
    undecided: Possibility | None = None
    for statement in candidates:
        witness = _witness(statement, action, resource)
        if witness is None:
            reason = f"cannot tell which actions matching {action} {_label(statement)} allows"
            undecided = undecided or _answer(
                "conditional", action, resource, (_match(statement, certain=False),), reason
            )
            continue
        decision = evaluate(Request(action=witness[0], resource=witness[1]), documents)
        if decision.allowed:
            reason = f"{witness[0]} on {witness[1]} is allowed"
            return _answer("possible", action, resource, decision.statements, reason, decision)
        if decision.outcome != "denied-explicit" or not _denied_overlap(
            statement, denies, action, resource
        ):
            reason = f"{witness[0]} on {witness[1]} is {decision.outcome}: {decision.reason}"
            undecided = undecided or _answer(
                "conditional", action, resource, decision.statements, reason, decision
            )
    if undecided is not None:
        return undecided
    reason = f"every Allow that matches {action} is covered by a Deny without condition"
    return _answer("impossible", action, resource, (), reason)


def _answer(
    outcome: Possible,
    action: str,
    resource: str | None,
    statements: tuple[StatementMatch, ...],
    reason: str,
    decision: Decision | None = None,
) -> Possibility:
    return Possibility(
        outcome=outcome,
        action=action,
        resource=resource,
        statements=statements,
        decision=decision,
        reason=reason,
    )


def _label(statement: ParsedStatement) -> str:
    return f"policy {statement.policy} statement #{statement.index}"


def _match(statement: ParsedStatement, *, certain: bool) -> StatementMatch:
    actions = ("NotAction " if statement.not_action else "") + ", ".join(statement.actions)
    resources = ("NotResource " if statement.not_resource else "") + ", ".join(statement.resources)
    return StatementMatch(
        policy=statement.policy,
        index=statement.index,
        sid=statement.sid,
        effect=statement.effect,
        action_pattern=actions,
        resource_pattern=resources,
        certain=certain,
    )


# ---- actions -----------------------------------------------------------------------------


def _action_witness(statement: ParsedStatement, pattern: str) -> str | None:
    """An action matching `pattern` that the statement's Action/NotAction matches."""
    if statement.not_action:
        for candidate in _samples(pattern, actions=True):
            if not any(action_matches(p, candidate) for p in statement.actions):
                return candidate
        return None
    for allowed in statement.actions:
        if action_matches(allowed, pattern):
            return pattern
        if action_matches(pattern, allowed):
            return allowed
        found = intersection_witness(pattern, allowed, ignore_case=True)
        if found is not None:
            return found
    return None


def _samples(pattern: str, *, actions: bool) -> list[str]:
    """Strings the pattern matches: itself read literally (a pattern always matches itself),
    its shortest, and one with every wildcard filled in."""
    shortest = intersection_witness(pattern, pattern, ignore_case=actions) or pattern
    filled = pattern.replace("*", "X").replace("?", "X")
    return [pattern, shortest, filled]


def _action_covered(statement: ParsedStatement, pattern: str) -> bool:
    """The statement's Action (or NotAction) matches every action the pattern matches."""
    if statement.not_action:
        return all(
            intersection_witness(pattern, p, ignore_case=True) is None for p in statement.actions
        )
    return any(covers(p, pattern, actions=True) for p in statement.actions)


# ---- resources ---------------------------------------------------------------------------


def _resource_witness(statement: ParsedStatement, resource: str | None) -> str | None:
    """A resource (the one asked about, or any) that the statement's Resource element matches."""
    wanted = resource if resource is not None else "*"
    if statement.not_resource:
        samples = _samples(wanted, actions=False) if resource is not None else ["*"]
        for candidate in samples:
            if not any(resource_matches(p, candidate) for p in statement.resources):
                return candidate
        return None
    for pattern in statement.resources:
        if resource is None or resource_matches(pattern, resource):
            return pattern if resource is None else resource
        found = intersection_witness(wanted, pattern, ignore_case=False)
        if found is not None:
            return found
    return None


def _resource_covered(statement: ParsedStatement, resource: str | None) -> bool:
    wanted = resource if resource is not None else "*"
    if statement.not_resource:
        return resource is not None and all(
            intersection_witness(wanted, p, ignore_case=False) is None for p in statement.resources
        )
    return any(covers(p, wanted, actions=False) for p in statement.resources)


# ---- combining ---------------------------------------------------------------------------


def _may_allow(statement: ParsedStatement, action: str, resource: str | None) -> bool:
    if statement.not_action:
        could_act = not any(covers(p, action, actions=True) for p in statement.actions)
    else:
        could_act = any(
            intersection_witness(action, p, ignore_case=True) is not None for p in statement.actions
        )
    return could_act and not _resource_excluded(statement, resource)


def _resource_excluded(statement: ParsedStatement, resource: str | None) -> bool:
    """The statement certainly applies to no resource asked about."""
    if resource is None:
        return False
    if statement.not_resource:
        return any(covers(p, resource, actions=False) for p in statement.resources)
    return all(
        intersection_witness(resource, p, ignore_case=False) is None for p in statement.resources
    )


def _witness(
    statement: ParsedStatement, action: str, resource: str | None
) -> tuple[str, str] | None:
    found_action = _action_witness(statement, action)
    found_resource = _resource_witness(statement, resource)
    if found_action is None or found_resource is None:
        return None
    return found_action, found_resource


def _deny_covers(deny: ParsedStatement, action: str, resource: str | None) -> bool:
    return _action_covered(deny, action) and _resource_covered(deny, resource)


def _denied_overlap(
    allow: ParsedStatement, denies: list[ParsedStatement], action: str, resource: str | None
) -> bool:
    """Unconditional Denies cover all the allow grants within the pattern asked about."""
    if any(_deny_covers(d, action, resource) for d in denies):
        return True
    if allow.not_action or allow.not_resource:
        return False
    overlap = [p for p in allow.actions if intersection_witness(action, p, ignore_case=True)]
    return all(
        any(_action_covered(d, p) and _resource_covered(d, resource) for d in denies)
        for p in overlap
    )
