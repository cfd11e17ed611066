"""The one console: the only place that decides whether output is coloured, and colours it.

Colour is on when the stream is a terminal, unless `--no-color`, NO_COLOR (any non-empty value,
https://no-color.org) or TERM=dumb says no; FORCE_COLOR (any non-empty value,
https://force-color.org) turns it on for a pipe too, and NO_COLOR wins over it. When colour is
off nothing carries an escape code, whatever a caller passed. rich draws the styles and is
imported only when colour is on, so `check` in a pipe or in CI never loads it.

Callers say what kind of line they print (a finding, a proof, a change…); the patterns below pick
the words to colour, so the renderers stay plain text for files, JSON and tests.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterable
from typing import Literal

import click

Role = Literal[
    "error", "warning", "info", "ok", "create", "update", "replace", "delete", "loud", "heading",
    "command", "muted",
]  # fmt: skip
Kind = Literal["plain", "finding", "proof", "summary", "change", "report"]

THEME: dict[Role, str] = {
    "error": "bold red",
    "warning": "yellow",
    "info": "cyan",
    "ok": "green",
    "create": "green",
    "update": "yellow",
    "replace": "magenta",
    "delete": "red",
    "loud": "bold red",
    "heading": "bold",
    "command": "cyan",
    "muted": "dim",
}

_SEVERITY = r"(?:(?P<error>error)|(?P<warning>warning)|(?P<info>info))"
_PATTERNS: dict[str, tuple[str, ...]] = {
    # `FILE:LINE:COL: error SEC004 sg/web: …` (the location is optional)
    "finding": (rf"^(?:\S.*?: )?{_SEVERITY} (?=\S+ )",),
    # `✓ internet -/-> web:22  — …`
    "proof": (r"^(?:(?P<ok>✓)|(?P<error>✗)|(?P<warning>\?)) ",),
    # `FILE: 1 errors, 0 warnings; 7 of 7 intents proved (…)`
    "summary": (
        r"\b(?P<ok>0 errors?)\b",
        r"\b(?P<error>[1-9]\d* errors?)\b",
        r"\b(?P<warning>[1-9]\d* warnings?)\b",
        r"\b(?P<ok>(\d+) of \2 intents? (?:proved|hold))",
        r"\b(?P<error>\d+ of \d+ intents? (?:proved|hold))",
    ),
    # `  + subnet/public-a  10.0.0.0/24`, `ingress: + tcp 22 …`, `!! db/main DESTROYS DATA …`
    "change": (
        r"^\s*(?:(?P<create>\+)|(?P<update>~)|(?P<replace>±)|(?P<delete>-)) ",
        r"(?<=: |, )(?:(?P<create>\+)|(?P<delete>-)) ",
        r"(?P<loud>!! .*)",
        r"\b(?P<loud>\d+ DESTROY DATA)",
        r"\b(?P<create>[1-9]\d* to create)",
        r"\b(?P<update>[1-9]\d* to update)",
        r"\b(?P<replace>[1-9]\d* to replace)",
        r"\b(?P<delete>[1-9]\d* to delete)",
    ),
}
_DRIFT = r"^drift: (?:(?P<create>\+)|(?P<update>~)|(?P<replace>±)|(?P<delete>-)) "
_PATTERNS["report"] = (*_PATTERNS["finding"], *_PATTERNS["proof"], *_PATTERNS["summary"], _DRIFT)

_settings = {"no_color": False}


def configure(*, no_color: bool) -> None:
    """`--no-color` for this run (the root command sets it first, a verb may turn it on)."""
    _settings["no_color"] = no_color


def no_color() -> bool:
    return _settings["no_color"]


def enabled(*, err: bool = False) -> bool:
    """Whether what goes to stdout (or stderr) is coloured."""
    if _settings["no_color"] or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = sys.stderr if err else sys.stdout
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def style(text: str, role: Role, *, err: bool = False) -> str:
    """text in one role's style when colour is on; text itself otherwise."""
    return _paint(text, [(0, len(text), role)]) if text and enabled(err=err) else text


def echo(text: str = "", kind: Kind = "plain", *, err: bool = False) -> None:
    """Print one line, its words coloured by kind when colour is on; never an escape otherwise."""
    colour = enabled(err=err)
    if colour and kind != "plain":
        text = _paint(text, spans(text, kind))
    click.echo(text, err=err, color=colour)


def echo_lines(lines: Iterable[str], kind: Kind = "plain", *, err: bool = False) -> None:
    for line in lines:
        echo(line, kind, err=err)


def spans(text: str, kind: Kind) -> list[tuple[int, int, Role]]:
    """Where each role applies in text: (start, end, role); the first pattern wins an overlap."""
    found: list[tuple[int, int, Role]] = []
    for pattern in _compiled(kind):
        for match in pattern.finditer(text):
            for role, value in match.groupdict().items():
                start, end = match.span(role)
                if value and role in THEME and not _overlaps(found, start, end):
                    found.append((start, end, role))
    return sorted(found)


@functools.cache
def _compiled(kind: Kind) -> tuple[re.Pattern[str], ...]:
    """Compiled on first use: a run without colour never pays for them."""
    return tuple(re.compile(p) for p in _PATTERNS.get(kind, ()))


def _overlaps(found: list[tuple[int, int, Role]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e, _ in found)


def _paint(text: str, where: list[tuple[int, int, Role]]) -> str:
    """SGR escapes around each span, drawn by rich (8 standard colours work everywhere)."""
    from rich.color import ColorSystem
    from rich.style import Style

    parts, at = [], 0
    for start, end, role in where:
        parts += [
            text[at:start],
            Style.parse(THEME[role]).render(text[start:end], color_system=ColorSystem.STANDARD),
        ]
        at = end
    return "".join([*parts, text[at:]])
