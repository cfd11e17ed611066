"""`awsarch demo` judges each step from the verbs' JSON, and fails naming the step that did not
hold; it runs the verbs without importing the CLI's main module."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from awsarch.blueprint.seed import seed_text
from awsarch.cli import demo, demo_judges, runner
from awsarch.cli.demo_steps import Steps
from awsarch.cli.runner import Ran

CLI = Path(demo.__file__).parent
CHECK = "check: rules and proofs, before anything exists"
PRIVATE_DATABASE = "multi_az: true            # a standby in a second AZ, automatic failover\n"


def _open_database(tmp_path: Path) -> Path:
    """The seed with its database in the public tier and publicly accessible."""
    text = seed_text()
    assert PRIVATE_DATABASE + "    tier: private" in text
    opened = text.replace(
        PRIVATE_DATABASE + "    tier: private",
        "multi_az: true\n    tier: public\n    publicly_accessible: true",
    )
    path = tmp_path / "open.yaml"
    path.write_text(opened, encoding="utf-8")
    return path


def _answering(recorded: Ran) -> Steps:
    """Steps whose every verb answers with the recorded run."""

    def fake(command: click.Command, args: Sequence[str]) -> Ran:
        return recorded

    return Steps(folder=Path("/nonexistent"), endpoint="http://127.0.0.1:1", runner=fake)


def test_a_check_whose_json_has_error_findings_fails_the_demo_naming_the_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An open database: `check --format json` lists error findings, so the check step fails and
    the demo ends with DemoFailed (exit 3) naming that step and the figures."""
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "awsarch",
            "check",
            str(_open_database(tmp_path)),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 3, checked.stderr
    steps = _answering(Ran(command="awsarch check", code=3, out=checked.stdout))
    with pytest.raises(demo.DemoFailed) as failed:
        demo.tell([(CHECK, dict(steps.all())[CHECK])])
    assert failed.value.exit_code == 3
    assert f"failed, first 1. {CHECK} (3 errors, 0 warnings; 7 of 7 intents hold" in str(
        failed.value
    )
    shown = capsys.readouterr().out
    assert "error DATA002 db/main: database main is publicly accessible" in shown
    assert "FAIL " + CHECK in shown


def test_the_exit_code_alone_fails_a_step_whose_json_looks_clean() -> None:
    """A clean-looking JSON with a non-zero exit code is not a pass."""
    doc = {"summary": {"errors": 0, "warnings": 0}, "rules": 1, "resources": 1}
    doc["intents"] = [{"intent": "a -> b", "holds": True, "conditional": False, "summary": ""}]
    assert demo_judges.judge_check(0, doc)[0]
    assert not demo_judges.judge_check(3, doc)[0]


def test_a_conditional_intent_does_not_hold() -> None:
    """An intent that holds only under a condition fails the check step."""
    doc = {"summary": {"errors": 0, "warnings": 1}, "rules": 1, "resources": 1}
    doc["intents"] = [{"intent": "a -> b", "holds": True, "conditional": True, "summary": ""}]
    ok, figures = demo_judges.judge_check(0, doc)
    assert not ok and "0 of 1 intent holds" in figures


def _verdict(verdict: str, ports: list[str]) -> dict[str, Any]:
    placement = "internet -> demo-main (subnet-a)"
    path = {"placement": placement, "verdict": verdict, "families": ["IPv4"], "hops": []}
    blocked = [] if ports else [{"placement": placement, "resource": "demo-main"}]
    if blocked:
        blocked[0] |= {"kind": "public-address", "reason": "not public", "fix": ""}
    return {"verdict": verdict, "ports": ports, "paths": [path], "blocked_by": blocked}


def test_the_database_step_fails_when_the_json_says_reachable() -> None:
    """`reach --format json` answering reachable (on any port) fails the internet → database
    step; unreachable with a blocking hop passes."""
    title = "reach: internet → database, every port"
    for verdict, holds in (
        (_verdict("reachable", ["tcp/3306"]), False),
        (_verdict("unreachable", []), True),
    ):
        recorded = Ran(command="awsarch reach", code=0, out=json.dumps(verdict))
        ok, outcome = dict(_answering(recorded).all())[title]()
        assert ok is holds, outcome
    assert demo_judges.judge_unreachable(_verdict("unreachable", []))[1] == (
        "unreachable, blocked at demo-main public-address"
    )


def _up_json(*, ok: bool, drift: int, remaining: int = 0) -> list[dict[str, Any]]:
    totals = {"create": 0, "update": 1, "replace": 0, "delete": 0}
    intents = [{"intent": "web -> main:3306", "holds": True, "conditional": False}]
    audit = {"summary": {"errors": 0, "drift": drift}, "intents": intents}
    summary: dict[str, Any] = {"type": "summary", "ok": ok, "totals": totals}
    if remaining:
        summary["remaining"] = {"actions": [{"key": "update sg/db-main"}] * remaining}
    else:
        summary["audit"] = audit
    return [{"type": "plan", "totals": totals, "changes": True}, summary]


def test_up_passes_only_when_the_json_says_converged_and_clean() -> None:
    """`up` JSON: ok, no change remaining, no drift, every intent holding; anything else fails."""
    judge = demo_judges.judge_up
    assert judge(0, _up_json(ok=True, drift=0), expect="update") == (
        True,
        "1 updated; live audit: 0 errors, 1 of 1 intent holds, 0 drifted",
    )
    assert not judge(0, _up_json(ok=True, drift=0), expect="nothing")[0]
    assert not judge(3, _up_json(ok=False, drift=1), expect="update")[0]
    ok, figures = judge(3, _up_json(ok=False, drift=0, remaining=2), expect="update")
    assert not ok and figures == "1 updated; 2 changes remain"
    assert judge(1, [], expect="update") == (False, "exit 1, no summary")
    zero = dict.fromkeys(("create", "update", "replace", "delete"), 0)
    unchanged = [{"type": "plan", "totals": zero, "changes": False}, _up_json(ok=True, drift=0)[1]]
    unchanged[1]["totals"] = zero
    assert judge(0, unchanged, expect="nothing")[0]
    unchanged[0]["changes"] = True
    assert not judge(0, unchanged, expect="nothing")[0]


def test_an_apply_is_told_by_its_progress_events() -> None:
    """The demo counts resources changed as the plan does (a follow-up step named, not counted
    as a resource) and names the slowest step, from the JSON events."""
    events = [
        {"type": "start", "action": "create vpc/main"},
        {"type": "done", "action": "create vpc/main", "seconds": 0.2},
        {"type": "done", "action": "create db/main", "seconds": 3.25},
    ]
    assert demo_judges.applied_lines(events) == [
        "  2 resources changed; the slowest: create db/main (3.2 s)"
    ]
    grant = {"type": "done", "action": "grant role/web", "seconds": 0.1}
    assert demo_judges.applied_lines([*events[1:2], grant]) == [
        "  1 resource changed, plus 1 follow-up step (grant role/web);"
        " the slowest: create vpc/main (0.2 s)"
    ]
    assert demo_judges.applied_lines([]) == []


def test_a_step_that_ends_without_json_fails_with_the_verbs_error() -> None:
    """A verb that stopped with an error before any JSON fails its step with that error."""
    recorded = Ran(command="awsarch check", code=2, out="", error="open.yaml:3:1: bad")
    with pytest.raises(demo.DemoFailed, match=r"exit 2, no JSON: open.yaml:3:1: bad"):
        demo.tell([(CHECK, dict(_answering(recorded).all())[CHECK])])


def test_the_runner_reports_how_a_verb_ended(tmp_path: Path) -> None:
    """A verb's AwsarchError, click's Exit and a usage error become exit codes, not exceptions."""

    @click.command("pending")
    def pending() -> None:
        raise click.exceptions.Exit(2)

    from awsarch.cli import check

    missing = runner.run(check.command, [str(tmp_path / "none.yaml")], show=False)
    assert missing.code == 2 and "none.yaml" in missing.error
    assert runner.run(pending, [], show=False).code == 2
    assert runner.run(check.command, ["--no-such-option"], show=False).code == 2
    path = tmp_path / "blueprint.yaml"
    path.write_text(seed_text(), encoding="utf-8")
    fine = runner.run(check.command, [str(path), "--format", "json"], show=False)
    assert fine.code == 0 and fine.document()["summary"]["errors"] == 0


def test_a_failed_demo_exits_3_through_the_clis_one_handler(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`awsarch demo` with a failing step: one error line naming the step, exit 3."""
    from awsarch.adapters import emulator

    class Running:
        endpoint_url = "http://127.0.0.1:1"

        def stop(self) -> None:
            pass

    monkeypatch.setattr(emulator, "start", lambda **_: Running())
    monkeypatch.setattr(Steps, "all", lambda self: [(CHECK, lambda: (False, "1 error"))])
    from awsarch.cli.main import cli

    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 3, result.output
    assert (
        f"awsarch: error: 1 of 1 demo steps failed, first 1. {CHECK} (1 error)\n" in result.stderr
    )
    assert "FAIL " + CHECK in result.stdout


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return found


@pytest.mark.parametrize("name", ["demo", "demo_steps", "demo_judges", "runner"])
def test_the_demo_never_imports_the_clis_main(name: str) -> None:
    """demo, its steps, judges and runner import no `awsarch.cli.main`, even lazily: no cycle."""
    assert "awsarch.cli.main" not in _imports(CLI / f"{name}.py")


def test_importing_the_demo_loads_no_main() -> None:
    """Nothing the demo imports (the verbs it runs included) pulls in `awsarch.cli.main`."""
    code = (
        "import sys, awsarch.cli.demo, awsarch.cli.demo_steps;"
        " print('awsarch.cli.main' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_down_passes_only_with_everything_gone_and_a_final_snapshot() -> None:
    """`down` JSON: ok (nothing tagged remains), something deleted, a final snapshot kept."""
    totals = {"create": 0, "update": 0, "replace": 0, "delete": 21}
    summary = {"ok": True, "totals": totals, "snapshots": ["demo-main-final-1"]}
    assert demo_judges.judge_down(0, summary, stack="demo") == (
        True,
        "21 deleted; nothing tagged awsarch:stack=demo remains; final snapshot demo-main-final-1",
    )
    assert demo_judges.judge_down(0, summary | {"snapshots": []}, stack="demo") == (
        False,
        "21 deleted; nothing tagged awsarch:stack=demo remains; no final snapshot",
    )
    nothing = summary | {"totals": dict.fromkeys(totals, 0), "snapshots": []}
    assert demo_judges.judge_down(0, nothing, stack="demo")[1].startswith("nothing deleted;")


def test_every_failed_step_is_counted_and_the_first_told() -> None:
    """Several failures: DemoFailed tells the first in full and numbers the others."""
    steps = [
        ("one", lambda: (True, "fine")),
        ("two", lambda: (False, "3 errors")),
        ("three", lambda: (False, "exit 3")),
    ]
    with pytest.raises(demo.DemoFailed) as failed:
        demo.tell(steps)
    assert str(failed.value) == (
        "2 of 3 demo steps failed, first 2. two (3 errors); then steps 3 (see the summary)"
    )
