"""--debug, --format and --no-color anywhere on the line, as users of other CLIs type them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from awsarch.cli.main import cli
from awsarch.errors import InputError


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "blueprint.yaml"
    path.write_text("stack: demo\nnetwork: [not, a, mapping]\n")
    return path


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    path = tmp_path / "seed.yaml"
    assert CliRunner().invoke(cli, ["init", str(path)]).exit_code == 0
    return path


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"FORCE_COLOR": None})


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_before_or_after_the_verb_shows_the_traceback(broken: Path, where: str) -> None:
    """`awsarch --debug check F` and `awsarch check F --debug` both re-raise the error."""
    args = ["--debug", "check", broken] if where == "before" else ["check", broken, "--debug"]
    result = _run(*args)
    assert isinstance(result.exception, InputError)


def test_without_debug_an_error_is_one_line(broken: Path) -> None:
    """The same input without --debug: one line, exit 2 (so --debug is what changed)."""
    result = _run("check", broken)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)


def test_debug_after_a_sub_verb(broken: Path) -> None:
    """A group's verbs take it too: `awsarch iam viewer-policy F --debug`."""
    assert _run("iam", "viewer-policy", broken).exit_code == 2
    result = _run("iam", "viewer-policy", broken, "--debug")
    assert isinstance(result.exception, InputError)


@pytest.mark.parametrize("where", ["before", "after"])
def test_format_before_or_after_the_verb(seed: Path, where: str) -> None:
    """`awsarch --format json check F` is `awsarch check F --format json`."""
    args = ["--format", "json", "check", seed] if where == "before" else ["check", seed]
    if where == "after":
        args += ["--format", "json"]
    result = _run(*args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["summary"]
    assert (summary["errors"], summary["warnings"]) == (0, 0)


def test_format_after_the_verb_wins_over_before(seed: Path) -> None:
    """The verb's own --format is the closer word."""
    result = _run("--format", "json", "check", seed, "--format", "text")
    assert result.exit_code == 0
    assert "0 errors, 0 warnings" in result.output


def test_format_before_a_verb_checks_the_verbs_choices(seed: Path) -> None:
    """A format the verb does not know is a usage error (exit 2) naming the verb's choices."""
    result = _run("--format", "svg", "check", seed)
    assert result.exit_code == 2
    assert "'text', 'json'" in result.output


def test_format_before_a_verb_without_formats_is_refused(tmp_path: Path) -> None:
    """`awsarch --format json init` cannot be honoured: a usage error, not silence."""
    result = _run("--format", "json", "init", tmp_path / "b.yaml")
    assert result.exit_code == 2
    assert "`init` has no --format option" in result.output
    assert not (tmp_path / "b.yaml").exists()


def test_help_tells_where_the_global_options_go() -> None:
    """`awsarch --help` says the three may follow the verb."""
    result = _run("--help")
    assert "--debug, --no-color and --format may also follow the verb." in result.output
