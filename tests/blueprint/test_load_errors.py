"""Every input error is one line naming FILE:LINE:COL, what is wrong and what to do."""

from __future__ import annotations

import re

import pytest

from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text
from awsarch.errors import InputError


def _seed_with(old: str, new: str) -> str:
    text = seed_text()
    assert old in text, old
    return text.replace(old, new, 1)


def _database_named(name: str) -> str:
    """The seed with its database renamed everywhere it is named."""
    return re.sub(r"\bmain\b", name, seed_text())


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


# (case id, broken text, fragment on the expected line, words the message must hold)
CASES = [
    (
        "unknown key",
        _seed_with("multi_az: true", "multi_ax: true"),
        "multi_ax",
        ["unknown key 'multi_ax'", "did you mean 'multi_az'"],
    ),
    ("unknown top key", _seed_with("region:", "regoin:"), "regoin", ["did you mean 'region'"]),
    (
        "wrong type",
        _seed_with("count: 2", "count: two"),
        "count: two",
        ["servers.web.count must be a whole number, not text"],
    ),
    (
        "bool expected",
        _seed_with("multi_az: true", "multi_az: 2"),
        "multi_az: 2",
        ["must be true or false"],
    ),
    (
        "bad cidr",
        _seed_with("cidr: 10.0.0.0/16", "cidr: 10.0.0.0/33"),
        "10.0.0.0/33",
        ["is not a valid CIDR"],
    ),
    (
        "host bits set",
        _seed_with("cidr: 10.0.0.0/16", "cidr: 10.0.1.0/16"),
        "10.0.1.0/16",
        ["did you mean 10.0.0.0/16"],
    ),
    ("port too big", _seed_with("[80, 443]", "[80, 70000]"), "70000", ["outside 0–65535"]),
    ("negative port", _seed_with("[80, 443]", "[-1, 443]"), "[-1, 443]", ["outside 0–65535"]),
    (
        "unknown tier",
        _seed_with("tier: private", "tier: privat"),
        "tier: privat",
        ["no tier named 'privat'", "did you mean 'private'"],
    ),
    (
        "unknown group",
        _seed_with("allow_from: [web]", "allow_from: [wbe]"),
        "allow_from",
        ["no server group named 'wbe'", "did you mean 'web'"],
    ),
    (
        "unknown secret",
        _seed_with("read_secrets: [main]", "read_secrets: [mian]"),
        "read_secrets",
        ["no database named 'mian'"],
    ),
    (
        "vpc too small",
        _seed_with("cidr: 10.0.0.0/16", "cidr: 10.0.0.0/28"),
        "10.0.0.0/28",
        ["too small", "larger network.cidr"],
    ),
    (
        "too many azs",
        _seed_with("azs: 2", "azs: 5"),
        "azs: 5",
        ["ap-northeast-2 has 4 availability zones", "set network.azs to 4 or fewer"],
    ),
    (
        "unknown region",
        _seed_with("region: ap-northeast-2", "region: ap-northeast-9"),
        "region:",
        ["unknown region 'ap-northeast-9'"],
    ),
    (
        "bad choice",
        _seed_with("nat: single", "nat: singel"),
        "nat: singel",
        ["did you mean 'single'"],
    ),
    (
        "bad engine",
        _seed_with("engine: mysql", "engine: mysq"),
        "engine: mysq",
        ["did you mean 'mysql'"],
    ),
    ("duplicate key", _seed_with("  azs: 2", "  azs: 2\n  azs: 3"), "azs: 3", ["appears twice"]),
    ("yaml syntax", _seed_with("stack: demo", "stack: [demo"), "stack: [demo", ["invalid YAML"]),
    (
        "explicit cidr outside",
        _seed_with("public: public", "public: {kind: public, cidrs: [10.1.0.0/24, 10.0.1.0/24]}"),
        "10.1.0.0/24",
        ["outside the VPC"],
    ),
    (
        "explicit cidr overlaps",
        _seed_with(
            "private: private", "private: {kind: private, cidrs: [10.0.0.0/24, 10.0.9.0/24]}"
        ),
        "10.0.0.0/24, 10.0.9.0/24",
        ["overlaps"],
    ),
    (
        "nat without public tier",
        _seed_with("public: public", "edge: isolated"),
        "nat: single",
        ["needs a public tier"],
    ),
    ("bad name", _seed_with("  web:", "  Web_Server:"), "Web_Server", ["is not a valid name"]),
    (
        "stack ends with a hyphen",
        _seed_with("stack: demo", "stack: edge-"),
        "stack: edge-",
        ["stack 'edge-' would name RDS databases like 'edge--main'", "e.g. 'edge'"],
    ),
    (
        "stack holds two hyphens",
        _seed_with("stack: demo", "stack: a--b"),
        "stack: a--b",
        ["stack 'a--b'", "hold no '--'", "e.g. 'a-b'"],
    ),
    (
        "database ends with a hyphen",
        _database_named("maindb-"),
        "  maindb-:",
        ["RDS database identifier 'demo-maindb-' ends with '-'", "rename 'maindb-'"],
    ),
    (
        "database holds two hyphens",
        _database_named("main--db"),
        "  main--db:",
        ["RDS database identifier 'demo-main--db' holds '--'"],
    ),
]


@pytest.mark.parametrize(
    ("text", "fragment", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_input_error_names_line_and_fix(text: str, fragment: str, words: list[str]) -> None:
    """A broken blueprint is refused with its line, what is wrong and what to do."""
    with pytest.raises(InputError) as caught:
        load_text(text, file="blueprint.yaml")
    error = caught.value
    assert error.file == "blueprint.yaml"
    assert error.line == _line_of(text, fragment), str(error)
    assert " — " in str(error), "every message says what to do"
    assert "\n" not in str(error)
    for word in words:
        assert word in str(error)


def test_empty_blueprint_is_refused() -> None:
    """An empty file is an input error that says how to start."""
    with pytest.raises(InputError, match="awsarch init"):
        load_text("# nothing yet\n", file="blueprint.yaml")


def test_seed_loads_with_defaults() -> None:
    """The seed blueprint loads and keeps what the user wrote."""
    blueprint = load_text(seed_text(), file="seed.yaml").blueprint
    assert blueprint.region == "ap-northeast-2"
    assert [t.kind for t in blueprint.network.tiers] == ["public", "private"]
    assert blueprint.databases[0].allow_from == ("web",)
    assert blueprint.servers[0].public_ports == (80, 443)


def test_sections_left_out_take_their_defaults() -> None:
    """A blueprint of one line is the seed's network with nothing in it."""
    blueprint = load_text("stack: tiny\n", file="tiny.yaml").blueprint
    assert blueprint.network.cidr == "10.0.0.0/16" and blueprint.network.azs == 2
    assert [t.name for t in blueprint.network.tiers] == ["public", "private"]
