"""Colour: on a terminal or when forced, never in a pipe or when refused (NO_COLOR, --no-color)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from awsarch.adapters.emulator import Emulator
from awsarch.blueprint.seed import seed_text
from awsarch.cli import console
from awsarch.cli.main import cli

ESC = "\x1b["
RED_BOLD, GREEN, YELLOW, MAGENTA = "\x1b[1;31m", "\x1b[32m", "\x1b[33m", "\x1b[35m"


@pytest.fixture
def failing(tmp_path: Path) -> Path:
    """The seed with SSH opened to the internet: an error finding and a refuted intent."""
    path = tmp_path / "blueprint.yaml"
    path.write_text(seed_text().replace("public_ports: [80, 443]", "public_ports: [22, 80, 443]"))
    return path


def _check(*args: str, **env: str | None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env={"NO_COLOR": None, "FORCE_COLOR": None, **env})
    return result.exit_code, result.output


def test_forced_colour_marks_severities_proofs_and_counts(failing: Path) -> None:
    """FORCE_COLOR colours `error` red, ✓ green, ✗ red and the counts by what they mean."""
    code, out = _check("check", str(failing), FORCE_COLOR="1")
    assert code == 3
    assert f"{RED_BOLD}error\x1b[0m SEC004" in out
    assert f"{GREEN}✓\x1b[0m internet -> web:443" in out
    assert f"{RED_BOLD}✗\x1b[0m internet -/-> web:22" in out
    assert f"{RED_BOLD}2 errors\x1b[0m, 0 warnings" in out
    assert f"{RED_BOLD}6 of 7 intents hold\x1b[0m" in out


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("check", "FILE"), {}),  # not a terminal
        (("check", "FILE"), {"NO_COLOR": "1", "FORCE_COLOR": "1"}),  # NO_COLOR wins
        (("--no-color", "check", "FILE"), {"FORCE_COLOR": "1"}),
        (("check", "FILE", "--no-color"), {"FORCE_COLOR": "1"}),
        (("check", "FILE"), {"FORCE_COLOR": ""}),  # empty means unset
    ],
)
def test_no_escape_codes_when_colour_is_off(
    failing: Path, args: tuple[str, ...], env: dict[str, str]
) -> None:
    """Not a terminal, NO_COLOR (any value), --no-color before or after the verb: plain text."""
    code, out = _check(*[str(failing) if a == "FILE" else a for a in args], **env)
    assert code == 3
    assert "error SEC004" in out
    assert ESC not in out


def test_no_color_given_once_does_not_stick_to_the_next_run(failing: Path) -> None:
    """`--no-color` lasts for its own run: the next run in the same process colours again."""
    _check("check", str(failing), "--no-color", FORCE_COLOR="1")
    assert ESC in _check("check", str(failing), FORCE_COLOR="1")[1]


def _in_terminal(*args: str, **env: str) -> str:
    """`awsarch ARGS` with a pseudo-terminal as its stdout: what a person sees."""
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update(env, TERM="xterm")
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "awsarch", *args], stdout=follower, stderr=follower, env=environ
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the process ends
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode()


def test_a_terminal_gets_colour_and_no_color_refuses_it(failing: Path) -> None:
    """On a real terminal `check` is coloured; NO_COLOR=1 turns it off there too."""
    assert f"{RED_BOLD}error" in _in_terminal("check", str(failing))
    assert ESC not in _in_terminal("check", str(failing), NO_COLOR="1")


def test_a_pipe_gets_no_colour(failing: Path) -> None:
    """`awsarch check | less`, CI logs, files: no escape codes."""
    out = subprocess.run(
        [sys.executable, "-m", "awsarch", "check", str(failing)],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")},
    ).stdout
    assert "error SEC004" in out
    assert ESC not in out


def test_plan_colours_each_change_by_its_kind(emulator: Emulator, tmp_path: Path) -> None:
    """`plan --live` on an empty account: every change a green `+` (the grant too: it is part of
    creating the role), totals coloured; none when NO_COLOR is set."""
    emulator.reset()
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(seed_text())
    args = ("plan", str(blueprint), "--live", "--endpoint-url", emulator.endpoint_url)
    code, out = _check(*args, FORCE_COLOR="1")
    assert code == 0, out
    assert f"  {GREEN}+\x1b[0m create vpc/main" in out
    assert f"  {GREEN}+\x1b[0m grant role/web" in out
    assert f"{GREEN}" in out.splitlines()[-1]
    code, plain = _check(*args, NO_COLOR="1")
    assert code == 0, plain
    assert "  + create vpc/main" in plain
    assert ESC not in plain


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  ± db/main  engine changed: engine: 8.0 → 8.4", [("±", "replace")]),
        ("  - instance/web-2  not in the blueprint", [("-", "delete")]),
        ("  ~ sg/db-main  ingress: + tcp 22 cidr 0.0.0.0/0", [("~", "update"), ("+", "create")]),
        ("!! delete db/main DESTROYS DATA", [("!! delete db/main DESTROYS DATA", "loud")]),
    ],
)
def test_change_lines_colour_their_marks(line: str, expected: list[tuple[str, str]]) -> None:
    """Replace, delete, update, a rule added inside an update, and data loss each get a role."""
    assert [(line[s:e], role) for s, e, role in console.spans(line, "change")] == expected


def test_plan_totals_colour_only_what_happens() -> None:
    """`0 to delete` stays plain; `3 to create` is green, `1 DESTROY DATA` loud."""
    line = "plan: 3 to create, 0 to update, 0 to replace, 1 to delete; 1 DESTROY DATA (final …)"
    roles = {line[s:e]: role for s, e, role in console.spans(line, "change")}
    assert roles == {"3 to create": "create", "1 to delete": "delete", "1 DESTROY DATA": "loud"}


def test_styles_are_plain_text_when_colour_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """A caller's style() gives back its text untouched when colour is off."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert console.style("✓", "ok") == "✓"
    monkeypatch.delenv("NO_COLOR")
    assert console.style("✓", "ok") == f"{GREEN}✓\x1b[0m"
    assert console.style("±", "replace") == f"{MAGENTA}±\x1b[0m"
