"""Wildcard matching as IAM does it, and the pattern algebra the permission proofs need.

Sources (AWS IAM User Guide):
- "IAM JSON policy elements: Action": actions are `service:Action`, case-insensitive, and may
  use `*` (any run of characters) and `?` (any single character).
- "IAM JSON policy elements: Resource": wildcards work *within* the colon-separated segments of
  an ARN; a `*` that is the last character of a segment may expand across colons. Resource
  matching is case-sensitive.
- "IAM JSON policy elements: Condition operators": StringLike takes `*`/`?` anywhere in the
  value; ArnLike/ArnEquals check each of the six colon-delimited ARN components separately.
- "IAM policy elements: Variables and tags": `${key}` is replaced by the request's value of the
  key; `${*}`, `${?}` and `${$}` stand for the literal characters.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from functools import lru_cache

WILDCARDS = frozenset("*?")
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_LITERAL_VARIABLES = {"*": "*", "?": "?", "$": "$"}


def has_wildcard(pattern: str) -> bool:
    return any(c in WILDCARDS for c in pattern)


@lru_cache(maxsize=4096)
def _action_regex(pattern: str) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.IGNORECASE | re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """`s3:Get*` matches `S3:GETOBJECT`: actions and service prefixes are case-insensitive."""
    return _action_regex(pattern).fullmatch(action) is not None


@lru_cache(maxsize=4096)
def _resource_regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for index, c in enumerate(pattern):
        if c == "*":
            at_segment_end = index + 1 == len(pattern) or pattern[index + 1] == ":"
            parts.append(".*" if at_segment_end else "[^:]*")
        elif c == "?":
            parts.append("[^:]")
        else:
            parts.append(re.escape(c))
    return re.compile("".join(parts), re.DOTALL)


def resource_matches(pattern: str, resource: str) -> bool:
    """ARN matching within segments, case-sensitive, as the Resource element documents."""
    return _resource_regex(pattern).fullmatch(resource) is not None


@lru_cache(maxsize=4096)
def _like_regex(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, (re.IGNORECASE if ignore_case else 0) | re.DOTALL)


def string_like(pattern: str, value: str) -> bool:
    """StringLike: case-sensitive, `*` and `?` anywhere in the value."""
    return _like_regex(pattern, False).fullmatch(value) is not None


def arn_like(pattern: str, value: str) -> bool:
    """ArnLike/ArnEquals: the six colon-delimited components are compared one by one."""
    wanted = pattern.split(":", 5)
    given = value.split(":", 5)
    if len(wanted) != len(given):
        return False
    return all(
        _like_regex(w, False).fullmatch(g) is not None for w, g in zip(wanted, given, strict=True)
    )


def substitute(text: str, context: Mapping[str, tuple[str, ...]]) -> str | None:
    """`${aws:username}` → the request's value; None when the value is not known."""
    unresolved = False

    def replace(match: re.Match[str]) -> str:
        nonlocal unresolved
        key = match.group(1)
        if key in _LITERAL_VARIABLES:
            return _LITERAL_VARIABLES[key]
        values = context.get(key.strip().lower(), ())
        if len(values) != 1:
            unresolved = True
            return ""
        return values[0]

    result = _VARIABLE.sub(replace, text)
    return None if unresolved else result


def intersection_witness(a: str, b: str, *, ignore_case: bool) -> str | None:
    """A string both glob patterns match, or None when they share none.

    Exact for plain globs (`*` = any run, `?` = one character): a breadth-first search over pairs
    of positions in the two patterns (the product of their automata). Resource patterns are
    compared as plain globs, which can only over-approximate their segment-aware meaning; every
    witness is then checked exactly by the evaluator.
    """
    start = _advance_stars(a, b, 0, 0)
    parents: dict[tuple[int, int], tuple[tuple[int, int], str] | None] = dict.fromkeys(start)
    queue = deque(start)
    while queue:
        i, j = queue.popleft()
        if i == len(a) and j == len(b):
            return _witness(parents, (i, j))
        for char, ni, nj in _steps(a, b, i, j, ignore_case):
            for state in _advance_stars(a, b, ni, nj):
                if state not in parents:
                    parents[state] = ((i, j), char)
                    queue.append(state)
    return None


def _advance_stars(a: str, b: str, i: int, j: int) -> list[tuple[int, int]]:
    """Every state reachable by letting `*` match nothing (the epsilon closure)."""
    seen = [(i, j)]
    for si, sj in seen:
        for state in (
            (si + 1, sj) if si < len(a) and a[si] == "*" else None,
            (si, sj + 1) if sj < len(b) and b[sj] == "*" else None,
        ):
            if state is not None and state not in seen:
                seen.append(state)
    return seen


def _steps(a: str, b: str, i: int, j: int, ignore_case: bool) -> list[tuple[str, int, int]]:
    """Consume one character on both sides: which character, and where each pattern goes."""
    if i == len(a) or j == len(b):
        return []
    ca, cb = a[i], b[j]
    if ca in WILDCARDS and cb in WILDCARDS:
        char = "X"
    elif ca in WILDCARDS:
        char = cb
    elif cb in WILDCARDS or ca == cb or (ignore_case and ca.lower() == cb.lower()):
        char = ca
    else:
        return []
    return [(char, i if ca == "*" else i + 1, j if cb == "*" else j + 1)]


def _witness(
    parents: dict[tuple[int, int], tuple[tuple[int, int], str] | None], state: tuple[int, int]
) -> str:
    chars = []
    step = parents[state]
    while step is not None:
        state, char = step
        chars.append(char)
        step = parents[state]
    return "".join(reversed(chars))


def covers(outer: str, inner: str, *, actions: bool) -> bool:
    """Every action (or resource) `inner` matches is matched by `outer` (sound, not complete).

    Proven cases only: `outer` is `*`; the two are equal; `inner` has no wildcard and `outer`
    matches it; `outer` is a literal prefix and a final `*` that `inner` starts with. Anything
    else answers False, which makes a proof that relies on it say "conditional", never "holds".
    """
    fold = str.lower if actions else str
    if outer == "*" or fold(outer) == fold(inner):
        return True
    if not has_wildcard(inner):
        return action_matches(outer, inner) if actions else resource_matches(outer, inner)
    prefix = outer[:-1]
    return outer.endswith("*") and not has_wildcard(prefix) and fold(inner).startswith(fold(prefix))
