"""Declining `up`'s question says that nothing changed, and exits 1 (as Terraform does)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from awsarch.adapters.emulator import Emulator
from awsarch.blueprint.seed import seed_text
from tests.deploy.census import client


def _read_until(fd: int, text: str, seen: bytearray, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise AssertionError(f"no {text!r} in {seen.decode(errors='replace')!r}")
        seen += os.read(fd, 65536)


def _read_rest(fd: int, seen: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal closes when the process ends
            return
        if not chunk:
            return
        seen += chunk


def test_answering_no_prints_nothing_changed_and_exits_1(
    emulator: Emulator, tmp_path: Path
) -> None:
    """A person at a terminal answers `n`: one line says nothing changed; the exit code is 1."""
    emulator.reset()
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(seed_text())
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "awsarch", "up", str(blueprint)]
    with subprocess.Popen(
        [*command, "--endpoint-url", emulator.endpoint_url],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "NO_COLOR": "1"},
    ) as process:
        os.close(follower)
        seen = bytearray()
        _read_until(leader, "apply these", seen)
        os.write(leader, b"n\n")
        _read_rest(leader, seen)
        code = process.wait(timeout=60)
    os.close(leader)
    assert code == 1
    assert "up cancelled: nothing changed" in seen.decode()
    vpcs = client("ec2", emulator.endpoint_url).describe_vpcs(
        Filters=[{"Name": "tag:awsarch:stack", "Values": ["demo"]}]
    )["Vpcs"]
    assert vpcs == []
