"""A live command given a blueprint reads the blueprint's region, whatever the environment names,
and a read that finds none of the stack says so instead of answering about an empty region."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from awsarch.adapters.emulator import Emulator
from awsarch.blueprint.load import load_text
from awsarch.cli.main import cli
from awsarch.errors import InputError
from awsarch.model import Architecture
from awsarch.usecases.live import Observed, expand_in, require_stack
from tests.live.test_round_trip import seed_text

HOME = "ap-northeast-2"
ELSEWHERE = "us-west-2"


def _run(emulator: Emulator, *args: str) -> Result:
    """An `awsarch` command line pointed at the emulator, with no --region."""
    return CliRunner().invoke(cli, [*args, "--endpoint-url", emulator.endpoint_url])


@pytest.fixture(scope="module")
def deployed(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed, as stack `regional`, deployed in ap-northeast-2 while the environment names
    us-west-2 in both AWS_REGION and AWS_DEFAULT_REGION."""
    path = tmp_path_factory.mktemp("region") / "blueprint.yaml"
    path.write_text(seed_text("regional", HOME))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_REGION", ELSEWHERE)
        patch.setenv("AWS_DEFAULT_REGION", ELSEWHERE)
        up = _run(emulator, "up", str(path), "--yes")
        assert up.exit_code == 0, up.output
        yield str(path)


def test_reach_live_reads_the_blueprints_region(emulator: Emulator, deployed: str) -> None:
    """`reach --live` finds the stack where its blueprint put it, not in AWS_REGION's region."""
    args = ("reach", deployed, "--live", "--from", "internet", "--to", "web", "--port", "443")
    result = _run(emulator, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["verdict"] == "reachable"


def test_audit_blueprint_reads_the_blueprints_region(emulator: Emulator, deployed: str) -> None:
    """`audit --blueprint` audits the deployed stack in its own region: no drift, exit 0."""
    result = _run(emulator, "audit", "--blueprint", deployed, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["target"]["region"] == HOME
    assert json.loads(result.stdout)["summary"]["drift"] == 0


def test_audit_blueprint_exits_3_on_drift(
    emulator: Emulator, deployed: str, tmp_path: Path
) -> None:
    """A blueprint that no longer matches what is live (one more server) is drift: exit 3."""
    text = Path(deployed).read_text().replace("count: 2", "count: 3", 1)
    changed = tmp_path / "blueprint.yaml"
    changed.write_text(text)
    result = _run(emulator, "audit", "--blueprint", str(changed), "--format", "json")
    assert result.exit_code == 3, result.output
    assert json.loads(result.stdout)["summary"]["drift"] > 0


@pytest.mark.parametrize(
    "command",
    [
        ("reach", "{blueprint}", "--live", "--from", "internet", "--to", "web"),
        ("audit", "--blueprint", "{blueprint}"),
    ],
)
def test_a_stack_that_is_not_there_is_said_plainly(
    emulator: Emulator, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """A read of a stack that owns nothing in the target names the stack, where it looked and
    where the blueprint says it lives, in one line (exit 2), instead of `unknown endpoint`."""
    path = tmp_path / "blueprint.yaml"
    path.write_text(seed_text("nowhere", HOME))
    args = [a.format(blueprint=path) for a in command]
    result = _run(emulator, *args)
    assert result.exit_code == 2, result.output
    assert "stack nowhere owns nothing in" in result.output
    assert f"({HOME}), the region its blueprint names — run `awsarch up`" in result.output
    assert "its blueprint puts it in" not in result.output and "--region" not in result.output
    assert "unknown endpoint" not in result.output


def test_more_zones_than_the_account_has_is_one_line() -> None:
    """A blueprint asking for more zones than the account has: an error naming both numbers."""
    loaded = load_text(seed_text("zones", HOME), file="blueprint.yaml")
    with pytest.raises(InputError) as error:
        expand_in(loaded, (f"{HOME}a",))
    assert "network.azs asks for 2 availability zones but this account has 1" in str(error.value)
    assert str(error.value).startswith("blueprint.yaml:")


def test_zones_come_from_the_account() -> None:
    """Subnets land in the zones the account names, not the offline table's."""
    loaded = load_text(seed_text("zones", HOME), file="blueprint.yaml")
    arch = expand_in(loaded, (f"{HOME}b", f"{HOME}c"))
    assert sorted({s.az for s in arch.subnets}) == [f"{HOME}b", f"{HOME}c"]


@pytest.mark.parametrize(
    ("where", "says", "never"),
    [
        (
            f"http://127.0.0.1:5000 ({HOME})",
            f"({HOME}), the region its blueprint names — run `awsarch up` to create it, or point"
            " --endpoint-url where it lives",
            "its blueprint puts it in",
        ),
        (
            "AWS (eu-west-1)",
            f"(eu-west-1); its blueprint puts it in {HOME} — run `awsarch up` to create it there,"
            " or point --region/--endpoint-url where it lives",
            "the region its blueprint names",
        ),
    ],
)
def test_a_missing_stack_names_the_region_once_when_it_is_the_blueprints(
    where: str, says: str, never: str
) -> None:
    """Looking in the blueprint's own region, the error does not repeat the region nor suggest
    --region; looking elsewhere, it names both regions."""
    empty = Architecture(stack="nowhere", region=HOME)
    with pytest.raises(InputError) as raised:
        require_stack(Observed(raw={}, model=empty, view=empty), where=where, home=HOME)
    assert says in str(raised.value) and never not in str(raised.value)
