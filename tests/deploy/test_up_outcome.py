"""`up` and `down` end with the truth: drift left after `up` is exit 3, and a failed `down`
says to run `down` again."""

from __future__ import annotations

from typing import Any

import pytest

from tests.deploy.conftest import awsarch
from tests.deploy.lock_support import LOCK, parameter
from tests.deploy.test_faults_api import FailFirst, _on_every_client


def test_up_exits_3_and_lists_what_still_differs(
    endpoint: str, blueprint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When what is live still differs from the blueprint after applying (here: every action
    silently did nothing), `up` lists what remains and exits 3 instead of claiming success."""

    def did_nothing(*_: Any) -> None:
        return None

    monkeypatch.setattr("awsarch.adapters.aws.apply._run", did_nothing)
    result = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 3, result.output
    assert "after applying," in result.output and "changes remain" in result.output
    assert "+ create vpc/main" in result.output.split("after applying,", 1)[1]
    assert parameter(endpoint, LOCK) is None


def test_a_failed_down_says_to_run_down_again(
    endpoint: str, blueprint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `down` stopped by a failing action names `awsarch down` as the way to resume."""
    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
    _on_every_client(monkeypatch, FailFirst("DeleteSubnet", "UnsupportedOperation", times=99))
    result = awsarch("down", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 1, result.output
    assert "run `awsarch down` again: it resumes where this stopped" in result.output
    assert parameter(endpoint, LOCK) is None
