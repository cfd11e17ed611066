"""Fuzzing the readers: whatever bytes or YAML a user hands awsarch, the answer is a result or
one located line (an AwsarchError), never an internal error, in under 2 s and 200 MB.

`make test` runs about 100 examples with a fixed seed; `make fuzz` runs 10,000 (marker `fuzz`),
measures each run's time and traced memory, and prints the slowest and the largest.
"""

from __future__ import annotations

import copy
import datetime
import os
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsarch.blueprint.load import load_file
from awsarch.blueprint.seed import seed_text, three_tier_text
from awsarch.cfn.template import parse_template
from awsarch.cli.main import cli
from awsarch.errors import EXIT_TOOL, AwsarchError
from awsarch.usecases.verify import verify_file

SECONDS = 2.0
BYTES = 200 * 1024 * 1024
SEEDS = [seed_text(), three_tier_text()]
TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16, Tags: [{Key: Name, Value: !Sub "${AWS::StackName}"}]}
  Public:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, MapPublicIpOnLaunch: true}
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]
"""
NASTY = [
    "<<: *a\n",
    "<<: [*a, *b]",
    "&a ",
    "&b ",
    "*a",
    "*b",
    "!!float ",
    "!!timestamp ",
    "!!bool ",
    "!!binary ",
    "!!int ",
    "!!str ",
    "!!set ",
    "!!omap ",
    "!Ref ",
    "!GetAtt ",
    "? ",
    "---\n",
    "...\n",
    "\t",
    "{",
    "}",
    "[",
    "]",
    '"',
    "'",
    "\x00",
    "\x01",
    "\x1b[31m",
    "\u2028",
    "\x85",
    "\ufeff",
    "\r",
    "\\",
    "\\x",
    "\\u",
    "2024-13-01",
    "2024-02-30 25:61:61",
    "0b_",
    "0x_",
    "0o9",
    "1_000",
    "1e999",
    ".inf",
    ".nan",
    "-.inf",
    "~",
    "=",
    "<<",
    "9" * 4301,
    "- ",
    ": ",
    "#",
    "|\n",
    ">-\n",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "&a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    "&b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
    "[" * 200,
    "{a: " * 120,
    "- " * 150,
    "\n" + "  " * 60 + "x: 1\n",
]

_STATS: dict[str, Any] = {"runs": 0, "slowest": (0.0, ""), "largest": (0, "")}


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    """Print the figures of a measured run (make fuzz) once the module is done."""
    yield
    if _STATS["runs"]:
        seconds, slow = _STATS["slowest"]
        peak, large = _STATS["largest"]
        print(
            f"\nfuzz: {_STATS['runs']} measured runs, 0 internal errors; slowest {seconds:.3f} s"
            f" ({slow}); largest {peak / 1e6:.1f} MB traced ({large})"
        )


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _attempt(call: Callable[[], object]) -> None:
    """Any AwsarchError is a fine answer if it is one line; anything else fails the test."""
    try:
        call()
    except AwsarchError as exc:
        message = str(exc)
        assert "\n" not in message and "\r" not in message, repr(message)
        assert "\x1b" not in message and "\x00" not in message, repr(message)
        assert " — " in message, f"no fix in {message!r}"


def _run(call: Callable[[], object], label: str, measure: bool) -> None:
    if not measure:
        _attempt(call)
        return
    tracemalloc.start()
    start = time.perf_counter()
    try:
        _attempt(call)
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    if elapsed > SECONDS:  # tracemalloc slows every allocation: time it again without
        start = time.perf_counter()
        _attempt(call)
        elapsed = time.perf_counter() - start
    _STATS["runs"] += 1
    if elapsed > _STATS["slowest"][0]:
        _STATS["slowest"] = (elapsed, label)
    if peak > _STATS["largest"][0]:
        _STATS["largest"] = (peak, label)
    assert elapsed < SECONDS, f"{label}: {elapsed:.2f} s"
    assert peak < BYTES, f"{label}: {peak / 1e6:.0f} MB"


# --- strategies ----------------------------------------------------------------------------

_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()
    | st.text(max_size=16)
    | st.sampled_from(["public", "private", "isolated", "web", "main", "10.0.0.0/16", "mysql"])
    | st.dates(min_value=datetime.date(1, 1, 1))
    | st.binary(max_size=8)
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=10) | st.integers(), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(data: Any, prefix: tuple[Any, ...] = (), seen: frozenset[int] = frozenset()) -> list:
    """Every path into data, a shared value's once per place, a cycle's not followed."""
    if id(data) in seen:
        return []
    found: list[tuple[Any, ...]] = [prefix]
    seen = seen | {id(data)}
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key), seen)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _paths(value, (*prefix, i), seen)
    return found


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


@st.composite
def _structural(draw: st.DrawFn, data: Any) -> Any:
    """The document with a few values replaced, removed, or shared (which dumps as aliases)."""
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _get(data, path[:-1]), path[-1]
        action = draw(st.sampled_from(["replace", "remove", "share", "add"]))
        if action == "replace":
            parent[last] = draw(_VALUES)
        elif action == "remove":
            del parent[last]
        elif action == "share":  # the same object twice: yaml.dump writes &id001 / *id001
            parent[last] = _get(data, draw(st.sampled_from(paths)))
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(_VALUES)
        else:
            parent.append(draw(_VALUES))
    return data


def _dump(data: Any, flow: bool) -> str:
    try:
        return yaml.safe_dump(data, default_flow_style=flow, sort_keys=False, allow_unicode=True)
    except (yaml.YAMLError, RecursionError):  # a value shared into itself: no text for it
        return "stack: demo\n"


@st.composite
def _textual(draw: st.DrawFn, text: str) -> str:
    """The text with a few nasty fragments inserted, or a span deleted or repeated."""
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "insert", "delete", "repeat"]))
        if action == "insert":
            fragment = draw(st.sampled_from(NASTY) | st.text(max_size=6))
            text = text[:at] + fragment + text[at:]
        else:
            end = min(len(text), at + draw(st.integers(1, 80)))
            text = text[:at] + (text[at:end] * 2 if action == "repeat" else "") + text[end:]
    return text


@st.composite
def blueprints(draw: st.DrawFn) -> str:
    """Valid-ish blueprints: the seeds, mutated in structure, then in text."""
    source = yaml.safe_load(draw(st.sampled_from(SEEDS)))
    text = _dump(draw(_structural(source)), draw(st.booleans()))
    return str(draw(_textual(text)))


@st.composite
def templates(draw: st.DrawFn) -> str:
    return str(draw(_textual(TEMPLATE)))


@st.composite
def raw_bytes(draw: st.DrawFn) -> bytes:
    """Arbitrary bytes, or a seed's bytes with a few flipped, inserted or cut off."""
    if draw(st.booleans()):
        return bytes(draw(st.binary(max_size=400)))
    data = bytearray(draw(st.sampled_from(SEEDS)).encode())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "truncate"]))
        if action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[at:]
    return bytes(data)


# --- targets -------------------------------------------------------------------------------


def _blueprint_target(scratch: Path, text: str, measure: bool) -> None:
    path = scratch / "blueprint.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _run(lambda: verify_file(str(path)), f"blueprint of {len(text)} chars", measure)


def _bytes_target(scratch: Path, data: bytes, measure: bool) -> None:
    path = scratch / "bytes.yaml"
    path.write_bytes(data)
    _run(lambda: load_file(str(path)), f"{len(data)} bytes", measure)


def _template_target(text: str, measure: bool) -> None:
    _run(lambda: parse_template(text, file="t.yaml"), f"template of {len(text)} chars", measure)


def _cli_target(scratch: Path, text: str) -> None:
    """Through the CLI: an exit code that is not 'the tool failed', at most one error line."""
    path = scratch / "cli.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code != EXIT_TOOL and "internal error" not in result.output, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("awsarch: error")]
    assert len(errors) <= 1 and len(result.stderr.splitlines()) == len(errors), result.stderr


QUICK = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10000"))
"""Examples of `make fuzz`, shared among its four targets."""


def _long(share: float) -> settings:
    return settings(
        QUICK,
        max_examples=max(1, int(EXAMPLES * share)),
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )


@QUICK
@given(text=blueprints())
def test_mutated_blueprints_never_fail_inside(scratch: Path, text: str) -> None:
    """A mutated blueprint checks, or is refused in one line; never an internal error."""
    _blueprint_target(scratch, text, measure=False)


@QUICK
@given(data=raw_bytes())
def test_raw_bytes_never_fail_inside(scratch: Path, data: bytes) -> None:
    """Any bytes in a blueprint file load, or are refused in one line."""
    _bytes_target(scratch, data, measure=False)


@settings(QUICK, max_examples=25)
@given(text=templates())
def test_mutated_templates_never_fail_inside(text: str) -> None:
    """A mutated CloudFormation template parses, or is refused in one line."""
    _template_target(text, measure=False)


@settings(QUICK, max_examples=10)
@given(text=blueprints())
def test_cli_check_never_fails_inside(scratch: Path, text: str) -> None:
    """`awsarch check` on a mutated blueprint exits 0, 2 or 3 with at most one error line."""
    _cli_target(scratch, text)


@pytest.mark.fuzz
@_long(0.45)
@given(text=blueprints())
def test_fuzz_blueprints(scratch: Path, text: str) -> None:
    """make fuzz: mutated blueprints, each under 2 s and 200 MB."""
    _blueprint_target(scratch, text, measure=True)


@pytest.mark.fuzz
@_long(0.35)
@given(data=raw_bytes())
def test_fuzz_bytes(scratch: Path, data: bytes) -> None:
    """make fuzz: raw bytes, each under 2 s and 200 MB."""
    _bytes_target(scratch, data, measure=True)


@pytest.mark.fuzz
@_long(0.15)
@given(text=templates())
def test_fuzz_templates(text: str) -> None:
    """make fuzz: mutated templates, each under 2 s and 200 MB."""
    _template_target(text, measure=True)


@pytest.mark.fuzz
@_long(0.05)
@given(text=blueprints())
def test_fuzz_cli(scratch: Path, text: str) -> None:
    """make fuzz: `awsarch check` on mutated blueprints."""
    _cli_target(scratch, text)
