"""Colour by promise: an intent that holds is green whether it says `->` or `-/->`, one that is
broken is red, and on the diagram an arrow that breaks an intent is a red arrow."""

from __future__ import annotations

from pathlib import Path

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_file
from awsarch.render import diagram_style as s
from awsarch.render.promise_flows import promise_flows
from awsarch.render.proved_flows import proved_flows
from awsarch.render.report import render_html
from awsarch.render.report_data import build_report
from awsarch.usecases.proofs import prove_all
from awsarch.usecases.verify import verify_file
from tests.render.support import SEED

RED = s.FLOWS["violation"]


def _ssh_open(tmp_path: Path) -> Path:
    """The seed with port 22 open to the internet: `internet -/-> web:22` breaks."""
    text = SEED.read_text(encoding="utf-8").replace("[80, 443]", "[22, 80, 443]")
    path = tmp_path / "blueprint.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _html(path: Path) -> str:
    verified = verify_file(str(path))
    report = build_report(
        verified.architecture,
        findings=verified.findings,
        proofs=verified.proofs,
        locate=verified.locate,
        title="t",
        source=str(path),
    )
    return render_html(report)


def test_a_held_negative_intent_is_green_not_red() -> None:
    """`internet -/-> web:22` holds on the seed: its unreachable paths keep the promise."""
    html = _html(SEED)
    assert 'class="path-verdict unreachable keeps"' in html
    assert "breaks" not in html.split('<section id="intents">')[1]
    assert f'stroke="{RED}" marker-end' not in html


def test_an_ssh_hole_is_a_red_arrow_and_a_red_path(tmp_path: Path) -> None:
    """Port 22 open: the internet → web arrows break the intent and are drawn red."""
    html = _html(_ssh_open(tmp_path))
    assert 'class="path-verdict reachable breaks"' in html
    assert html.count(f'stroke="{RED}" marker-end="url(#head-violation)"') == 2
    assert "Breaks an intent" in html


def test_a_failed_positive_intent_gets_a_red_arrow_of_its_own(tmp_path: Path) -> None:
    """`web -> main:5432` cannot hold (MySQL listens on 3306 only): red web → db arrows."""
    text = SEED.read_text(encoding="utf-8").replace(
        "  - web -> main:3306", "  - web -> main:3306\n  - web -> main:5432"
    )
    path = tmp_path / "blueprint.yaml"
    path.write_text(text, encoding="utf-8")
    arch = expand(load_file(str(path)).blueprint)
    proofs = prove_all(arch, load_file(str(path)).blueprint.intents)
    flows = promise_flows(arch, proved_flows(arch), proofs)
    broken = [(f.source_id, f.destination_id, f.label) for f in flows if f.broken]
    assert broken == [
        ("instance/web-1", "db/main", "5432 blocked"),
        ("instance/web-2", "db/main", "5432 blocked"),
    ]


def test_the_diagram_command_draws_the_ssh_hole_red(tmp_path: Path) -> None:
    """`awsarch diagram` colours by the blueprint's intents too, not only the report."""
    from click.testing import CliRunner

    from awsarch.cli.main import cli

    path = _ssh_open(tmp_path)
    out = tmp_path / "a.svg"
    result = CliRunner().invoke(cli, ["diagram", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().count(f'stroke="{RED}" marker-end') == 2
