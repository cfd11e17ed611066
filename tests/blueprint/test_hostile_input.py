"""Input that cannot hurt: every malformed blueprint the fuzzer once turned into an internal
error, a hang or gigabytes is now one located line with the fix and exit code 2."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from awsarch.blueprint import reader
from awsarch.blueprint.document import parse
from awsarch.blueprint.load import load_file, load_text
from awsarch.blueprint.seed import seed_text
from awsarch.cfn.template import parse_template
from awsarch.cli.main import cli
from awsarch.errors import EXIT_INPUT, InputError


def _seed_with(old: str, new: str) -> str:
    text = seed_text()
    assert old in text, old
    return text.replace(old, new, 1)


def _bomb() -> str:
    """The classic 442-byte "billion laughs": nine levels of nine aliases, 9⁹ strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


def _nested(depth: int) -> str:
    return "stack: demo\nx:\n" + "".join("  " * i + "- \n" for i in range(1, depth + 1))


# (case id, text, line, column or 0 for "any", words the message must hold)
TEXT_CASES = [
    ("control character", _seed_with("stack: demo", "stack: de\x01mo"), 3, 10, ["U+0001"]),
    ("escape character", _seed_with("stack: demo", "stack: de\x1bmo"), 3, 10, ["U+001B"]),
    ("!!timestamp", _seed_with("stack: demo", "stack: !!timestamp nope"), 3, 8, ["a date"]),
    ("!!float", _seed_with("stack: demo", "stack: !!float nope"), 3, 8, ["a number"]),
    ("!!bool", _seed_with("stack: demo", "stack: !!bool nope"), 3, 8, ["true or false"]),
    ("!!binary", _seed_with("stack: demo", "stack: !!binary 'z'"), 3, 8, ["base64"]),
    ("unknown tag", _seed_with("stack: demo", "stack: !Ref demo"), 3, 8, ["unknown tag '!Ref'"]),
    ("month 13", _seed_with("stack: demo", "stack: 2024-13-01"), 3, 8, ["month must be in 1..12"]),
    ("0b_", _seed_with("count: 2", "count: 0b_"), 17, 12, ["'0b_'", "a whole number"]),
    ("4,301 digits", _seed_with("count: 2", "count: " + "9" * 4301), 17, 12, ["4301 digits"]),
    ("deep nesting", _nested(150), 102, 0, ["nested more than 100 levels"]),
    ("deep flow nesting", "stack: " + "[" * 5000, 1, 0, ["nest"]),
    ("alias bomb", _bomb(), 0, 0, ["more than 200,000 values"]),
    ("alias loop", "stack: &a [*a]\n", 1, 12, ["a loop"]),
    ("undefined alias", "stack: *nowhere\n", 1, 8, ["no anchor &nowhere"]),
    ("merge of a scalar", "servers:\n  web:\n    <<: 3\n", 3, 9, ["`<<` merges a mapping"]),
    ("two documents", "stack: a\n---\nstack: b\n", 2, 1, ["keep one document"]),
    ("100,000-character value", _seed_with("stack: demo", "stack: " + "a" * 100_000), 3, 8, []),
    ("newline in a value", _seed_with("stack: demo", 'stack: "de\\nmo"'), 3, 8, ["'de\\nmo'"]),
    (
        "unquoted version",
        _seed_with('version: "8.0"', "version: 8.10"),
        29,
        14,
        ["the number 8.1", "8.10 becomes 8.1", 'quote it, e.g. "8.0"'],
    ),
    (
        "newline in a key",
        _seed_with("multi_az: true", '"multi\\naz": true'),
        32,
        5,
        ["unknown key 'multi\\naz'"],
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "words"), [c[1:] for c in TEXT_CASES], ids=[c[0] for c in TEXT_CASES]
)
def test_malformed_text_is_one_located_line(
    text: str, line: int, column: int, words: list[str]
) -> None:
    """A malformed blueprint is refused as input (exit 2) on one line at its place, with the fix."""
    with pytest.raises(InputError) as caught:
        load_text(text, file="bp.yaml")
    _assert_one_located_line(caught.value, line, column, words)


def _assert_one_located_line(error: InputError, line: int, column: int, words: list[str]) -> None:
    message = str(error)
    assert error.exit_code == EXIT_INPUT
    assert "\n" not in message and "\r" not in message and "\x1b" not in message, message
    assert len(message) <= 600, f"{len(message)} characters"
    assert message.startswith("bp.yaml:"), message
    assert " — " in message, "every message says what to do"
    assert error.line >= 1, message
    if line:
        assert error.line == line, message
    if column:
        assert error.column == column, message
    for word in words:
        assert word in message


MERGED = """\
stack: demo
servers:
  web: &server
    count: 2
    tier: public
    public_ports: [80, 443]
    role: {read_secrets: [main]}
  api:
    <<: *server
    count: 1
    public_ports: []
databases:
  main: {engine: mysql, tier: private, allow_from: [web, api]}
"""

EXPANDED = """\
stack: demo
servers:
  web:
    count: 2
    tier: public
    public_ports: [80, 443]
    role: {read_secrets: [main]}
  api:
    tier: public
    role: {read_secrets: [main]}
    count: 1
    public_ports: []
databases:
  main: {engine: mysql, tier: private, allow_from: [web, api]}
"""


def test_merge_key_loads_as_its_expanded_form() -> None:
    """`<<: *server` brings in the anchored server's keys; the keys written beside it win."""
    merged = load_text(MERGED, file="merged.yaml").blueprint
    assert merged == load_text(EXPANDED, file="expanded.yaml").blueprint
    api = merged.server("api")
    assert api is not None and api.count == 1 and api.tier == "public"


def test_merge_of_several_mappings_prefers_the_first() -> None:
    """`<<: [*a, *b]`: a key in both comes from the first, as YAML's merge type says."""
    text = "a: &a {count: 1, tier: p}\nb: &b {count: 3, type: t3.small}\ns: {<<: [*a, *b]}\n"
    assert parse(text, file="m.yaml").data["s"] == {"count": 1, "tier": "p", "type": "t3.small"}


def test_merge_keys_work_in_templates_too() -> None:
    """A CloudFormation template is read by the same reader, merge keys included."""
    text = (
        "Resources:\n  A: &a\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n"
        "  B:\n    <<: *a\n    Properties: {CidrBlock: 10.1.0.0/16}\n"
    )
    data = parse_template(text, file="t.yaml").data
    assert data["Resources"]["B"] == {
        "Type": "AWS::EC2::VPC",
        "Properties": {"CidrBlock": "10.1.0.0/16"},
    }


def test_template_alias_bomb_is_refused() -> None:
    """The template reader has the same limits as the blueprint's."""
    with pytest.raises(InputError, match="more than 200,000 values"):
        parse_template(_bomb(), file="t.yaml")


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def _undecodable(tmp_path: Path) -> Path:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"stack: demo\nregion: caf\xe9\n")
    return path


def _too_big(tmp_path: Path) -> Path:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# padding\n" * (reader.MAX_BYTES // 10 + 1))
    return path


# (case id, make the path, line or 0 for "no line", words)
FILE_CASES = [
    ("directory", lambda p: p, 0, ["is a directory, not a regular file"]),
    ("FIFO", _fifo, 0, ["is a FIFO (named pipe)"]),
    ("/dev/zero", lambda p: Path("/dev/zero"), 0, ["is a device"]),
    ("undecodable", _undecodable, 2, ["byte 0xe9 is not UTF-8", "save the file as UTF-8"]),
    ("over 4 MB", _too_big, 0, ["larger than 4 MB"]),
    ("missing", lambda p: p / "nope.yaml", 0, ["no such file", "awsarch init"]),
]


@pytest.mark.parametrize(
    ("make", "line", "words"), [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES]
)
def test_unreadable_file_is_one_line_without_blocking(
    tmp_path: Path, make: object, line: int, words: list[str]
) -> None:
    """A directory, FIFO, device, huge or undecodable file is refused at once, on one line."""
    path = str(make(tmp_path))  # type: ignore[operator]
    caught: list[BaseException] = []
    worker = threading.Thread(target=lambda: _load_into(path, caught), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "reading the file blocked"
    assert len(caught) == 1 and isinstance(caught[0], InputError), caught
    error = caught[0]
    message = str(error)
    assert error.exit_code == EXIT_INPUT and "\n" not in message and " — " in message, message
    assert message.startswith(path), message
    assert error.line == line, message
    for word in words:
        assert word in message


def _load_into(path: str, caught: list[BaseException]) -> None:
    try:
        load_file(path)
    except BaseException as exc:
        caught.append(exc)


@pytest.mark.parametrize("case", ["directory", "FIFO", "newline"])
def test_cli_prints_one_line_and_exits_2(tmp_path: Path, case: str) -> None:
    """Through the CLI: a directory gives our one line, not click's usage text; a FIFO does not
    hang; a newline in a value stays on the message's one line."""
    if case == "directory":
        path = tmp_path
    elif case == "FIFO":
        path = _fifo(tmp_path)
    else:
        path = tmp_path / "bp.yaml"
        path.write_text(_seed_with("stack: demo", 'stack: "de\\nmo"'))
    result = CliRunner().invoke(cli, ["check", str(path)])
    lines = result.stderr.splitlines()
    assert result.exit_code == EXIT_INPUT, result.output
    assert len(lines) == 1 and lines[0].startswith(f"awsarch: error: {path}"), lines
    assert "Usage:" not in result.output and "internal error" not in result.output


def test_long_lists_are_bounded_and_checked_fast() -> None:
    """A port list longer than a security group can hold is refused at its first extra item."""
    ports = ", ".join(str(p) for p in range(1, 1202))
    text = _seed_with("[80, 443]", f"[{ports}]")
    with pytest.raises(InputError) as caught:
        load_text(text, file="bp.yaml")
    _assert_one_located_line(caught.value, 21, 0, ["lists 1201 items, more than 1000"])


def test_a_list_that_needs_items_says_what_to_add() -> None:
    """An empty list where one item is needed names what to write."""
    text = "stack: demo\nservers:\n  web:\n    allow: [{ports: [], from: office}]\n"
    with pytest.raises(InputError) as caught:
        load_text(text, file="bp.yaml")
    _assert_one_located_line(caught.value, 4, 0, ["needs at least 1 item(s) — add a port number"])
