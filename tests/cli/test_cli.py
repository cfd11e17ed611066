"""The command line as a new user meets it: real processes, real exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

AWSARCH = [sys.executable, "-m", "awsarch"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*AWSARCH, *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_init_then_check_passes(tmp_path: Path) -> None:
    """`awsarch init` in an empty folder, then `awsarch check`, exits 0 with no errors."""
    assert run("init", cwd=tmp_path).returncode == 0
    assert (tmp_path / "blueprint.yaml").exists()
    result = run("check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    """init never overwrites a blueprint the user may have edited."""
    (tmp_path / "blueprint.yaml").write_text("stack: mine\n")
    result = run("init", cwd=tmp_path)
    assert result.returncode == 2
    assert "--force" in result.stderr
    assert (tmp_path / "blueprint.yaml").read_text() == "stack: mine\n"


def test_broken_blueprint_is_one_line_exit_2(tmp_path: Path) -> None:
    """A blueprint error is one line FILE:LINE:COL with exit code 2 and no traceback."""
    run("init", cwd=tmp_path)
    path = tmp_path / "blueprint.yaml"
    path.write_text(path.read_text().replace("multi_az: true", "multi_ax: true"))
    result = run("check", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("awsarch: error: blueprint.yaml:")
    assert "did you mean 'multi_az'" in lines[0]
    assert "Traceback" not in result.stderr


def test_stack_names_aws_refuses_fail_check(tmp_path: Path) -> None:
    """`edge-` and `a--b` would name RDS identifiers AWS refuses: `check` says so at the
    `stack:` line, exit 2, before anything could be created."""
    run("init", cwd=tmp_path)
    path = tmp_path / "blueprint.yaml"
    seed = path.read_text()
    for stack in ("edge-", "a--b"):
        path.write_text(seed.replace("stack: demo", f"stack: {stack}", 1))
        result = run("check", cwd=tmp_path)
        assert result.returncode == 2, result.stdout + result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("awsarch: error: blueprint.yaml:3:8: stack")
        assert " — " in lines[0]


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    """--debug re-raises so a developer sees where the error came from."""
    result = run("--debug", "check", "missing.yaml", cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_missing_file_says_how_to_start(tmp_path: Path) -> None:
    """Checking a file that does not exist says to run init."""
    result = run("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "awsarch init" in result.stderr


def test_check_findings_exit_3_and_point_at_the_line(tmp_path: Path) -> None:
    """A rule broken by the blueprint exits 3 and names the line that broke it."""
    run("init", cwd=tmp_path)
    path = tmp_path / "blueprint.yaml"
    text = path.read_text().replace("multi_az: true", "multi_az: false")
    path.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "multi_az: false" in t)
    result = run("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 3
    report = json.loads(result.stdout)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert errors and errors[0]["resource"] == "db/main"
    assert errors[0]["location"].startswith(f"blueprint.yaml:{line}:")
    assert report["summary"]["errors"] == len(errors)


def test_plan_shows_the_tree_and_totals(tmp_path: Path) -> None:
    """plan lists every subnet with its CIDR under its AZ, and the totals."""
    run("init", cwd=tmp_path)
    result = run("plan", cwd=tmp_path)
    assert result.returncode == 0
    for cidr in ("10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24", "10.0.8.0/24", "10.0.9.0/24"):
        assert cidr in result.stdout
    assert "ap-northeast-2a" in result.stdout and "(standby)" in result.stdout
    assert "21 resources" in result.stdout


def test_check_never_imports_boto3(tmp_path: Path) -> None:
    """The check path stays light: it imports neither boto3 nor the emulator."""
    run("init", cwd=tmp_path)
    code = (
        "import sys\n"
        "from awsarch.cli.main import cli\n"
        "try:\n    cli.main(['check'], standalone_mode=False)\n"
        "finally:\n    print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('boto3', 'botocore', 'moto')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr
