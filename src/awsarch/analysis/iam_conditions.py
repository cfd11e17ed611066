"""The Condition element, decided in three values: true, false, or unknown (None).

Sources (AWS IAM User Guide):
- "IAM JSON policy elements: Condition operators": a key absent from the request context makes a
  condition false, except a negated operator (StringNotLike, NumericNotEquals, DateNotEquals,
  NotIpAddress, ArnNotLike…) which is then true; `...IfExists` is true when the key is absent;
  `Null` tests whether the key is absent. Numeric operators compare integers or decimals; Date
  operators compare W3C ISO 8601 dates or epoch (UNIX) seconds; IpAddress/NotIpAddress compare an
  address with a CIDR range, IPv4 or IPv6 (an address without a prefix is /32, or /128).
  Policy variables are allowed in String, ARN and Bool values, not in Numeric, Date, IP address
  or Binary ones (there the text is taken as written).
- "IAM policy elements: Variables and tags", Policy variables with no value: with a variable
  whose key has no value, StringEquals/StringLike do not match and the inverted operators
  (StringNotEquals, StringNotLike) do.
- "Conditions with multiple context keys or values": operators AND, keys AND, the values of one
  key OR — and NOR for a negated matching operator.
- "Single-valued vs. multivalued context keys": a multivalued key needs `ForAnyValue:` or
  `ForAllValues:`; ForAllValues is true when the key is absent or empty, ForAnyValue false.

A value that is not a number, a date or an IP address (in the policy or in the request) matches
no value of that kind. Anything else (Binary*, a multivalued key without a set operator, a policy
variable whose value is unknown, a key the request context does not say anything about) is
unknown: the statement may or may not apply, and the decision becomes "conditional".
"""

from __future__ import annotations

import ipaddress
import operator
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from awsarch.analysis.iam_match import (
    Glob,
    Unresolved,
    arn_like,
    glob,
    glob_text,
    string_like,
    substitute,
)
from awsarch.record import record

if TYPE_CHECKING:  # decimal loads only when a condition compares numbers
    from decimal import Decimal

Tri = bool | None
"""True, False, or None for "cannot tell from what is modelled"."""

Context = Mapping[str, tuple[str, ...]]
"""Condition keys (lower case: key names are case-insensitive) → their values in the request."""

Matcher = Callable[[Glob, str], bool]
"""(the policy's value, the request's value) → whether they match."""


def _number(text: str) -> Decimal | None:
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


_YEAR_MONTH = re.compile(r"\d{4}(-\d{2})?")


def _instant(text: str) -> float | None:
    """Seconds since the epoch: digits are epoch seconds, else a W3C ISO 8601 date (UTC if no
    zone is given; YYYY-MM and YYYY-MM-DD are their first instant)."""
    text = text.strip()
    if text.isdigit():
        return float(text)
    if _YEAR_MONTH.fullmatch(text):
        text = text + "-01" if len(text) == 7 else text
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _compare(parse: Callable[[str], Any], test: Callable[[Any, Any], bool]) -> Matcher:
    """Parse both sides; a value that does not parse matches nothing."""

    def matches(want: Glob, got: str) -> bool:
        wanted, given = parse(glob_text(want)), parse(got)
        return wanted is not None and given is not None and bool(test(given, wanted))

    return matches


def _in_range(want: Glob, got: str) -> bool:
    try:
        network = ipaddress.ip_network(glob_text(want).strip(), strict=False)
        address = ipaddress.ip_address(got.strip())
    except ValueError:
        return False
    return address.version == network.version and address in network


_NUMERIC = {
    "numericequals": operator.eq,
    "numericlessthan": operator.lt,
    "numericlessthanequals": operator.le,
    "numericgreaterthan": operator.gt,
    "numericgreaterthanequals": operator.ge,
}
_MATCHERS: dict[str, Matcher] = {
    "stringequals": lambda want, got: glob_text(want) == got,
    "stringequalsignorecase": lambda want, got: glob_text(want).lower() == got.lower(),
    "stringlike": string_like,
    "bool": lambda want, got: glob_text(want).lower() == got.lower(),
    "arnequals": arn_like,
    "arnlike": arn_like,
    **{name: _compare(_number, test) for name, test in _NUMERIC.items()},
    **{name.replace("numeric", "date"): _compare(_instant, t) for name, t in _NUMERIC.items()},
    "ipaddress": _in_range,
}
_NEGATED = {
    "stringnotequals": "stringequals",
    "stringnotequalsignorecase": "stringequalsignorecase",
    "stringnotlike": "stringlike",
    "arnnotequals": "arnequals",
    "arnnotlike": "arnlike",
    "numericnotequals": "numericequals",
    "datenotequals": "dateequals",
    "notipaddress": "ipaddress",
}
_TAKES_VARIABLES = frozenset(
    ("stringequals", "stringequalsignorecase", "stringlike", "bool", "arnequals", "arnlike")
)


@record
class ConditionResult:
    """A condition's outcome (true, false or unknown) and why."""

    value: Tri
    reason: str


@record
class _Operator:
    """A condition operator split into its parts (`StringLikeIfExists`...)."""

    name: str
    base: str
    qualifier: str
    if_exists: bool

    @property
    def negated(self) -> bool:
        return self.base in _NEGATED

    @property
    def matcher(self) -> Matcher:
        return _MATCHERS[_NEGATED.get(self.base, self.base)]

    @property
    def takes_variables(self) -> bool:
        return _NEGATED.get(self.base, self.base) in _TAKES_VARIABLES

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
    block: Mapping[str, Any], context: Context, complete: bool, *, variables: bool = True
) -> ConditionResult:
    """The whole Condition element: every operator and every key must hold (logical AND).

    `variables` is False for a policy whose Version is not 2012-10-17 (no policy variables).
    """
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
            result = _one_key(op, key, _values(wanted), context, complete, variables)
            if result.value is False:
                return result
            if result.value is None:
                unknown = unknown or result
            held.append(result.reason)
    if unknown is not None:
        return unknown
    return ConditionResult(value=True, reason="; ".join(held) or "no condition")


def _one_key(
    op: _Operator,
    key: str,
    wanted: tuple[str, ...],
    context: Context,
    complete: bool,
    variables: bool,
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
    if not op.qualifier and len(given) > 1:
        return ConditionResult(
            value=None, reason=f"{key} has several values and {op.name} has no set operator"
        )
    resolved = _policy_values(op, wanted, context, complete, variables)
    if resolved is None:
        return ConditionResult(value=None, reason=f"a policy variable is unknown in {label}")
    value = _quantify(op, resolved, given)
    return ConditionResult(value=value, reason=f"{label} against {list(given)}")


def _policy_values(
    op: _Operator, wanted: tuple[str, ...], context: Context, complete: bool, variables: bool
) -> list[Glob] | None:
    """The policy's values with their variables replaced; a value whose variable has no value
    matches nothing and is left out; None when a variable's value is unknown."""
    if not (variables and op.takes_variables):
        return [glob(w) for w in wanted]
    found: list[Glob] = []
    for text in wanted:
        value = substitute(text, context, complete=complete)
        if isinstance(value, Unresolved):
            if not value.absent:
                return None
            continue
        found.append(value)
    return found


def _when_absent(op: _Operator, wanted: tuple[str, ...]) -> bool:
    if op.base == "null":
        return wanted[0].lower() == "true"
    if op.if_exists or op.qualifier == "forallvalues":
        return True
    if op.qualifier == "foranyvalue":
        return False
    return op.negated


def _quantify(op: _Operator, wanted: list[Glob], given: tuple[str, ...]) -> bool:
    matcher = op.matcher

    def holds(value: str) -> bool:
        matched = any(matcher(w, value) for w in wanted)
        return not matched if op.negated else matched

    if op.qualifier == "forallvalues":
        return all(holds(v) for v in given)
    if op.qualifier == "foranyvalue":
        return any(holds(v) for v in given)
    return bool(given) and holds(given[0])
