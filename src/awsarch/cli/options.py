"""Options and helpers shared by several verbs, and the group class of every verb with
subcommands (the top `awsarch` and `audit`, `iam`, `stackset`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from awsarch.errors import InputError

BLUEPRINT_ARG = click.argument(
    "blueprint", default="blueprint.yaml", metavar="[FILE]", type=click.Path()
)
PARALLEL_OPTION = click.option(
    "--parallel",
    type=click.IntRange(1, 32),
    default=8,
    show_default=True,
    help="How many independent actions run at the same time.",
)
FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs (a stable contract).",
)
FINDINGS_FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text for people, json for programs (a stable contract), sarif (2.1.0) for code scanning.",
)
"""The verbs that report findings (`check`, `audit`, `audit merge`) also speak SARIF."""
PARAMETER_OPTION = click.option(
    "--parameter",
    "parameters",
    multiple=True,
    metavar="K=V",
    help="A CloudFormation template's parameter (overrides its Default); repeatable.",
)
INTENTS_OPTION = click.option(
    "--intents",
    "intents_file",
    default=None,
    metavar="FILE",
    type=click.Path(),
    help="Intents to prove on a CloudFormation template (YAML list or `intents:`).",
)


def write_file(path: Path, text: str) -> None:
    """Write text to path, creating its folder as needed; a file in the way is one line naming
    it and what to do, not the system's bare FileExistsError or NotADirectoryError."""
    blocker = next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise InputError(
            f"{path}: {blocker} is a file, not a folder — choose another path, or move {blocker}"
        )
    if path.is_dir():
        raise InputError(f"{path} is a folder — give the path of a file (in it, or elsewhere)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# Options accepted anywhere on the line: before the verb (on the group) and after it (added to
# every verb by `add_global_options`), so `awsarch check x.yaml --debug` works as users expect.


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """The root sets it for this run; a verb only turns it on (the root parsed first)."""
    if value or ctx.parent is None:
        ctx.find_root().ensure_object(dict)["debug"] = value


def _set_no_color(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """On for this run once given anywhere; the root puts back what was before when the run
    ends (a run inside another, as `demo` does, keeps the outer run's choice)."""
    from awsarch.cli import console

    if ctx.parent is None:
        before = console.no_color()
        ctx.call_on_close(lambda: console.configure(no_color=before))
    if value:
        console.configure(no_color=True)


_GLOBAL_FLAGS: dict[str, dict[str, Any]] = {
    "--debug": {"callback": _set_debug, "help": "Show tracebacks instead of one-line errors."},
    "--no-color": {
        "callback": _set_no_color,
        "help": "No colour (also NO_COLOR=1; FORCE_COLOR=1 colours even a pipe).",
    },
}
DEBUG_OPTION = click.option("--debug", is_flag=True, expose_value=False, **_GLOBAL_FLAGS["--debug"])
NO_COLOR_OPTION = click.option(
    "--no-color", is_flag=True, expose_value=False, **_GLOBAL_FLAGS["--no-color"]
)
GLOBAL_FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    default=None,
    metavar="FORMAT",
    help="The verb's --format (text, json, …), given before the verb.",
)


def add_global_options(command: click.Command) -> None:
    """Give a verb (and a group's every sub-verb) --debug and --no-color, once."""
    names = {param.name for param in command.params}
    for flag, settings in _GLOBAL_FLAGS.items():
        option = click.Option([flag], is_flag=True, expose_value=False, **settings)
        if option.name not in names:
            command.params.append(option)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_global_options(sub)


def default_format(ctx: click.Context, value: str) -> None:
    """`awsarch --format json VERB`: the verb's own --format defaults to value (its choices
    still apply); a verb without --format refuses it."""
    name = ctx.invoked_subcommand
    group = ctx.command
    command = group.get_command(ctx, name) if name and isinstance(group, click.Group) else None
    defaults = _format_defaults(command, value) if command else None
    if name is None or defaults is None:
        raise click.UsageError(f"`{name}` has no --format option", ctx)
    ctx.default_map = {**(ctx.default_map or {}), name: defaults}


def _format_defaults(command: click.Command, value: str) -> dict[str, Any] | None:
    own = {"output_format": value} if any(p.name == "output_format" for p in command.params) else {}
    if isinstance(command, click.Group):
        found = {n: _format_defaults(c, value) for n, c in command.commands.items()}
        return {**own, **{n: d for n, d in found.items() if d}} or None
    return own or None


class Group(click.Group):
    """A click group whose help lists whole summaries and whose unknown subcommands get the
    closest known name, as git and Terraform do."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Whole first sentences, wrapped, instead of click's cut-off summaries."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise click.UsageError(
                f"no such command {name!r}{suggest(name, self.list_commands(ctx))}", ctx
            )
        return super().resolve_command(ctx, args)


def suggest(word: str, choices: list[str]) -> str:
    """': did you mean X?' for the closest of choices, or nothing when none is close."""
    import difflib  # only on a mistake: start-up stays without it

    close = difflib.get_close_matches(word, choices, n=1)
    return f": did you mean {close[0]}?" if close else ""
