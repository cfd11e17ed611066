"""Exit codes of the verbs that read the account, on the emulator: `unlock` and
`plan --detailed-exitcode`, each through the one handler."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from awsarch.adapters.emulator import Emulator
from awsarch.blueprint.seed import seed_text
from awsarch.cli.main import cli
from tests.deploy.lock_support import LOCK, parameter, plant_lock


@pytest.fixture
def endpoint(emulator: Emulator) -> Iterator[str]:
    emulator.reset()
    yield emulator.endpoint_url
    emulator.reset()


@pytest.fixture
def blueprint(tmp_path: Path) -> str:
    path = tmp_path / "blueprint.yaml"
    path.write_text(seed_text(), encoding="utf-8")
    return str(path)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def test_unlock_with_nothing_locked_is_one_line_exit_0(endpoint: str, blueprint: str) -> None:
    """Nothing to remove is no error: one line on stdout, nothing on stderr, exit 0."""
    result = run("unlock", blueprint, "--yes", "--endpoint-url", endpoint)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["stack demo is not locked: nothing to remove"]
    assert result.stderr == ""


def test_unlock_leaves_a_lock_that_changed_meanwhile_exit_1(
    endpoint: str, blueprint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run took the lock between unlock's read and its delete: the new lock stays,
    and one `awsarch: error:` line says so (exit 1)."""
    import awsarch.cli.unlock

    plant_lock(endpoint)

    def another_run_takes_it(question: str, *, yes: bool) -> None:
        from tests.deploy.census import client

        client("ssm", endpoint).delete_parameter(Name=LOCK)
        plant_lock(endpoint, pid=5151)

    monkeypatch.setattr(awsarch.cli.unlock, "confirm", another_run_takes_it)
    result = run("unlock", blueprint, "--yes", "--endpoint-url", endpoint)
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("awsarch: error: the lock of stack demo changed meanwhile")
    assert "5151" in (parameter(endpoint, LOCK) or "")  # the other run's lock stays


def test_plan_detailed_exitcode_compares_with_what_is_live(endpoint: str, blueprint: str) -> None:
    """--detailed-exitcode implies --live, as its help says: with AWS_ENDPOINT_URL set and no
    other option, an empty account means changes pending (2), and the plan lists them."""
    result = run("plan", blueprint, "--detailed-exitcode", env={"AWS_ENDPOINT_URL": endpoint})
    assert result.exit_code == 2, result.output
    assert "to create" in result.stdout
    assert result.stderr == ""
