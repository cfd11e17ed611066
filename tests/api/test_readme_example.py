"""The README's Python API examples run as shown and print what their comments say."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from awsarch.adapters.emulator import Emulator
from awsarch.blueprint.seed import seed_text

README = Path(__file__).resolve().parents[2] / "README.md"
SHOWN_ENDPOINT = "http://127.0.0.1:4566"


def _examples() -> list[str]:
    """The ```python blocks of the README's "Python API" section, in order."""
    section = README.read_text(encoding="utf-8").split("\n## Python API\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    return [block.split("```", 1)[0] for block in section.split("```python\n")[1:]]


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """A folder holding the seed as blueprint.yaml (what `awsarch init` writes), made current."""
    (tmp_path / "blueprint.yaml").write_text(seed_text(), encoding="utf-8")
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


def _run(code: str) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(README), "exec"), {"__name__": "readme"})
    return out.getvalue().splitlines()


def test_the_readme_shows_two_examples() -> None:
    """One without AWS, one against the emulator."""
    assert len(_examples()) == 2


def test_the_check_example_prints_proofs_and_answers(folder: Path) -> None:
    """Checking the seed prints no finding, seven proofs that hold, and the two answers."""
    lines = _run(_examples()[0])
    assert [line[0] for line in lines[:7]] == ["✓"] * 7
    assert lines[7].startswith("True unreachable (0 of 2 placements); first blocked at sg/web")
    assert lines[8] == "reachable 4"


def test_the_plan_example_plans_a_new_stack_as_creations(folder: Path, emulator: Emulator) -> None:
    """Against the emulator, a stack not yet built plans as 21 creations, in order."""
    emulator.reset()
    try:
        lines = _run(_examples()[1].replace(SHOWN_ENDPOINT, emulator.endpoint_url))
    finally:
        emulator.reset()
    assert lines[0] == "{'create': 21, 'update': 0, 'replace': 0, 'delete': 0}"
    assert lines[1] == "create vpc/main after nothing"
    assert len(lines) > 21
