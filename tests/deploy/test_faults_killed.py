"""An `up` process killed with SIGKILL part-way converges when it is run again.

The emulator runs in its own process (`awsarch emulator`), so it outlives the killed `up`, like
AWS would; `up` is killed after it printed K finished actions, with no chance to clean up.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.census import assert_converged, write_seed

AWSARCH = [sys.executable, "-m", "awsarch"]
FINISHED = "  ✓ "


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def separate_emulator() -> Iterator[str]:
    """`awsarch emulator` in a process of its own; its endpoint URL once it listens."""
    port = _free_port()
    process = subprocess.Popen(
        [*AWSARCH, "emulator", "--port", str(port), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert "listening on" in banner, banner
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _up(folder: Path, endpoint: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*AWSARCH, "up", "--yes", "--endpoint-url", endpoint],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _kill_after(process: subprocess.Popen[str], finished: int) -> list[str]:
    """Read `up`'s output line by line; SIGKILL it once `finished` actions were reported."""
    assert process.stdout is not None
    seen: list[str] = []
    for line in process.stdout:
        seen.append(line)
        if sum(1 for s in seen if s.startswith(FINISHED)) >= finished:
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=30)
    process.stdout.close()
    return seen


@pytest.mark.parametrize("finished", [1, 6, 13])
def test_up_killed_after_k_actions_converges_on_rerun(
    finished: int, separate_emulator: str, tmp_path: Path
) -> None:
    """`up` killed with SIGKILL after K finished actions: the next `up` completes the stack
    with exactly one of each resource and nothing orphaned."""
    _reset(separate_emulator)
    write_seed(tmp_path)
    killed = _up(tmp_path, separate_emulator)
    seen = _kill_after(killed, finished)
    assert killed.returncode == -signal.SIGKILL, "".join(seen)
    assert not any("proving the blueprint" in line for line in seen)  # killed mid-apply

    rerun = subprocess.run(
        [*AWSARCH, "up", "--yes", "--endpoint-url", separate_emulator],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert rerun.returncode == 0, "".join(seen) + rerun.stdout + rerun.stderr
    assert "create vpc/main" not in rerun.stdout  # the killed run had got that far
    assert_converged(separate_emulator)


def _reset(endpoint: str) -> None:
    import urllib.request

    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass
