"""A stack belongs to the blueprint that built it: another blueprint with the same `stack:`
name is refused before it changes anything, unless it says --adopt."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.deploy.census import assert_converged
from tests.deploy.conftest import awsarch
from tests.deploy.lock_support import LOCK, OWNER, everything, owner_path, parameter


def _other_copy(blueprint: str, tmp_path: Path) -> str:
    other = tmp_path / "elsewhere"
    other.mkdir()
    return str(shutil.copy(blueprint, other / "blueprint.yaml"))


def test_another_blueprint_with_the_same_stack_name_is_refused(
    endpoint: str, blueprint: str, tmp_path: Path
) -> None:
    """`up` and `down` from a second blueprint file naming the same stack stop before any
    action, naming both blueprints, and change nothing; --adopt takes the stack over."""
    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
    assert owner_path(endpoint) == str(Path(blueprint).resolve())
    before = everything(endpoint)
    other = _other_copy(blueprint, tmp_path)
    for verb in ("up", "down"):
        refused = awsarch(verb, other, "--yes", endpoint=endpoint)
        assert refused.exit_code == 2, refused.output
        line = refused.output.strip().splitlines()[-1]
        assert str(Path(blueprint).resolve()) in line and str(Path(other).resolve()) in line
        assert "--adopt" in line
        assert everything(endpoint) == before
        assert parameter(endpoint, LOCK) is None
    adopted = awsarch("up", other, "--yes", "--adopt", endpoint=endpoint)
    assert adopted.exit_code == 0, adopted.output
    assert "taking it over from" in adopted.output
    assert owner_path(endpoint) == str(Path(other).resolve())
    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 2
    assert_converged(endpoint)


def test_a_stack_without_owner_record_is_adopted_by_the_first_up(
    endpoint: str, blueprint: str
) -> None:
    """A stack built by an older awsarch (no owner record) is adopted by `up`, which says so."""
    from tests.deploy.census import client

    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
    client("ssm", endpoint).delete_parameter(Name=OWNER)
    again = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert again.exit_code == 0, again.output
    assert "no owner record (an older awsarch built it): adopting it" in again.output
    assert owner_path(endpoint) == str(Path(blueprint).resolve())


def test_down_deletes_the_owner_record_last(endpoint: str, blueprint: str) -> None:
    """After `down`, the stack name is free again: no owner record and no lock remain."""
    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
    down = awsarch("down", blueprint, "--yes", endpoint=endpoint)
    assert down.exit_code == 0, down.output
    assert parameter(endpoint, OWNER) is None and parameter(endpoint, LOCK) is None
