"""Start-up: `check` loads only what checking needs, and `--help` still names every verb whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from awsarch.cli.main import VERBS, cli

SEED = Path(__file__).parents[2] / "src" / "awsarch" / "blueprint" / "seed.yaml"

# Runs `awsarch ARGS` in a fresh interpreter, then prints the modules it loaded.
PROBE = """
import sys
from awsarch.cli.main import main
sys.argv = ["awsarch", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
loaded = sorted(sys.modules)
import json
print("\\n" + json.dumps(loaded))
"""

FORBIDDEN = (
    "boto3",
    "botocore",
    "moto",
    "awsarch.deploy",
    "awsarch.adapters.aws",
    "awsarch.adapters.emulator",
    "awsarch.usecases.live",
)
"""Packages that `check` of a blueprint never needs: the cloud, the emulator, the deployer."""
CONSOLE = "awsarch.cli.console"


def _loaded(*args: str, **env: str) -> set[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**environ, **env},
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def _under(modules: set[str], package: str) -> list[str]:
    return sorted(m for m in modules if m == package or m.startswith(package + "."))


def test_check_loads_no_cloud_no_deployer_no_other_verb() -> None:
    """`awsarch check` of the seed, piped, loads neither boto3/moto nor awsarch's AWS, deploy
    or emulator code, no other verb's module, no renderer but the findings' and no rich."""
    modules = _loaded("check", str(SEED))
    for package in (*FORBIDDEN, "rich"):
        assert not _under(modules, package), f"check imports {_under(modules, package)}"
    verbs = {m for m in _under(modules, "awsarch.cli") if m.count(".") == 2}
    shared = {"awsarch.cli.main", "awsarch.cli.options", "awsarch.cli.baseline", CONSOLE}
    assert verbs <= {*shared, "awsarch.cli.check"}
    allowed = {"awsarch.render", "awsarch.render.findings", "awsarch.render.words"}
    assert set(_under(modules, "awsarch.render")) <= allowed


LAZY = (
    "awsarch.analysis.matrix",
    "awsarch.analysis.cells",
    "awsarch.cfn.suppress",
    "json",
    "difflib",
    "decimal",
)
"""What plain `check` of a blueprint does without: the matrix (only `reach --matrix`, pictures),
a template's suppressions, JSON (only --format json/sarif, baselines), "did you mean"
suggestions (only on a mistake) and numbers in IAM conditions (only when a policy compares one)."""


def test_text_check_of_a_blueprint_skips_what_only_other_paths_need() -> None:
    """Each of these loads only on the path that uses it, so start-up stays near the floor."""
    modules = _loaded("check", str(SEED))
    for module in LAZY:
        assert module not in modules, f"check imports {module}"


BARE_CLASSES = """
import dataclasses
_BARE = [
    f"{m.__name__}.{c.__name__}"
    for m in list(sys.modules.values())
    if m.__name__.startswith("awsarch")
    for c in vars(m).values()
    if isinstance(c, type) and c.__module__ == m.__name__ and dataclasses.is_dataclass(c)
    and (c.__doc__ or "").startswith(c.__name__ + "(")
]
"""


def test_classes_on_the_check_path_have_docstrings() -> None:
    """A dataclass without a docstring makes Python build one from its signature at import
    (inspect.signature, about 0.1 ms a class): every class `check` loads has its own."""
    probe = PROBE.replace("json.dumps(loaded)", "json.dumps(_BARE)").replace(
        "import json", "import json\n" + BARE_CLASSES
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "check", str(SEED)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_check_in_colour_loads_rich_and_still_no_cloud() -> None:
    """Colour (FORCE_COLOR) is the only reason `check` loads rich; the cloud stays out."""
    modules = _loaded("check", str(SEED), FORCE_COLOR="1")
    assert _under(modules, "rich")
    for package in FORBIDDEN:
        assert not _under(modules, package), f"check imports {_under(modules, package)}"


def test_json_check_never_loads_rich_even_when_forced() -> None:
    """JSON is for programs: `--format json` prints no colour, so it needs no rich."""
    modules = _loaded("check", str(SEED), "--format", "json", FORCE_COLOR="1")
    assert not _under(modules, "rich")


def test_help_names_every_verb_with_a_whole_summary() -> None:
    """`awsarch --help` lists every verb of the table with its first sentence whole (no "...")."""
    result = CliRunner().invoke(cli, ["--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    commands = result.output.split("Commands:")[1]
    for name in VERBS:
        assert f"\n  {name} " in commands
    assert "..." not in commands
    assert "with a StackSet." in " ".join(commands.split())


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_every_verb_loads_and_its_help_names_the_global_options(verb: str) -> None:
    """Each line of the verb table loads a command whose --help shows --debug and --no-color."""
    result = CliRunner().invoke(cli, [verb, "--help"])
    assert result.exit_code == 0, result.output
    assert "--debug" in result.output
    assert "--no-color" in result.output
