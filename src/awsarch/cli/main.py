"""The `awsarch` command: the group, the verbs, and the one error handler.

Each verb's module is imported only when that verb runs (click's lazy group), so that
`awsarch check` never loads boto3, the emulator or the deployer: start-up stays near Python's own.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Any, NoReturn, TextIO, cast

import click

from awsarch import __version__
from awsarch.cli import options
from awsarch.errors import EXIT_INPUT, EXIT_TOOL, AwsarchError, Cancelled, Outcome

VERBS: dict[str, str] = {
    "init": "awsarch.cli.init:command",
    "check": "awsarch.cli.check:command",
    "plan": "awsarch.cli.plan:command",
    "reach": "awsarch.cli.reach:command",
    "synth": "awsarch.cli.synth:command",
    "up": "awsarch.cli.up:command",
    "down": "awsarch.cli.down:command",
    "unlock": "awsarch.cli.unlock:command",
    "audit": "awsarch.cli.audit:command",
    "emulator": "awsarch.cli.emulator:command",
    "demo": "awsarch.cli.demo:command",
    "diagram": "awsarch.cli.diagram:command",
    "report": "awsarch.cli.report:command",
    "iam": "awsarch.cli.iam:group",
    "stackset": "awsarch.cli.stackset:group",
    "rules": "awsarch.cli.rules:rules_command",
    "explain": "awsarch.cli.rules:explain_command",
    "output": "awsarch.cli.output:command",
}
"""Every verb: its name → "module:attribute" of its click command. One line adds a verb."""


class _Group(options.Group):
    """Loads a verb on demand and routes every error to one place: a one-line message and an
    exit code, no traceback. Verbs never exit themselves: they raise, and only this file exits."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*VERBS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in VERBS:
            return self.commands.get(cmd_name)
        module, _, attribute = VERBS[cmd_name].partition(":")
        command = getattr(_load(module), attribute)
        if not isinstance(command, click.Command):  # pragma: no cover - a wrong table line
            raise TypeError(f"{VERBS[cmd_name]} is not a click command")
        options.add_global_options(command)
        self.add_command(command, cmd_name)
        return command

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """The options before the verb are parsed here, outside `invoke`: their usage errors
        get the same one line."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            _usage(exc)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Outcome as exc:  # an answer, not a bug: no traceback even with --debug
            _conclude(exc)
        except AwsarchError as exc:
            if _debug(ctx):
                raise
            _fail(str(exc), exc.exit_code)
        except click.UsageError as exc:
            _usage(exc)
        except click.exceptions.Exit:
            raise
        except click.exceptions.Abort:  # Ctrl-D or Ctrl-C at a question
            _conclude(Cancelled("cancelled: nothing changed"))
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as exc:
            if _debug(ctx):
                raise
            _fail(*_unexpected(exc))


def _debug(ctx: click.Context) -> bool:
    """--debug, read when the error comes: a verb's own --debug is parsed after the group's."""
    return bool(ctx.obj and ctx.obj.get("debug"))


def _unexpected(exc: Exception) -> tuple[str, int]:
    """A file the system refused (a folder in the way, no permission): the file and why, exit
    2; anything else is a bug: one line asking for a report."""
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}", EXIT_INPUT
    return f"internal error: {exc!r} — run again with --debug and report it", EXIT_TOOL


class _Stdout:
    """stdout that outlives its reader: once `| head` has gone, the rest goes to /dev/null and
    the run goes on to its end and its own exit code, as Python's documentation advises
    (https://docs.python.org/3/library/signal.html#note-on-sigpipe), instead of stopping
    half-way through a deployment."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._to_devnull()
            return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._to_devnull()

    def _to_devnull(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())
        os.close(devnull)
        self._stream.flush()  # what was buffered drains into /dev/null

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _load(module: str) -> Any:
    """Import a verb's module with the cycle collector paused: loading builds thousands of
    objects (classes, functions) and frees none, so collections during it only cost time
    (about 4 ms of `check`'s start-up)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return importlib.import_module(module)
    finally:
        if enabled:
            gc.enable()


def _conclude(outcome: Outcome) -> NoReturn:
    """Exit with the outcome's code; its message, if any, on one line (a refusal to go on says
    `error:`, a question answered no does not)."""
    message = str(outcome)
    if message:
        label = "" if isinstance(outcome, Cancelled) else "error: "
        click.echo(f"awsarch: {label}{message}", err=True)
    sys.exit(outcome.exit_code)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"awsarch: error: {message}", err=True)
    sys.exit(code)


def _usage(exc: click.UsageError) -> NoReturn:
    """click's message on one line, and where the verb's usage is, instead of click's block
    (`awsarch` alone, or a group alone, still shows its help)."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        raise exc
    where = exc.ctx.command_path if exc.ctx else "awsarch"
    _fail(f"{exc.format_message()} — see `{where} --help`", EXIT_INPUT)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="awsarch")
@options.DEBUG_OPTION
@options.NO_COLOR_OPTION
@options.GLOBAL_FORMAT_OPTION
@click.pass_context
def cli(ctx: click.Context, output_format: str | None) -> None:
    """Build the classic secure AWS architecture from one blueprint, and prove it.

    --debug, --no-color and --format may also follow the verb."""
    if output_format is not None:
        options.default_format(ctx, output_format)


def main() -> None:
    """Console-script entry point."""
    if sys.stdout is not None and not isinstance(sys.stdout, _Stdout):
        sys.stdout = cast(TextIO, _Stdout(sys.stdout))
    cli.main(prog_name="awsarch", standalone_mode=True)
