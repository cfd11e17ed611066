"""The `awsarch` command: the group, the verbs, and the one error handler.

Imports stay lazy so that `awsarch check` never loads boto3 or the emulator.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from awsarch import __version__
from awsarch.errors import EXIT_INPUT, EXIT_TOOL, AwsarchError


class _Group(click.Group):
    """Routes every error to one place: a one-line message and an exit code, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
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


def _fail(message: str, code: int) -> None:
    click.echo(f"awsarch: error: {message}", err=True)
    sys.exit(code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="awsarch")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build the classic secure AWS architecture from one blueprint, and prove it."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _register() -> None:
    from awsarch.cli import (
        audit,
        check,
        demo,
        diagram,
        down,
        emulator,
        iam,
        init,
        plan,
        reach,
        report,
        rules,
        stackset,
        synth,
        unlock,
        up,
    )

    verbs = (
        init,
        check,
        plan,
        reach,
        synth,
        up,
        down,
        unlock,
        audit,
        emulator,
        demo,
        diagram,
        report,
    )
    for module in verbs:
        cli.add_command(module.command)
    cli.add_command(iam.group)
    cli.add_command(stackset.group)
    cli.add_command(rules.rules_command)
    cli.add_command(rules.explain_command)
    cli.add_command(__import__("awsarch.cli.output", fromlist=["command"]).command)


_register()


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="awsarch", standalone_mode=True)
    except click.exceptions.UsageError as exc:  # pragma: no cover - click handles these itself
        _fail(exc.format_message(), EXIT_INPUT)
