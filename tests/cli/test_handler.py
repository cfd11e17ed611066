"""The CLI's one handler, as users of Terraform and checkov expect it: a closed pipe does not cut
the work short, a usage mistake is one line naming the verb's help, and every --help is whole."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

import awsarch.blueprint
from awsarch.adapters.emulator.server import Emulator
from awsarch.cli.main import VERBS, cli
from awsarch.errors import Cancelled

SEED = (Path(awsarch.blueprint.__file__).parent / "seed.yaml").read_text(encoding="utf-8")
SINGLE_AZ = SEED.replace("multi_az: true", "multi_az: false", 1)
"""The seed with one error finding (DATA004: a database in one zone)."""

AWSARCH = [sys.executable, "-c", "import sys; from awsarch.cli.main import main; main()"]


def _env() -> dict[str, str]:
    source = str(Path(awsarch.__file__).parents[1])
    return {**os.environ, "PYTHONPATH": source, "NO_COLOR": "1"}


def _reader_gone(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`awsarch ARGS` writing into a pipe whose reader has already left (as `| head` does
    after its lines): every write meets a closed pipe."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [*AWSARCH, *args],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            cwd=cwd,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write)


def test_a_closed_pipe_keeps_the_exit_code_of_the_findings(tmp_path: Path) -> None:
    """`awsarch check failing.yaml | head -1` still exits 3: CI sees the error findings."""
    (tmp_path / "failing.yaml").write_text(SINGLE_AZ, encoding="utf-8")
    result = _reader_gone("check", "failing.yaml", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr


def test_head_after_check_gives_its_exit_code_through_bash(tmp_path: Path) -> None:
    """The same through a shell: `${PIPESTATUS[0]}` of `check … | head -1` is 3, of
    `reach --matrix … | head -1` is 0, and no traceback reaches stderr."""
    (tmp_path / "failing.yaml").write_text(SINGLE_AZ, encoding="utf-8")
    (tmp_path / "seed.yaml").write_text(SEED, encoding="utf-8")
    awsarch = " ".join(f"'{part}'" for part in AWSARCH)
    script = (
        f"{awsarch} check failing.yaml | head -1 >/dev/null; echo ${{PIPESTATUS[0]}};"
        f" {awsarch} reach --matrix seed.yaml | head -1 >/dev/null; echo ${{PIPESTATUS[0]}}"
    )
    result = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=tmp_path,
        timeout=120,
    )
    assert result.stdout.split() == ["3", "0"], result.stderr
    assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr


def test_a_closed_pipe_does_not_stop_a_verb_half_way(tmp_path: Path, emulator: Emulator) -> None:
    """`awsarch plan --live -o plan.json | head -1` still saves the plan: the reader leaving
    after the first line does not stop the work that follows it."""
    (tmp_path / "seed.yaml").write_text(SEED, encoding="utf-8")
    url = emulator.endpoint_url
    result = _reader_gone(
        "plan", "seed.yaml", "--endpoint-url", url, "-o", "plan.json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "plan.json").is_file()
    assert "saved the plan to plan.json" in result.stderr


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*AWSARCH, *args], capture_output=True, text=True, env=_env(), timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["chek"], "no such command 'chek': did you mean check? — see `awsarch --help`"),
        (["emulator", "--port", "99999"], "— see `awsarch emulator --help`"),
        (["rules", "--format", "sarif"], "'sarif' is not one of 'text', 'json'."),
        (["audit", "mege"], "did you mean merge? — see `awsarch audit --help`"),
        (["iam", "boot"], "did you mean bootstrap? — see `awsarch iam --help`"),
        (["stackset", "delet"], "did you mean delete? — see `awsarch stackset --help`"),
        (["--bogus"], "No such option '--bogus'. — see `awsarch --help`"),
    ],
)
def test_a_usage_error_is_one_line_with_the_verbs_help(args: list[str], expected: str) -> None:
    """A wrong verb, option or value: one line on stderr naming the help to read, exit 2."""
    result = CliRunner().invoke(cli, args, prog_name="awsarch")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("awsarch: error: ")
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Usage:" not in result.output


def test_the_console_script_gives_usage_errors_one_line() -> None:
    """The same from the real entry point, where click would print its Usage block."""
    result = _run("chek")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "awsarch: error: no such command 'chek': did you mean check? — see `awsarch --help`"
    ]


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            yield from _commands(sub, (*path, name))


def test_every_help_is_whole_and_every_option_explained() -> None:
    """Every verb's and subcommand's --help: no summary cut off with "...", no option
    without its help."""
    paths = list(_commands(cli))
    assert ("audit", "merge") in paths and ("iam", "bootstrap") in paths
    for path in paths:
        result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=100)
        assert result.exit_code == 0, (path, result.output)
        assert "..." not in result.output.replace("[ARGS]...", ""), (path, result.output)
    for path in paths:
        command: click.Command = cli
        for name in path:
            assert isinstance(command, click.Group)
            found = command.get_command(click.Context(command), name)
            assert found is not None
            command = found
        silent = [p.name for p in command.params if isinstance(p, click.Option) and not p.help]
        assert not silent, (path, silent)


def test_every_verb_is_walked() -> None:
    """The walk above sees every verb of the table."""
    assert {path[0] for path in _commands(cli) if path} == set(VERBS)


def _one_line_error(result: Result, *expected: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("awsarch: error: "), result.stderr
    assert "internal error" not in lines[0]
    for text in expected:
        assert text in lines[0]


def test_an_endpoint_without_a_scheme_is_refused_with_the_fix(tmp_path: Path) -> None:
    """`--endpoint-url 127.0.0.1:4566`, or the same in AWS_ENDPOINT_URL: one line with the
    URL to write instead, not botocore's ValueError as an internal error."""
    blueprint = tmp_path / "seed.yaml"
    blueprint.write_text(SEED, encoding="utf-8")
    runner = CliRunner()
    flag = runner.invoke(
        cli, ["plan", str(blueprint), "--endpoint-url", "127.0.0.1:4566"], prog_name="awsarch"
    )
    _one_line_error(flag, "--endpoint-url", "write it http://127.0.0.1:4566")
    env = runner.invoke(
        cli, ["plan", str(blueprint), "--live"], env={"AWS_ENDPOINT_URL": "localhost:4566"}
    )
    _one_line_error(env, "AWS_ENDPOINT_URL: ", "write it http://localhost:4566")


def test_init_creates_the_folder_and_names_a_file_in_the_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`init missing-dir/bp.yaml` creates the folder, as diagram and synth do; a file where a
    folder should be is one line naming it (for `init` and `diagram -o`)."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    made = runner.invoke(cli, ["init", "missing-dir/bp.yaml"])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "missing-dir" / "bp.yaml").is_file()
    (tmp_path / "blueprint.yaml").write_text(SEED, encoding="utf-8")
    nested = runner.invoke(cli, ["init", "blueprint.yaml/x.yaml"])
    _one_line_error(nested, "blueprint.yaml is a file, not a folder")
    drawn = runner.invoke(cli, ["diagram", "-o", "blueprint.yaml/x.svg"])
    _one_line_error(drawn, "blueprint.yaml/x.svg: blueprint.yaml is a file, not a folder")
    folder = runner.invoke(cli, ["diagram", "-o", "missing-dir"])
    _one_line_error(folder, "missing-dir is a folder")


def test_a_file_the_system_refuses_is_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any OSError that carries a file name: `awsarch: error: FILE: why`, exit 2 — never
    "internal error"."""
    import awsarch.cli.init

    def refuse(path: Path, text: str) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(awsarch.cli.init, "write_file", refuse)
    result = CliRunner().invoke(cli, ["init", "bp.yaml"])
    _one_line_error(result)
    assert result.stderr.strip() == "awsarch: error: bp.yaml: Permission denied"


def test_a_misspelt_emulator_behaviour_is_bad_input_with_the_closest_name() -> None:
    """`emulator --without nat_delet`: exit 2 (the user's input), "did you mean nat_deletion"."""
    result = CliRunner().invoke(cli, ["emulator", "--port", "0", "--without", "nat_delet"])
    _one_line_error(result, "'nat_delet'", "did you mean nat_deletion?")


def _in_down() -> click.Context:
    root = click.Context(cli, info_name="awsarch")
    return click.Context(click.Command("down"), info_name="down", parent=root)


@pytest.mark.parametrize("databases", [0, 1, 2])
def test_ctrl_d_at_downs_question_is_a_no(monkeypatch: pytest.MonkeyPatch, databases: int) -> None:
    """Ctrl-D at `down`'s question (yes/no, or the stack's name when databases go) cancels as
    declining does, with no "Aborted!"; one database is "the database", not "the databases"."""
    from awsarch.cli.down import ask_to_delete

    with CliRunner().isolation(input="") as (_out, _err, out):
        monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
        with _in_down(), pytest.raises(Cancelled, match=r"^down cancelled: nothing changed$"):
            ask_to_delete("s", 3, bool(databases), yes=False, database_count=databases)
        sys.stdout.flush()  # the prompt, written before the end of input was met
        asked = out.getvalue().decode()
    if databases == 1:
        assert "and the database (after its final snapshot)" in asked
    if databases == 2:
        assert "and the databases (after their final snapshots)" in asked
    assert "Aborted" not in asked


def test_a_cancelled_question_is_one_line_and_exit_1() -> None:
    """Through the handler, the cancellation is one line without `error:`, exit 1."""

    @click.command("down")
    def down() -> None:
        raise Cancelled("down cancelled: nothing changed")

    cli.add_command(down, "ctrl-d-test")
    try:
        result = CliRunner().invoke(cli, ["ctrl-d-test"], prog_name="awsarch")
    finally:
        cli.commands.pop("ctrl-d-test")
    assert result.exit_code == 1
    assert result.stderr == "awsarch: down cancelled: nothing changed\n"
