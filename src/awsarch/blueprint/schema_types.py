"""A small declarative schema for YAML documents whose errors point at FILE:LINE:COL.

Each type checks a value at a path, returns it normalised (defaults filled in) or raises the
document's one-line InputError: what is wrong — what to do.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from awsarch.blueprint.document import Document
from awsarch.model import Path

REQUIRED = object()


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


class Type:
    """A schema type: `check` returns the normalised value or raises an InputError."""

    expected = "a value"

    def check(self, doc: Document, path: Path, value: Any) -> Any:
        raise NotImplementedError

    def wrong(self, doc: Document, path: Path, value: Any, hint: str = "") -> Exception:
        fix = hint or f"write {self.expected}"
        return doc.error(
            path, f"{_label(path)} must be {self.expected}, not {_kind(value)} — {fix}"
        )


def _label(path: Path) -> str:
    return ".".join(str(p) for p in path) or "the blueprint"


@dataclass
class Str(Type):
    """Text, matched against a pattern when one is given."""

    pattern: str = ""
    hint: str = ""
    expected: str = "text"
    decimals: bool = True
    """Whether an unquoted decimal number may stand for the text: not for a version, where YAML
    reads `8.10` as the number 8.1 and the text the user meant is lost."""

    def check(self, doc: Document, path: Path, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.wrong(doc, path, value)
        if isinstance(value, float) and not self.decimals:
            raise doc.error(
                path,
                f"{_label(path)}: unquoted, it is the number {value!r} to YAML, which drops"
                f" trailing zeros (8.10 becomes 8.1) — {self.hint}",
            )
        text = str(value)
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise doc.error(path, f"{_label(path)}: '{text}' is not valid — {self.hint}")
        return text


@dataclass
class Int(Type):
    """A whole number between minimum and maximum."""

    minimum: int = 0
    maximum: int = 2**31
    expected: str = "a whole number"

    def check(self, doc: Document, path: Path, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.wrong(doc, path, value)
        if not self.minimum <= value <= self.maximum:
            raise doc.error(
                path,
                f"{_label(path)} is {value}, outside {self.minimum}–{self.maximum}"
                f" — use a number from {self.minimum} to {self.maximum}",
            )
        return value


class Port(Int):
    def __init__(self) -> None:
        super().__init__(minimum=0, maximum=65535, expected="a port number")


@dataclass
class Bool(Type):
    """true or false."""

    expected: str = "true or false"

    def check(self, doc: Document, path: Path, value: Any) -> Any:
        if not isinstance(value, bool):
            raise self.wrong(doc, path, value)
        return value


@dataclass
class Choice(Type):
    """One of a few words; a near miss gets a 'did you mean'."""

    choices: tuple[str, ...] = ()

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.choices)

    def check(self, doc: Document, path: Path, value: Any) -> Any:
        text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
        if text in self.choices:
            return text
        return _reject_choice(doc, path, value, self.choices)


def _reject_choice(doc: Document, path: Path, value: Any, choices: tuple[str, ...]) -> Any:
    import difflib  # only to suggest a fix: not at start-up

    close = difflib.get_close_matches(str(value), choices, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "use one of " + ", ".join(choices)
    raise doc.error(path, f"{_label(path)}: '{value}' is not one of {', '.join(choices)} — {hint}")


@dataclass
class Cidr(Type):
    """An IPv4 CIDR block with no host bits set."""

    expected: str = "an IPv4 CIDR block like 10.0.0.0/16"

    def check(self, doc: Document, path: Path, value: Any) -> Any:
        if not isinstance(value, str):
            raise self.wrong(doc, path, value)
        try:
            network = ipaddress.IPv4Network(value, strict=True)
        except ValueError as exc:
            fix = _cidr_fix(value)
            raise doc.error(
                path, f"{_label(path)}: '{value}' is not a valid CIDR ({exc}) — {fix}"
            ) from None
        return str(network)


def _cidr_fix(value: str) -> str:
    try:
        return f"did you mean {ipaddress.IPv4Network(value, strict=False)}?"
    except ValueError:
        return "write an address and a prefix length, like 10.0.0.0/16"


@dataclass
class ListOf(Type):
    """A list of items of one type."""

    item: Type = field(default_factory=Type)
    min_items: int = 0
    max_items: int = 0
    """0: no limit of its own (the reader's node limit still holds)."""
    unique: bool = True
    expected: str = "a list"

    def check(self, doc: Document, path: Path, value: Any) -> Any:
        if not isinstance(value, list):
            raise self.wrong(doc, path, value, "write a list like [a, b]")
        if len(value) < self.min_items:
            raise doc.error(
                path,
                f"{_label(path)} needs at least {self.min_items} item(s) — add"
                f" {self.item.expected}",
            )
        if self.max_items and len(value) > self.max_items:
            raise doc.error(
                (*path, self.max_items),
                f"{_label(path)} lists {len(value)} items, more than {self.max_items}"
                f" — keep at most {self.max_items}",
            )
        items = [self.item.check(doc, (*path, i), v) for i, v in enumerate(value)]
        seen: set[Any] = set()  # a set, not a scan of the items before: long lists stay fast
        for i, item in enumerate(items):
            marker = item if isinstance(item, str | int | float | bool) else repr(item)
            if self.unique and marker in seen:
                raise doc.error((*path, i), f"'{item}' is listed twice — keep one")
            seen.add(marker)
        return items


@dataclass
class MapOf(Type):
    """A mapping whose keys the user names (tiers, servers, databases)."""

    value: Type = field(default_factory=Type)
    key_pattern: str = r"[a-z][a-z0-9-]{0,30}"
    expected: str = "a mapping of names"

    def check(self, doc: Document, path: Path, value: Any) -> Any:
        if not isinstance(value, dict):
            raise self.wrong(doc, path, value, "write `name:` entries, one per line")
        result = {}
        for key, item in value.items():
            if not re.fullmatch(self.key_pattern, str(key)):
                raise doc.error(
                    (*path, key),
                    f"'{key}' is not a valid name — use lowercase letters, digits and '-'"
                    " (starting with a letter, at most 31 characters)",
                    key=True,
                )
            result[str(key)] = self.value.check(doc, (*path, key), item)
        return result


@dataclass
class Field:
    """A key of an Obj: its type, and its default when it may be left out."""

    type: Type
    default: Any = REQUIRED
    help: str = ""


@dataclass
class Obj(Type):
    """A mapping with known keys: unknown ones are refused with a 'did you mean'."""

    fields: Mapping[str, Field] = field(default_factory=dict)
    shorthand: Callable[[Any], dict[str, Any] | None] | None = None
    expected: str = "a mapping"

    def check(self, doc: Document, path: Path, value: Any) -> Any:
        if self.shorthand is not None and not isinstance(value, dict):
            expanded = self.shorthand(value)
            if expanded is not None:
                value = expanded
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise self.wrong(doc, path, value, "write `key: value` lines, indented under it")
        for key in value:
            if key not in self.fields:
                raise _unknown_key(doc, (*path, key), key, tuple(self.fields))
        return {
            name: self._field(doc, path, name, spec, value) for name, spec in self.fields.items()
        }

    def _field(
        self, doc: Document, path: Path, name: str, spec: Field, value: dict[str, Any]
    ) -> Any:
        if name in value:
            return spec.type.check(doc, (*path, name), value[name])
        if spec.default is REQUIRED:
            raise doc.error(path, f"{_label(path)} needs '{name}' — add `{name}:` ({spec.help})")
        if spec.default is dict and isinstance(spec.type, Obj):  # a section left out: its defaults
            return spec.type.check(doc, (*path, name), {})
        return spec.default() if callable(spec.default) else spec.default


def _unknown_key(doc: Document, path: Path, key: Any, known: tuple[str, ...]) -> Exception:
    import difflib  # only to suggest a fix: not at start-up

    close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(known)
    where = _label(path[:-1])
    return doc.error(path, f"unknown key '{key}' in {where} — {hint}", key=True)
