"""The emulator the IAM lifecycle tests share a module's worth of: every behaviour on, IAM
enforced as AWS enforces it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from awsarch.adapters import emulator as emulator_module
from awsarch.adapters.emulator import Emulator


@pytest.fixture(scope="module")
def enforcing() -> Iterator[Emulator]:
    running = emulator_module.start()
    assert "iam_enforcement" in running.behaviours
    try:
        yield running
    finally:
        running.stop()
