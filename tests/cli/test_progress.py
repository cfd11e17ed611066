"""The progress of an apply counts what runs, not what waits in the queue."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from awsarch.cli import progress as progress_module
from awsarch.cli.progress import Progress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(progress_module.time, "monotonic", fake)
    monkeypatch.setenv("NO_COLOR", "1")
    return fake


def event(kind: str, key: str, seconds: float = 0.0) -> Any:
    return SimpleNamespace(kind=kind, action=SimpleNamespace(key=key), seconds=seconds, error="")


def test_only_the_first_parallel_actions_run_the_rest_are_queued(
    clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    """Four actions handed to two workers: two run, two wait, and only those two say `…`."""
    progress = Progress(4, parallel=2, live=False)
    for key in "abcd":
        progress(event("start", key))
    assert set(progress.running) == {"a", "b"}
    assert progress.queued == 2
    assert capsys.readouterr().out.split() == ["…", "a", "…", "b"]


def test_a_finished_action_lets_the_next_one_start_and_times_only_its_run(
    clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    """When `a` ends, `c` leaves the queue; `c`'s time counts from then, not from hand-over."""
    progress = Progress(3, parallel=2, live=False)
    for key in "abc":
        progress(event("start", key))
    clock.now = 10.0
    progress(event("done", "a", seconds=10.0))
    clock.now = 12.0
    progress(event("done", "c", seconds=12.0))
    lines = capsys.readouterr().out.splitlines()
    assert lines[2:] == ["  ✓ a (10.0s)", "  … c", "  ✓ c (2.0s)"]
    assert set(progress.running) == {"b"}
    assert progress.queued == 0


def test_the_status_line_says_running_and_queued(
    clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a terminal: `[done/total done] N running, M queued, waiting on the oldest`."""
    progress = Progress(5, parallel=2, live=True)
    for key in "abc":
        progress(event("start", key))
    clock.now = 7.0
    progress.note("retrying")
    assert "[0/5 done] 2 running, 1 queued, waiting on a (7s)" in capsys.readouterr().out


def test_without_a_width_every_handed_action_runs(clock: Clock) -> None:
    """No `parallel` given: the old reading (everything handed over runs)."""
    progress = Progress(3, live=False)
    for key in "abc":
        progress(event("start", key))
    assert progress.queued == 0
    assert len(progress.running) == 3
