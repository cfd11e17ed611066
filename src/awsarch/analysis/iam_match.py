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
  key, `${key, 'default'}` by the default when the key has no value, `${*}`, `${?}` and `${$}` by
  the characters themselves — and only in policies whose Version is 2012-10-17 (in others, or
  without Version, the text stays as written). What a policy variable puts in a pattern is literal
  text (`Glob` keeps which characters are wildcards; `substitute` below).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from functools import lru_cache

from awsarch.record import record

WILDCARDS = frozenset("*?")

Glob = tuple[tuple[str, bool], ...]
"""A pattern character by character, each with whether it is a wildcard. A policy's own `*` and
`?` are wildcards; the characters a policy variable puts in (`${*}`, a request's value, a default)
are not: "IAM policy elements: Variables and tags", Special characters."""


def has_wildcard(pattern: str) -> bool:
    return any(c in WILDCARDS for c in pattern)


def glob(pattern: str) -> Glob:
    """The pattern as written: every `*` and `?` is a wildcard."""
    return tuple((c, c in WILDCARDS) for c in pattern)


def literal(text: str) -> Glob:
    """Text that matches only itself."""
    return tuple((c, False) for c in text)


def glob_text(pattern: Glob) -> str:
    """The characters, wildcards or not (what StringEquals compares)."""
    return "".join(c for c, _ in pattern)


def _glob_of(pattern: str | Glob) -> Glob:
    return glob(pattern) if isinstance(pattern, str) else pattern


@lru_cache(maxsize=4096)
def _action_regex(pattern: str) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.IGNORECASE | re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """`s3:Get*` matches `S3:GETOBJECT`: actions and service prefixes are case-insensitive."""
    if pattern.isascii() and action.isascii():  # most patterns: no regex to build (start-up)
        head, star, tail = pattern.partition("*")
        if "?" not in pattern and not tail:  # `s3:GetObject`, `s3:Get*`, `*`
            if star:
                return action.lower().startswith(head.lower())
            return action.lower() == head.lower()
    return _action_regex(pattern).fullmatch(action) is not None


@lru_cache(maxsize=4096)
def _resource_regex(pattern: Glob) -> re.Pattern[str]:
    parts = []
    for index, (c, wild) in enumerate(pattern):
        if wild and c == "*":
            at_segment_end = index + 1 == len(pattern) or pattern[index + 1][0] == ":"
            parts.append(".*" if at_segment_end else "[^:]*")
        elif wild:
            parts.append("[^:]")
        else:
            parts.append(re.escape(c))
    return re.compile("".join(parts), re.DOTALL)


def resource_matches(pattern: str | Glob, resource: str) -> bool:
    """ARN matching within segments, case-sensitive, as the Resource element documents."""
    return _resource_regex(_glob_of(pattern)).fullmatch(resource) is not None


@lru_cache(maxsize=4096)
def _like_regex(pattern: Glob, ignore_case: bool) -> re.Pattern[str]:
    body = "".join((".*" if c == "*" else ".") if wild else re.escape(c) for c, wild in pattern)
    return re.compile(body, (re.IGNORECASE if ignore_case else 0) | re.DOTALL)


def string_like(pattern: str | Glob, value: str) -> bool:
    """StringLike: case-sensitive, `*` and `?` anywhere in the value."""
    return _like_regex(_glob_of(pattern), False).fullmatch(value) is not None


def arn_like(pattern: str | Glob, value: str) -> bool:
    """ArnLike/ArnEquals: the six colon-delimited components are compared one by one."""
    wanted = _split_components(_glob_of(pattern))
    given = value.split(":", 5)
    if len(wanted) != len(given):
        return False
    return all(
        _like_regex(w, False).fullmatch(g) is not None for w, g in zip(wanted, given, strict=True)
    )


def _split_components(pattern: Glob) -> list[Glob]:
    """Split at the first five colons, as `str.split(":", 5)` does."""
    parts: list[Glob] = [()]
    for c, wild in pattern:
        if c == ":" and len(parts) < 6:
            parts.append(())
        else:
            parts[-1] += ((c, wild),)
    return parts


_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_DEFAULT = re.compile(r"^\s*([^,]*?)\s*,\s*'((?:[^']|'')*)'\s*$")
_SPECIAL = frozenset("*?$")


@record
class Unresolved:
    """A policy variable that has no single value: `absent` when the (complete) request lacks the
    key, which AWS documents as "no value"; otherwise the value is unknown (a static proof, or a
    multivalued key, which cannot be a variable)."""

    key: str
    absent: bool


def substitute(
    text: str,
    context: Mapping[str, tuple[str, ...]],
    *,
    complete: bool = False,
    variables: bool = True,
) -> Glob | Unresolved:
    """`${aws:username}` → the request's value, as literal characters.

    Source: "IAM policy elements: Variables and tags" — one round of substitution (the result is
    not read for variables again); a key with no value takes the `${key, 'default'}` default
    (`''` in a default stands for one quote); `${*}`, `${?}`, `${$}` are the characters. With
    `variables` False (a policy whose Version is not 2012-10-17) the text stays as written.
    """
    if not variables:
        return glob(text)
    parts: list[Glob] = []
    position = 0
    for match in _VARIABLE.finditer(text):
        parts.append(glob(text[position : match.start()]))
        position = match.end()
        value = _variable(match.group(1), context, complete)
        if isinstance(value, Unresolved):
            return value
        parts.append(literal(value))
    parts.append(glob(text[position:]))
    return tuple(pair for part in parts for pair in part)


def _variable(
    inner: str, context: Mapping[str, tuple[str, ...]], complete: bool
) -> str | Unresolved:
    if inner in _SPECIAL:
        return inner
    found = _DEFAULT.match(inner)
    key, default = (found.group(1), found.group(2).replace("''", "'")) if found else (inner, None)
    key = key.strip()
    values = context.get(key.lower())
    if values is not None and len(values) == 1:
        return values[0]
    if values is None and complete:
        return default if default is not None else Unresolved(key=key, absent=True)
    return Unresolved(key=key, absent=False)


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
