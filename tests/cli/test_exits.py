"""Every exit goes through the one CLI handler: verbs raise, `main.py` alone exits, and each
verb's exit code and stderr are what a script and a person rely on."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

import awsarch.blueprint
import awsarch.cli
from awsarch.cli.main import cli
from awsarch.errors import Cancelled, ToolError

CLI = Path(awsarch.cli.__file__).parent
SEED = (Path(awsarch.blueprint.__file__).parent / "seed.yaml").read_text(encoding="utf-8")
SINGLE_AZ = SEED.replace("multi_az: true", "multi_az: false", 1)
"""The seed with one error finding (DATA004: a database in one zone)."""

PENDING: dict[str, str] = {}
"""Modules known to exit by themselves still; each is a strict xfail, so the day it is clean
the test says to remove it from here."""


def _exits(tree: ast.AST) -> list[str]:
    """`raise SystemExit…`, and calls of sys.exit/os._exit/*.exit/click's Exit with a code
    that is not a literal 0: the ways a verb could end the process itself."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if _name(target) == "SystemExit":
                found.append(f"line {node.lineno}: raise SystemExit")
        if isinstance(node, ast.Call) and _non_zero(node):
            name = _name(node.func)
            if name in {"exit", "_exit", "Exit", "Abort"}:
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _non_zero(call: ast.Call) -> bool:
    if _name(call.func) == "Abort":
        return True
    code = call.args[0] if call.args else next((k.value for k in call.keywords), None)
    if code is None:  # sys.exit() and ctx.exit() exit 0; click's Exit() too
        return False
    return not (isinstance(code, ast.Constant) and code.value in (0, None))


def _modules() -> list[Any]:
    cases = []
    for path in sorted(CLI.glob("*.py")):
        if path.name == "main.py":
            continue
        reason = PENDING.get(path.name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        cases.append(pytest.param(path, id=path.name, marks=marks))
    return cases


@pytest.mark.parametrize("path", _modules())
def test_no_verb_exits_by_itself(path: Path) -> None:
    """A verb raises an AwsarchError (FindingsError for exit 3) and main.py's handler exits:
    one place decides the message, the code and --debug's traceback."""
    assert _exits(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_the_walk_sees_each_way_out() -> None:
    """The check above would notice each way a verb could exit, and leaves exit 0 alone."""
    source = """
raise SystemExit(3)
raise SystemExit
sys.exit(1)
os._exit(code)
ctx.exit(2)
raise click.exceptions.Exit(1)
raise click.Abort()
sys.exit(0)
ctx.exit()
"""
    assert len(_exits(ast.parse(source))) == 7


def run(*args: str, **env: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env or None)


def write(tmp_path: Path, text: str = SINGLE_AZ) -> str:
    path = tmp_path / "blueprint.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("debug", [[], ["--debug"]], ids=["plain", "debug"])
def test_check_with_an_error_finding_exits_3_printing_it_once(
    tmp_path: Path, debug: list[str]
) -> None:
    """An error finding is exit 3; the finding is printed once, on stdout, and nothing is
    added on stderr: no message, and no traceback even with --debug (a finding is no bug)."""
    result = run("check", write(tmp_path), *debug)
    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit)
    assert [x for x in result.stdout.splitlines() if " DATA004 " in x and "error" in x] != []
    assert sum(" DATA004 " in x for x in result.stdout.splitlines()) == 1
    assert result.stderr == ""


def test_check_json_with_an_error_finding_exits_3(tmp_path: Path) -> None:
    """`--format json` too: exit 3, the document alone on stdout, nothing on stderr."""
    result = run("check", write(tmp_path), "--format", "json")
    assert result.exit_code == 3
    assert json.loads(result.stdout)["summary"]["errors"] == 1
    assert result.stderr == ""


def test_a_clean_check_exits_0(tmp_path: Path) -> None:
    """The seed has no error finding: exit 0."""
    assert run("check", write(tmp_path, SEED)).exit_code == 0


def test_report_strict_exits_3_on_an_error_finding(tmp_path: Path) -> None:
    """`report --strict` writes the page, says what it found, then exits 3; without --strict, 0."""
    page = str(tmp_path / "report.html")
    strict = run("report", write(tmp_path), "-o", page, "--strict")
    assert strict.exit_code == 3, strict.output
    assert strict.stdout.startswith("wrote ") and "1 error" in strict.stdout
    assert strict.stderr == ""
    assert run("report", write(tmp_path), "-o", page).exit_code == 0


@pytest.mark.parametrize("engine", ["direct", "cloudformation"])
def test_up_refuses_a_blueprint_with_errors_exit_3_in_one_line(tmp_path: Path, engine: str) -> None:
    """`up` never deploys a blueprint with error findings: the findings on stdout, one
    `awsarch: error:` line on stderr, exit 3, before any AWS call (no endpoint is needed)."""
    blueprint = write(tmp_path)
    result = run("up", blueprint, "--yes", "--engine", engine)
    assert result.exit_code == 3, result.output
    assert sum(" DATA004 " in x for x in result.stdout.splitlines()) == 1
    assert result.stderr.splitlines() == [
        f"awsarch: error: {blueprint} has error findings or failed intents — fix them first"
    ]


def test_plan_detailed_exitcode_keeps_3_for_findings(tmp_path: Path) -> None:
    """With --detailed-exitcode a refused blueprint is still exit 3, never 2 (changes pending)."""
    result = run("plan", write(tmp_path), "--engine", "cloudformation", "--detailed-exitcode")
    assert result.exit_code == 3, result.output


@pytest.mark.parametrize(("pending", "code"), [(True, 2), (False, 0)])
def test_plan_detailed_exitcode_is_2_with_changes_and_0_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pending: bool, code: int
) -> None:
    """As Terraform's `plan -detailed-exitcode`: 2 when changes are pending, 0 when none, and
    nothing on stderr either way (exit 2 is no error)."""
    import awsarch.cli.plan

    monkeypatch.setattr(awsarch.cli.plan, "_plan", lambda *a, **k: pending)
    result = run("plan", write(tmp_path, SEED), "--detailed-exitcode", "--debug")
    assert result.exit_code == code, result.output
    assert result.stderr == ""


def test_plan_detailed_exitcode_says_1_for_bad_input(tmp_path: Path) -> None:
    """Bad input is exit 1 with --detailed-exitcode (2 would read as "changes pending")."""
    broken = write(tmp_path, SEED.replace("multi_az: true", "multi_ax: true"))
    result = run("plan", broken, "--detailed-exitcode", "--endpoint-url", "http://127.0.0.1:9")
    assert result.exit_code == 1, result.output
    assert len(result.stderr.splitlines()) == 1


def _unit(tmp_path: Path, name: str, status: str, findings: list[dict[str, Any]]) -> None:
    document = {
        "kind": "awsarch/audit-unit",
        "format": 1,
        "account": "111122223333",
        "region": name,
        "hygiene": False,
        "status": status,
        "reason": "AccessDenied: no role to assume" if status == "failed" else "",
        "findings": findings,
        "drift": [],
        "api_calls": 3,
    }
    (tmp_path / f"{name}.json").write_text(json.dumps(document), encoding="utf-8")


ERROR = {
    "rule": "NET001",
    "severity": "error",
    "resource": "sg-0abc",
    "message": "SSH open to the internet",
    "location": None,
}


@pytest.mark.parametrize(
    ("units", "code"),
    [
        ([("eu-west-1", "audited", [])], 0),
        ([("eu-west-1", "audited", [ERROR])], 3),
        ([("eu-west-1", "audited", [ERROR]), ("eu-west-2", "failed", [])], 4),
    ],
    ids=["clean", "errors", "incomplete"],
)
def test_an_organization_report_exits_4_when_incomplete_else_3_on_errors(
    tmp_path: Path, units: list[tuple[str, str, list[dict[str, Any]]]], code: int
) -> None:
    """`audit merge` (the same report as `audit --org`): a unit that could not be audited is
    exit 4 whatever else was found, else an error finding is 3; the report is on stdout and
    the handler adds nothing on stderr, even with --debug."""
    for region, status, findings in units:
        _unit(tmp_path, region, status, findings)
    result = run("audit", "merge", str(tmp_path), "--debug")
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit) or code == 0
    assert result.stdout and result.stderr == ""


def test_down_says_in_one_line_what_is_still_tagged(monkeypatch: pytest.MonkeyPatch) -> None:
    """After deleting, anything still tagged with the stack is a ToolError (exit 1) that names
    it and says what to do: one line, through the handler."""
    import awsarch.usecases.live
    from awsarch.cli.down import _prove_gone

    left = type("Observed", (), {"owned": {("vpc-1", "vpc/main")}})()
    monkeypatch.setattr(awsarch.usecases.live, "observe", lambda *a, **k: left)
    with pytest.raises(ToolError, match=r"still tagged with stack demo: vpc/main — run"):
        _prove_gone(None, "demo", [])  # type: ignore[arg-type]


def test_a_failed_stackset_operation_is_a_tool_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A StackSet operation that ends FAILED lists each stack instance, then one error line."""
    from awsarch.cfn import stacksets
    from awsarch.cli.stackset import _finish

    monkeypatch.setattr(stacksets, "operation_status", lambda *a: "FAILED")
    monkeypatch.setattr(
        stacksets,
        "instances",
        lambda *a: [{"Account": "111122223333", "Region": "eu-west-1", "Status": "OUTDATED"}],
    )
    with pytest.raises(ToolError, match=r"operation op-1 ended FAILED — the stack instances"):
        _finish(None, "demo", "op-1")


def test_a_question_answered_no_is_cancelled_naming_the_verb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At a terminal, "no" raises Cancelled (exit 1) saying which verb changed nothing."""
    import sys

    from awsarch.cli.stack import confirm

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(click, "confirm", lambda *a, **k: False)
    with (
        click.Context(cli, info_name="awsarch") as parent,
        click.Context(click.Command("down"), parent=parent, info_name="down"),
        pytest.raises(Cancelled, match=r"^down cancelled: nothing changed$") as raised,
    ):
        confirm("delete these 3 resources?", yes=False)
    assert raised.value.exit_code == 1
