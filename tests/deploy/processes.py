"""awsarch as separate processes against an emulator in a process of its own, as on AWS.

The emulator outlives a killed `up` or `down`, like AWS would; a process is killed with SIGKILL
after it printed K finished actions, with no chance to clean up.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

AWSARCH = [sys.executable, "-m", "awsarch"]
FINISHED = "  ✓ "
"""How the progress display starts the line of a finished action."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def emulator_process() -> Iterator[str]:
    """`awsarch emulator` in a process of its own; its endpoint URL once it listens."""
    port = free_port()
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


def start(verb: str, folder: Path, endpoint: str) -> subprocess.Popen[str]:
    """`awsarch VERB --yes` in `folder` (which holds blueprint.yaml), output line by line."""
    return subprocess.Popen(
        [*AWSARCH, verb, "--yes", "--endpoint-url", endpoint],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def run(verb: str, folder: Path, endpoint: str) -> subprocess.CompletedProcess[str]:
    """`awsarch VERB --yes` to its end."""
    return subprocess.run(
        [*AWSARCH, verb, "--yes", "--endpoint-url", endpoint],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def kill_after(process: subprocess.Popen[str], finished: int) -> list[str]:
    """Read the output line by line; SIGKILL the process once `finished` actions were reported
    (or let it end by itself if it reports fewer)."""
    assert process.stdout is not None
    seen: list[str] = []
    for line in process.stdout:
        seen.append(line)
        if sum(1 for s in seen if s.startswith(FINISHED)) >= finished:
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    process.stdout.close()
    return seen


def finished_actions(lines: list[str]) -> int:
    return sum(1 for line in lines if line.startswith(FINISHED))


def finished_keys(lines: list[str]) -> list[str]:
    """`create vpc/main` for every `  ✓ create vpc/main (0.1s)` line."""
    return [
        line.removeprefix(FINISHED).rsplit(" (", 1)[0]
        for line in lines
        if line.startswith(FINISHED)
    ]


def reset(endpoint: str) -> None:
    """Forget every resource the emulator process holds."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass
