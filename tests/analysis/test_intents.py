"""Intent lines: parsed when well formed, rejected with the fix when not."""

from __future__ import annotations

import pytest

from awsarch.analysis import IntentError, parse_intent, parse_intents
from awsarch.analysis.sets import Services
from awsarch.model import PortRange

GOOD = [
    ("internet -> web:443", "internet", "web", "reachable", ["tcp/443"]),
    ("internet -/-> main", "internet", "main", "unreachable", None),
    ("web -> main:3306", "web", "main", "reachable", ["tcp/3306"]),
    ("private -> internet:443", "private", "internet", "reachable", ["tcp/443"]),
    ("web -> main:3306/tcp", "web", "main", "reachable", ["tcp/3306"]),
    ("web->main:53/udp", "web", "main", "reachable", ["udp/53"]),
    ("  sg/web -/-> main:3300-3310 ", "sg/web", "main", "unreachable", ["tcp/3300-3310"]),
]


@pytest.mark.parametrize(("line", "source", "destination", "expect", "ports"), GOOD)
def test_good_lines(
    line: str, source: str, destination: str, expect: str, ports: list[str] | None
) -> None:
    """Well-formed intents keep their endpoints, arrow and ports."""
    intent = parse_intent(line)
    assert (intent.source, intent.destination, intent.expect) == (source, destination, expect)
    assert (intent.services.to_text() if intent.services else None) == ports


BAD = [
    ("internet => web", "no arrow", 1),
    (" -> web:443", "missing source", 1),
    ("internet -> ", "missing destination", 12),
    ("internet -> web:https", "bad port", 17),
    ("internet -> web:443/sctp", "unknown protocol", 17),
    ("internet -> web:70000", "bad port range", 17),
    ("internet -> web:", "must be followed by a port", 16),
    ("inter net -> web", "bad source", 1),
]


@pytest.mark.parametrize(("line", "message", "column"), BAD)
def test_bad_lines(line: str, message: str, column: int) -> None:
    """A malformed intent is an input error that says what is wrong, where, and the fix."""
    with pytest.raises(IntentError) as caught:
        parse_intent(line, line=7)
    assert message in caught.value.detail
    assert (caught.value.line, caught.value.column) == (7, column)


def test_file_of_intents_skips_comments_and_keeps_line_numbers() -> None:
    """Blank lines and comments are skipped; each intent remembers its line."""
    found = parse_intents("# proofs\n\ninternet -> web:443  # the site\nweb -> main:3306\n")
    assert [(i.line, i.destination) for i in found] == [(3, "web"), (4, "main")]
    assert found[1].services == Services.of("tcp", PortRange.single(3306))


def test_error_on_a_later_line_names_it() -> None:
    """The line number of the bad intent reaches the error, for FILE:LINE:COL."""
    with pytest.raises(IntentError) as caught:
        parse_intents("internet -> web:443\nweb main\n")
    assert caught.value.line == 2
