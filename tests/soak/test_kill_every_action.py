"""`up` and `down` killed with SIGKILL after every action index in turn, then run again.

Not random: for a plan of N actions, each K in 1..N-1 is one trial. After each, the re-run must
converge (exactly one of each resource, nothing orphaned) and a database must never be gone
without its final snapshot. `make soak` runs this and prints the figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy import processes
from tests.deploy.census import STACK, assert_converged, client, take, write_seed

pytestmark = pytest.mark.soak


@pytest.fixture(scope="module")
def separate_emulator() -> Iterator[str]:
    with processes.emulator_process() as endpoint:
        yield endpoint


def _actions_of(verb: str, folder: Path, endpoint: str) -> int:
    done = processes.run(verb, folder, endpoint)
    assert done.returncode == 0, done.stdout + done.stderr
    return processes.finished_actions(done.stdout.splitlines(keepends=True))


def _final_snapshots(endpoint: str) -> list[str]:
    snapshots = client("rds", endpoint).describe_db_snapshots(SnapshotType="manual")
    return [
        s["DBSnapshotIdentifier"]
        for s in snapshots["DBSnapshots"]
        if s["DBSnapshotIdentifier"].startswith(f"{STACK}-main-final-")
    ]


def _database_gone(endpoint: str) -> bool:
    live = client("rds", endpoint).describe_db_instances()["DBInstances"]
    return not [d for d in live if d["DBInstanceIdentifier"] == f"{STACK}-main"]


def test_up_killed_after_every_action_index_converges(
    separate_emulator: str, tmp_path: Path
) -> None:
    """Whatever action `up` dies after, the next `up` finishes the stack with no duplicate and
    no orphan."""
    write_seed(tmp_path)
    processes.reset(separate_emulator)
    total = _actions_of("up", tmp_path, separate_emulator)
    converged = 0
    for finished in range(1, total):
        processes.reset(separate_emulator)
        seen = processes.kill_after(processes.start("up", tmp_path, separate_emulator), finished)
        rerun = processes.run("up", tmp_path, separate_emulator)
        assert rerun.returncode == 0, f"K={finished}\n" + "".join(seen) + rerun.stdout
        assert_converged(separate_emulator)
        converged += 1
    print(
        f"\nup killed after each of {total - 1} action indexes (plan of {total}):"
        f" {converged}/{total - 1} re-runs converged, 0 duplicates, 0 orphans"
    )


def test_down_killed_after_every_action_index_leaves_nothing(
    separate_emulator: str, tmp_path: Path
) -> None:
    """Whatever action `down` dies after, the next `down` leaves nothing tagged, and the database
    is gone only after its final snapshot was taken."""
    write_seed(tmp_path)
    processes.reset(separate_emulator)
    assert processes.run("up", tmp_path, separate_emulator).returncode == 0
    total = _actions_of("down", tmp_path, separate_emulator)
    clean = 0
    for finished in range(1, total):
        processes.reset(separate_emulator)
        up = processes.run("up", tmp_path, separate_emulator)
        assert up.returncode == 0, up.stdout + up.stderr
        seen = processes.kill_after(processes.start("down", tmp_path, separate_emulator), finished)
        if _database_gone(separate_emulator):
            assert _final_snapshots(separate_emulator), f"K={finished}: deleted, no snapshot"
        rerun = processes.run("down", tmp_path, separate_emulator)
        assert rerun.returncode == 0, f"K={finished}\n" + "".join(seen) + rerun.stdout
        census = take(separate_emulator)
        assert not census.names and not census.volumes, f"K={finished}: {census}"
        assert _final_snapshots(separate_emulator), f"K={finished}: no final snapshot"
        clean += 1
    print(
        f"\ndown killed after each of {total - 1} action indexes (plan of {total}):"
        f" {clean}/{total - 1} re-runs left nothing tagged, every database snapshotted first"
    )
