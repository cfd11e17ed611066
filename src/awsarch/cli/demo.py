"""`awsarch demo`: the main job, told in steps, on the embedded emulator and a throw-away folder.

Every step runs the same command a user would type (in this process, against an emulator on
127.0.0.1) and says whether it showed what it should; the demo exits non-zero if any step failed.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import click

from awsarch.cli import console
from awsarch.errors import EXIT_FINDINGS

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_EC2_METADATA_DISABLED": "true",
}


@dataclass
class Story:
    """Runs the demo's steps in order and keeps a line of outcome for each."""

    outcomes: list[tuple[str, bool, str]] = field(default_factory=list)

    def step(self, title: str, action: Callable[[], tuple[bool, str]]) -> bool:
        console.echo(console.style(f"\n━━ {len(self.outcomes) + 1}. {title}", "heading"))
        try:
            ok, outcome = action()
        except Exception as exc:  # a failed step is reported, and the story goes on
            ok, outcome = False, f"{type(exc).__name__}: {exc}"
            click.echo(f"awsarch: error: {outcome}", err=True)
        self.outcomes.append((title, ok, outcome))
        return ok

    def summary(self) -> bool:
        console.echo(console.style("\n━━ summary", "heading"))
        width = max(len(title) for title, _, _ in self.outcomes)
        for title, ok, outcome in self.outcomes:
            mark = console.style("ok  ", "ok") if ok else console.style("FAIL", "error")
            console.echo(f"{mark} {title.ljust(width)}  {outcome}")
        return all(ok for _, ok, _ in self.outcomes)


class _Tee(io.StringIO):
    """Keeps what a command prints while it still reaches the terminal."""

    def __init__(self, through: TextIO | None) -> None:
        super().__init__()
        self.through = through

    def write(self, text: str) -> int:
        if self.through is not None:
            self.through.write(text)
        return super().write(text)

    def isatty(self) -> bool:
        return False


def run_awsarch(*args: str, show: bool = True) -> tuple[int, str]:
    """Run an awsarch command in this process, as typed: its exit code and what it printed
    (shown on the terminal too, unless `show` is off)."""
    from awsarch.cli.main import cli

    if show:
        console.echo(console.style("$ awsarch " + " ".join(args), "command"))
    tee = _Tee(sys.stdout if show else None)
    code = 0
    with redirect_stdout(tee):
        try:
            cli.main(list(args), prog_name="awsarch", standalone_mode=False)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        except click.exceptions.Exit as exit_:
            code = exit_.exit_code
    return code, tee.getvalue()


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@click.command("demo")
@click.option("--keep", type=click.Path(file_okay=False), help="Work in this folder and keep it.")
def command(keep: str | None) -> None:
    """Deploy, prove, break, repair and take down the seed architecture on the embedded emulator."""
    from awsarch.adapters import emulator

    running = emulator.start(warm_region="ap-northeast-2")
    where = f"{running.endpoint_url} (127.0.0.1 only: nothing leaves this machine)"
    click.echo(f"embedded AWS emulator on {where}")
    try:
        with (
            tempfile.TemporaryDirectory(prefix="awsarch-demo-") as scratch,
            _environment(FAKE_CREDENTIALS),
        ):
            folder = Path(keep or scratch)
            folder.mkdir(parents=True, exist_ok=True)
            # `iam bootstrap` writes the IAM users' keys here, not to ~/.aws/credentials.
            with _environment({"AWS_SHARED_CREDENTIALS_FILE": str(folder / "credentials")}):
                ok = _tell(folder, running.endpoint_url)
            click.echo(
                f"\nthe blueprint, the pictures and the report are kept in {folder}"
                if keep
                else "\nthe blueprint, the pictures and the report were in a scratch folder, now"
                " deleted: `awsarch demo --keep DIR` keeps them"
            )
    finally:
        running.stop()
    if not ok:
        raise SystemExit(EXIT_FINDINGS)


def _tell(folder: Path, endpoint: str) -> bool:
    from awsarch.cli import demo_steps

    story = Story()
    steps = demo_steps.Steps(folder=folder, endpoint=endpoint)
    for title, action in steps.all():
        story.step(title, action)
    return story.summary()
