"""`awsarch demo`: the main job, told in steps, on a throw-away folder.

Each step prints what it shows and whether it held; the demo exits non-zero if any failed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click

from awsarch.blueprint.seed import seed_text
from awsarch.errors import EXIT_FINDINGS
from awsarch.render.findings import findings_text, summary_line
from awsarch.render.tree import architecture_tree
from awsarch.verify import verify_file


@dataclass
class _Story:
    """Runs the demo's steps in order and keeps a line of outcome for each."""

    outcomes: list[tuple[str, bool, str]] = field(default_factory=list)

    def step(self, title: str, action: Callable[[], tuple[bool, str]]) -> bool:
        click.echo(click.style(f"\n== {len(self.outcomes) + 1}. {title}", bold=True))
        ok, outcome = action()
        self.outcomes.append((title, ok, outcome))
        return ok

    def summary(self) -> bool:
        click.echo(click.style("\n== summary", bold=True))
        width = max(len(title) for title, _, _ in self.outcomes)
        for title, ok, outcome in self.outcomes:
            mark = click.style("ok  ", fg="green") if ok else click.style("FAIL", fg="red")
            click.echo(f"{mark} {title.ljust(width)}  {outcome}")
        return all(ok for _, ok, _ in self.outcomes)


@click.command("demo")
@click.option("--keep", type=click.Path(file_okay=False), help="Work in this folder and keep it.")
def command(keep: str | None) -> None:
    """Show the whole job on the seed blueprint, in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="awsarch-demo-") as scratch:
        folder = Path(keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if not _run(folder):
            raise SystemExit(EXIT_FINDINGS)


def _run(folder: Path) -> bool:
    story = _Story()
    blueprint = folder / "blueprint.yaml"

    def write_seed() -> tuple[bool, str]:
        blueprint.write_text(seed_text(), encoding="utf-8")
        click.echo(f"awsarch init → {blueprint}")
        return True, f"{len(seed_text().splitlines())} lines of blueprint"

    def check() -> tuple[bool, str]:
        result = verify_file(str(blueprint))
        for line in findings_text(result.findings, result.locate):
            click.echo(line)
        line = summary_line(result.findings)
        click.echo(f"awsarch check → {line} ({result.rule_count} rules)")
        return not any(f.severity == "error" for f in result.findings), line

    def plan() -> tuple[bool, str]:
        result = verify_file(str(blueprint))
        lines = architecture_tree(result.architecture)
        for line in lines:
            click.echo(line)
        return True, lines[-1]

    story.step("write the seed blueprint", write_seed)
    story.step("check: the architecture's rules", check)
    story.step("plan: every resource the blueprint expands to", plan)
    return story.summary()
