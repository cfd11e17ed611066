"""The Condition element, decided in three values: true, false, or unknown (None).

Sources (AWS IAM User Guide):
- "IAM JSON policy elements: Condition operators": a key absent from the request context makes a
  condition false, except a negated operator (StringNotLike, ArnNotLike…) which is then true;
  `...IfExists` is true when the key is absent; `Null` tests whether the key is absent.
- "Conditions with multiple context keys or values": operators AND, keys AND, the values of one
  key OR — and NOR for a negated matching operator.
- "Single-valued vs. multivalued context keys": a multivalued key needs `ForAnyValue:` or
  `ForAllValues:`; ForAllValues is true when the key is absent or empty, ForAnyValue false.

Anything else (Numeric*, Date*, IpAddress, Binary*, a multivalued key without a set operator,
an unresolvable policy variable, a key the request context does not say anything about) is
unknown: the statement may or may not apply, and the decision becomes "conditional".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from awsarch.analysis.iam_match import arn_like, string_like, substitute

Tri = bool | None
"""True, False, or None for "cannot tell from what is modelled"."""

Context = Mapping[str, tuple[str, ...]]
"""Condition keys (lower case: key names are case-insensitive) → their values in the request."""

_MATCHERS: dict[str, Callable[[str, str], bool]] = {
    "stringequals": lambda want, got: want == got,
    "stringequalsignorecase": lambda want, got: want.lower() == got.lower(),
    "stringlike": string_like,
    "bool": lambda want, got: want.lower() == got.lower(),
    "arnequals": arn_like,
    "arnlike": arn_like,
}
_NEGATED = {
    "stringnotequals": "stringequals",
    "stringnotequalsignorecase": "stringequalsignorecase",
    "stringnotlike": "stringlike",
    "arnnotequals": "arnequals",
    "arnnotlike": "arnlike",
}


@dataclass(frozen=True, kw_only=True)
class ConditionResult:
    value: Tri
    reason: str


@dataclass(frozen=True, kw_only=True)
class _Operator:
    name: str
    base: str
    qualifier: str
    if_exists: bool

    @property
    def negated(self) -> bool:
        return self.base in _NEGATED

    @property
    def modelled(self) -> bool:
        known_base = self.base in _MATCHERS or self.negated or self.base == "null"
        return known_base and self.qualifier in ("", "forallvalues", "foranyvalue")


def _operator(name: str) -> _Operator:
    qualifier, _, base = name.rpartition(":")
    base = base.lower()
    if_exists = base.endswith("ifexists")
    if if_exists:
        base = base[: -len("ifexists")]
    return _Operator(name=name, base=base, qualifier=qualifier.lower(), if_exists=if_exists)


def normalize_context(context: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Key names are case-insensitive; a value is a string, a bool or a list of them."""
    return {key.lower(): _values(value) for key, value in context.items()}


def _values(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_text(v) for v in value)
    return (_text(value),)


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def evaluate_condition(
    block: Mapping[str, Any], context: Context, complete: bool
) -> ConditionResult:
    """The whole Condition element: every operator and every key must hold (logical AND)."""
    unknown: ConditionResult | None = None
    held: list[str] = []
    for name, keys in block.items():
        op = _operator(name)
        if not op.modelled or not isinstance(keys, Mapping):
            unknown = unknown or ConditionResult(
                value=None, reason=f"condition operator {name} is not modelled"
            )
            continue
        for key, wanted in keys.items():
            result = _one_key(op, key, _values(wanted), context, complete)
            if result.value is False:
                return result
            if result.value is None:
                unknown = unknown or result
            held.append(result.reason)
    if unknown is not None:
        return unknown
    return ConditionResult(value=True, reason="; ".join(held) or "no condition")


def _one_key(
    op: _Operator, key: str, wanted: tuple[str, ...], context: Context, complete: bool
) -> ConditionResult:
    label = f"{op.name} {key}={list(wanted)}"
    given = context.get(key.lower())
    if given is None:
        if not complete:
            return ConditionResult(
                value=None, reason=f"{key} is unknown for this request ({label})"
            )
        return ConditionResult(value=_when_absent(op, wanted), reason=f"{key} is absent ({label})")
    if op.base == "null":
        return ConditionResult(
            value=wanted[0].lower() == "false", reason=f"{key} present ({label})"
        )
    resolved = [substitute(w, context) for w in wanted]
    if any(w is None for w in resolved):
        return ConditionResult(value=None, reason=f"a policy variable is unknown in {label}")
    if not op.qualifier and len(given) > 1:
        return ConditionResult(
            value=None, reason=f"{key} has several values and {op.name} has no set operator"
        )
    value = _quantify(op, [w for w in resolved if w is not None], given)
    return ConditionResult(value=value, reason=f"{label} against {list(given)}")


def _when_absent(op: _Operator, wanted: tuple[str, ...]) -> bool:
    if op.base == "null":
        return wanted[0].lower() == "true"
    if op.if_exists or op.qualifier == "forallvalues":
        return True
    if op.qualifier == "foranyvalue":
        return False
    return op.negated


def _quantify(op: _Operator, wanted: list[str], given: tuple[str, ...]) -> bool:
    matcher = _MATCHERS[_NEGATED.get(op.base, op.base)]

    def holds(value: str) -> bool:
        matched = any(matcher(w, value) for w in wanted)
        return not matched if op.negated else matched

    if op.qualifier == "forallvalues":
        return all(holds(v) for v in given)
    if op.qualifier == "foranyvalue":
        return any(holds(v) for v in given)
    return bool(given) and holds(given[0])
