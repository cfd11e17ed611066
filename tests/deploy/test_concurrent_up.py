"""Three `awsarch up --yes` of one blueprint started at the same moment, as separate processes:
the stack lock lets exactly one act; the others refuse naming it, and nothing is duplicated.

`make test` runs a few trials; `pytest -m soak` runs 30 and prints the figures.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from awsarch.adapters.emulator import Emulator
from tests.deploy import processes
from tests.deploy.census import seed_names, take, write_seed
from tests.deploy.lock_support import LOCK, parameter

RUNS = 3


@dataclass(frozen=True, kw_only=True)
class Trial:
    acted: int
    """Runs that got the lock and printed a plan."""
    refused: int
    """Runs that exited 1 naming the holder of the lock."""
    duplicates: int
    """Live resources beyond one per blueprint name, plus any missing."""
    seconds: float
    outputs: tuple[str, ...]


def _trial(endpoint: str, folder: Path) -> Trial:
    started = time.monotonic()
    runs = [
        subprocess.Popen(
            [*processes.AWSARCH, "up", "--yes", "--endpoint-url", endpoint],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(RUNS)
    ]
    outputs = tuple(run.communicate(timeout=600)[0] for run in runs)
    codes = [run.returncode for run in runs]
    live = take(endpoint).names
    wanted = seed_names()
    return Trial(
        acted=sum(1 for o, c in zip(outputs, codes, strict=True) if c == 0 and "plan:" in o),
        refused=sum(
            1 for o, c in zip(outputs, codes, strict=True) if c == 1 and "is locked by" in o
        ),
        duplicates=sum(((live - wanted) + (wanted - live)).values()),
        seconds=time.monotonic() - started,
        outputs=outputs,
    )


def _run_trials(emulator: Emulator, folder: Path, count: int) -> list[Trial]:
    write_seed(folder)
    trials = []
    for _ in range(count):
        emulator.reset()
        trial = _trial(emulator.endpoint_url, folder)
        trials.append(trial)
        assert parameter(emulator.endpoint_url, LOCK) is None, "the winner left its lock"
    emulator.reset()
    return trials


def _assert_once(trials: list[Trial]) -> None:
    for number, trial in enumerate(trials, 1):
        detail = f"trial {number}:\n" + "\n---\n".join(trial.outputs)
        assert (trial.acted, trial.refused, trial.duplicates) == (1, RUNS - 1, 0), detail


def test_three_simultaneous_ups_act_once(emulator: Emulator, tmp_path: Path) -> None:
    """Three people running `up` of one blueprint at once get one stack: one run builds it,
    the other two stop at once naming who holds the lock, and no resource is duplicated."""
    _assert_once(_run_trials(emulator, tmp_path, count=2))


@pytest.mark.soak
def test_three_simultaneous_ups_act_once_in_30_trials(emulator: Emulator, tmp_path: Path) -> None:
    """The same, 30 times in a row: the lock never lets two runs act."""
    trials = _run_trials(emulator, tmp_path, count=30)
    figures = Counter((t.acted, t.refused, t.duplicates) for t in trials)
    slowest = max(t.seconds for t in trials)
    print(
        f"\nconcurrent up: {len(trials)} trials of {RUNS} runs;"
        f" (acted, refused, duplicates) → trials: {dict(figures)}; slowest {slowest:.1f} s"
    )
    _assert_once(trials)
