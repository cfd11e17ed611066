"""One emulator through several `up`/`down` cycles of the seed: what it holds stays bounded."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from awsarch.adapters import emulator as emulator_module
from awsarch.adapters.emulator import TIME_SCALE, Emulator
from awsarch.adapters.emulator.behaviours.backends import ec2_backend
from awsarch.adapters.emulator.behaviours.deleted_resources import AWS_SECONDS
from tests.deploy.census import REGION, client, write_seed
from tests.deploy.conftest import awsarch


class Jumps:
    """Real monotonic time, plus whatever the test skips ahead."""

    def __init__(self) -> None:
        self.skipped = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.skipped


@pytest.fixture
def running(fake_aws_env: None) -> Iterator[tuple[Emulator, Jumps]]:
    clock = Jumps()
    started = emulator_module.start(clock=clock)
    started.reset()
    try:
        yield started, clock
    finally:
        started.reset()
        started.stop()


def _instances(endpoint: str) -> int:
    reservations = client("ec2", endpoint).describe_instances()["Reservations"]
    return sum(len(r["Instances"]) for r in reservations)


def test_cycles_leave_nothing_behind_after_an_hour(
    running: tuple[Emulator, Jumps], tmp_path: Path
) -> None:
    """After each `down` and an emulated hour, no instance is listed, and the tag store and the
    network ACLs hold what they held after the first cycle: the next cycle scans no more."""
    started, clock = running
    blueprint = str(write_seed(tmp_path))
    kept: list[tuple[int, int]] = []
    for _ in range(2):  # growth shows from the second cycle on (5 tags, then 10)
        for verb in ("up", "down"):
            result = awsarch(verb, blueprint, "--yes", endpoint=started.endpoint_url)
            assert result.exit_code == 0, result.output
        clock.skipped += AWS_SECONDS * TIME_SCALE
        assert _instances(started.endpoint_url) == 0
        acls = client("ec2", started.endpoint_url).describe_network_acls()["NetworkAcls"]
        kept.append((len(ec2_backend(REGION).tags), len(acls)))
    assert kept[0] == kept[1], kept
