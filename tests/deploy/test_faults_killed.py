"""An `up` process killed with SIGKILL part-way converges when it is run again.

The emulator runs in its own process (`awsarch emulator`), so it outlives the killed `up`, like
AWS would; `up` is killed after it printed K finished actions, with no chance to clean up.
Every action index in turn, for `up` and for `down`, is in tests/soak (`make soak`).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy import processes
from tests.deploy.census import assert_converged, write_seed


@pytest.fixture(scope="module")
def separate_emulator() -> Iterator[str]:
    with processes.emulator_process() as endpoint:
        yield endpoint


@pytest.mark.parametrize(
    "finished", [6, *(pytest.param(k, marks=pytest.mark.soak) for k in (1, 13))]
)
def test_up_killed_after_k_actions_converges_on_rerun(
    finished: int, separate_emulator: str, tmp_path: Path
) -> None:
    """`up` killed with SIGKILL after K finished actions: the next `up` completes the stack
    with exactly one of each resource and nothing orphaned."""
    processes.reset(separate_emulator)
    write_seed(tmp_path)
    killed = processes.start("up", tmp_path, separate_emulator)
    seen = processes.kill_after(killed, finished)
    assert killed.returncode == -signal.SIGKILL, "".join(seen)
    assert not any("proving the blueprint" in line for line in seen)  # killed mid-apply

    rerun = processes.run("up", tmp_path, separate_emulator)
    assert rerun.returncode == 0, "".join(seen) + rerun.stdout + rerun.stderr
    for done in processes.finished_keys(seen):  # what the killed run did is not done again
        assert f"+ {done}" not in rerun.stdout, (done, rerun.stdout)
    assert_converged(separate_emulator)
