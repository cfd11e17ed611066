"""`up` and `down` hold a lock on the stack in the account: a second run refuses, naming the
holder, and the lock is given back however the run ends."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from awsarch.cli.main import cli
from tests.deploy.census import assert_converged, take
from tests.deploy.conftest import awsarch
from tests.deploy.lock_support import LOCK, parameter, plant_lock
from tests.deploy.test_faults_api import FailFirst, _on_every_client


def test_a_held_lock_refuses_up_naming_the_holder_and_creates_nothing(
    endpoint: str, blueprint: str
) -> None:
    """While another run holds the lock, `up` stops at once with one line naming who holds
    it (user, host, process), and creates nothing."""
    plant_lock(endpoint)
    result = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 1, result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("awsarch: error: stack demo is locked by")
    assert "user/carol (pid 4242 on build-7)" in line and "`awsarch up`" in line
    assert take(endpoint).total == 0
    assert parameter(endpoint, LOCK) is not None  # someone else's: left alone


def test_down_refuses_a_held_lock_too(endpoint: str, blueprint: str) -> None:
    """`down` waits its turn like `up`: a held lock refuses it before anything is deleted."""
    plant_lock(endpoint)
    result = awsarch("down", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 1, result.output
    assert "locked by arn:aws:iam::123456789012:user/carol" in result.output


def test_unlock_removes_a_dead_holders_lock_naming_it(endpoint: str, blueprint: str) -> None:
    """`awsarch unlock FILE --yes` deletes the lock and says whose lock it removed."""
    plant_lock(endpoint)
    result = awsarch("unlock", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 0, result.output
    assert "removed the lock of stack demo held by arn:aws:iam::123456789012:user/carol" in (
        result.output
    )
    assert parameter(endpoint, LOCK) is None
    again = awsarch("unlock", blueprint, "--yes", endpoint=endpoint)
    assert again.exit_code == 0 and "not locked" in again.output


def test_unlock_asks_first_and_refuses_without_a_terminal(endpoint: str, blueprint: str) -> None:
    """Without --yes on a non-interactive input, `unlock` removes nothing."""
    plant_lock(endpoint)
    result = awsarch("unlock", blueprint, endpoint=endpoint)
    assert result.exit_code == 2, result.output
    assert parameter(endpoint, LOCK) is not None


def test_an_expired_lock_is_taken_over_and_released(endpoint: str, blueprint: str) -> None:
    """A lock past its expiry belongs to a run that is gone: `up` says it takes it over, builds
    the stack, and gives the lock back."""
    plant_lock(endpoint, hours=-1)
    result = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 0, result.output
    assert "taking over the lock of stack demo from arn:aws:iam::123456789012:user/carol" in (
        result.output
    )
    assert "expired at" in result.output
    assert parameter(endpoint, LOCK) is None
    assert_converged(endpoint)


def test_a_dead_process_on_this_host_loses_its_lock(endpoint: str, blueprint: str) -> None:
    """A lock whose process died on this very host (kill -9) is taken over by the next run."""
    import socket

    plant_lock(endpoint, host=socket.gethostname(), pid=2**22 + 7)  # above Linux's pid_max
    result = awsarch("plan", blueprint, "--live", endpoint=endpoint)
    assert result.exit_code == 0, result.output  # plan --live reads, and takes no lock
    result = awsarch("down", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 0, result.output
    assert f"process {2**22 + 7} on this host is gone" in result.output
    assert parameter(endpoint, LOCK) is None


def test_the_lock_is_released_after_a_failed_action(
    endpoint: str, blueprint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When an action fails, `up` stops and gives the lock back: the next run is not blocked."""
    _on_every_client(monkeypatch, FailFirst("CreateSubnet", "UnsupportedOperation", times=99))
    result = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 1, result.output
    assert "run `awsarch up` again" in result.output
    assert parameter(endpoint, LOCK) is None


def test_the_lock_is_released_after_the_user_declines(
    endpoint: str, blueprint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answering no to `apply these changes?` leaves nothing behind, the lock included."""
    monkeypatch.setattr(
        "awsarch.cli.stack.sys", SimpleNamespace(stdin=SimpleNamespace(isatty=lambda: True))
    )
    result = CliRunner().invoke(cli, ["up", blueprint, "--endpoint-url", endpoint], input="n\n")
    assert result.exit_code == 1, result.output
    assert "apply these" in result.output
    assert parameter(endpoint, LOCK) is None
    assert take(endpoint).total == 0


def test_the_lock_is_released_on_ctrl_c(
    endpoint: str, blueprint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while `up` applies ends it with 130 and gives the lock back."""

    def interrupted(*_: Any, **__: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("awsarch.cli.up.run_plan", interrupted)
    result = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 130, result.output
    assert parameter(endpoint, LOCK) is None


def test_the_lock_is_released_after_success(endpoint: str, blueprint: str) -> None:
    """After `up` and `down` succeed, no lock is left: the next run goes ahead at once."""
    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
    assert parameter(endpoint, LOCK) is None
    down = awsarch("down", blueprint, "--yes", endpoint=endpoint)
    assert down.exit_code == 0, down.output
    assert parameter(endpoint, LOCK) is None
