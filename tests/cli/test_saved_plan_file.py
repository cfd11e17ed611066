"""`up FILE` reads FILE once, through the bounded reader: never a hang, never a traceback."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from awsarch.cli.plan_file import FORMAT, saved_plan
from awsarch.errors import InputError


def test_a_fifo_is_one_error_line_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    raised: list[BaseException] = []
    reader = threading.Thread(target=lambda: _catch(raised, str(fifo)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert isinstance(raised[0], InputError) and "\n" not in str(raised[0])


def test_a_damaged_plan_is_one_error_line(tmp_path: Path) -> None:
    damaged = tmp_path / "plan.json"
    damaged.write_text(json.dumps({"format": FORMAT, "stack": "demo"}), encoding="utf-8")
    with pytest.raises(InputError, match="not a complete awsarch plan"):
        saved_plan(str(damaged))


def test_a_blueprint_or_other_json_is_not_a_plan(tmp_path: Path) -> None:
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text("stack: demo\n", encoding="utf-8")
    other = tmp_path / "other.json"
    other.write_text('{"format": "something else"', encoding="utf-8")
    assert saved_plan(str(blueprint)) is None
    assert saved_plan(str(other)) is None


def _catch(raised: list[BaseException], path: str) -> None:
    try:
        saved_plan(path)
    except BaseException as exc:  # the test looks at what was raised
        raised.append(exc)
