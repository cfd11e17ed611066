"""Fixtures for the deploy tests: a clean emulator and the CLI run in this process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from awsarch.adapters.emulator import Emulator
from awsarch.cli.main import cli
from tests.deploy.census import write_seed


def awsarch(*args: str, endpoint: str) -> Result:
    """`awsarch ARGS --endpoint-url ENDPOINT`, through click's runner, in this process."""
    verb, *rest = args
    return CliRunner().invoke(cli, [verb, *rest, "--endpoint-url", endpoint])


@pytest.fixture
def endpoint(emulator: Emulator) -> Iterator[str]:
    """The session's emulator, emptied before and after the test (moto names automated
    snapshots by the minute, so a database recreated after a `down` needs a fresh emulator)."""
    emulator.reset()
    yield emulator.endpoint_url
    emulator.reset()


@pytest.fixture
def blueprint(tmp_path: Path) -> str:
    """The seed blueprint, as `awsarch init` writes it."""
    return str(write_seed(tmp_path))
