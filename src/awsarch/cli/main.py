"""The `awsarch` command: the group, the verbs, and the one error handler.

Each verb's module is imported only when that verb runs (click's lazy group), so that
`awsarch check` never loads boto3, the emulator or the deployer: start-up stays near Python's own.
"""

from __future__ import annotations

import gc
import importlib
import sys
from typing import Any

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


class _Group(click.Group):
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

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Whole first sentences, wrapped, instead of click's cut-off summaries."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Outcome as exc:  # an answer, not a bug: no traceback even with --debug
            _conclude(exc)
        except AwsarchError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(str(exc), exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:  # the reader (`| head`) left: stop quietly, like other tools
            sys.stderr.close()
            sys.exit(0)
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(f"internal error: {exc!r} — run again with --debug and report it", EXIT_TOOL)


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


def _conclude(outcome: Outcome) -> None:
    """Exit with the outcome's code; its message, if any, on one line (a refusal to go on says
    `error:`, a question answered no does not)."""
    message = str(outcome)
    if message:
        label = "" if isinstance(outcome, Cancelled) else "error: "
        click.echo(f"awsarch: {label}{message}", err=True)
    sys.exit(outcome.exit_code)


def _fail(message: str, code: int) -> None:
    click.echo(f"awsarch: error: {message}", err=True)
    sys.exit(code)


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
    try:
        cli.main(prog_name="awsarch", standalone_mode=True)
    except click.exceptions.UsageError as exc:  # pragma: no cover - click handles these itself
        _fail(exc.format_message(), EXIT_INPUT)
