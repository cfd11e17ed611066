"""Run one verb in this process, as a program runs it: its exit code, its stdout, its error.

`awsarch demo` drives the verbs through this rather than through `awsarch.cli.main`, which
lists `demo` among its verbs (importing it back would be a cycle). A verb ends in one of three
ways, as under the CLI's one handler: it returns (exit 0), click's `Exit` carries a code
(`plan --detailed-exitcode`), or it raises an AwsarchError, whose exit code and one line this
runner reports as the handler would. Anything else is a bug and propagates.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import click

from awsarch.cli import console
from awsarch.errors import EXIT_TOOL, AwsarchError


@dataclass(frozen=True)
class Ran:
    """How one verb ended: its exit code, what it wrote to stdout, and its error line if any."""

    command: str
    code: int
    out: str
    error: str = ""

    def document(self) -> Any:
        """stdout as one JSON document (`check`, `reach`, `audit` with `--format json`)."""
        return json.loads(self.out)

    def objects(self) -> list[dict[str, Any]]:
        """stdout as JSON lines (`plan`, `up`, `down` with `--format json`)."""
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]

    def last(self, kind: str) -> dict[str, Any]:
        """The last JSON line of that `type` (the `plan`, the closing `summary`), or {}."""
        found = [o for o in self.objects() if o.get("type") == kind]
        return found[-1] if found else {}


def run(command: click.Command, args: Sequence[str], *, show: bool = True) -> Ran:
    """Run `command` with `args` as `awsarch NAME ARGS…` would (the line is shown first unless
    `show` is off); stdout is kept, not printed: the caller reads it."""
    line = " ".join(["awsarch", command.name or "", *args])
    if show:
        console.echo(console.style(f"$ {line}", "command"))
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            returned = command.main(
                list(args), prog_name=f"awsarch {command.name}", standalone_mode=False
            )
    except AwsarchError as exc:
        return _failed(line, exc.exit_code, str(exc), out)
    except click.ClickException as exc:  # usage errors: exit 2, as click itself says
        return _failed(line, exc.exit_code, exc.format_message(), out)
    except click.exceptions.Abort:
        return _failed(line, EXIT_TOOL, "aborted", out)
    # standalone_mode=False: click returns Exit's code, or the callback's value (None)
    code = returned if type(returned) is int else 0
    return Ran(command=line, code=code, out=out.getvalue())


def _failed(line: str, code: int, message: str, out: io.StringIO) -> Ran:
    """As the CLI's handler says it: one line, or none for an outcome already printed (a
    findings error carries no message of its own)."""
    if message:
        click.echo(f"awsarch: error: {message}", err=True)
    return Ran(command=line, code=code, out=out.getvalue(), error=message)
