"""`awsarch demo`: the main job, told in steps, on the embedded emulator and a throw-away folder.

Every step runs the command a user would type (in this process, through `cli/runner.py`, against
an emulator on 127.0.0.1) with `--format json`, and judges it from that JSON, never from printed
text; the demo ends with DemoFailed (exit 3) naming every step that did not show what it should.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import click

from awsarch.cli import console
from awsarch.cli.demo_judges import Outcome
from awsarch.cli.demo_steps import Step, Steps
from awsarch.errors import AwsarchError, FindingsError

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_EC2_METADATA_DISABLED": "true",
}


class DemoFailed(FindingsError):
    """A step of the demo did not show what it should: exit 3, as a failed intent."""


@dataclass
class Story:
    """Runs the demo's steps in order and keeps a line of outcome for each."""

    outcomes: list[tuple[str, bool, str]] = field(default_factory=list)

    def step(self, title: str, action: Callable[[], Outcome]) -> bool:
        console.echo(console.style(f"\n━━ {len(self.outcomes) + 1}. {title}", "heading"))
        try:
            ok, outcome = action()
        except Exception as exc:  # a failed step is reported, and the story goes on
            what = "" if isinstance(exc, AwsarchError) else f"{type(exc).__name__}: "
            ok, outcome = False, f"{what}{exc}"
            click.echo(f"awsarch: error: {outcome}", err=True)
        verdict = console.style("ok:", "ok") if ok else console.style("FAIL:", "error")
        console.echo(f"→ {verdict} {outcome}")  # not `ok ` + space: CI counts the summary's
        self.outcomes.append((title, ok, outcome))
        return ok

    def summary(self) -> None:
        """One `ok` or `FAIL` line per step (CI counts the `ok ` lines)."""
        console.echo(console.style("\n━━ summary", "heading"))
        width = max(len(title) for title, _, _ in self.outcomes)
        for title, ok, outcome in self.outcomes:
            mark = console.style("ok  ", "ok") if ok else console.style("FAIL", "error")
            console.echo(f"{mark} {title.ljust(width)}  {outcome}")

    def failed(self) -> list[tuple[int, str, str]]:
        """(number, title, what it showed) of every step that failed."""
        return [
            (number, title, outcome)
            for number, (title, ok, outcome) in enumerate(self.outcomes, 1)
            if not ok
        ]


def tell(steps: Sequence[Step]) -> None:
    """Run every step, print the summary, and raise DemoFailed naming the steps that failed."""
    story = Story()
    for title, action in steps:
        story.step(title, action)
    story.summary()
    failed = story.failed()
    if failed:
        number, title, outcome = failed[0]
        others = ", ".join(str(n) for n, _, _ in failed[1:])
        raise DemoFailed(
            f"{len(failed)} of {len(steps)} demo steps failed, first {number}. {title}"
            f" ({outcome})" + (f"; then steps {others} (see the summary)" if others else "")
        )


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
                try:
                    tell(Steps(folder=folder, endpoint=running.endpoint_url).all())
                finally:
                    click.echo(
                        f"\nthe blueprint, the pictures and the report are kept in {folder}"
                        if keep
                        else "\nthe blueprint, the pictures and the report were in a scratch"
                        " folder, now deleted: `awsarch demo --keep DIR` keeps them"
                    )
    finally:
        running.stop()
