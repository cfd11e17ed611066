"""The rendered diagrams match the reviewed golden files byte for byte."""

from __future__ import annotations

import pytest

from awsarch.render.diagram import render_svg
from awsarch.render.mermaid import render_mermaid

from .support import CASES, GOLDEN

REGENERATE = "run `python scripts/update_golden_diagrams.py` and review the diff"


@pytest.mark.parametrize("name", sorted(CASES))
def test_svg_matches_golden(name: str) -> None:
    """The SVG of a known architecture changes only when someone reviews the new picture."""
    expected = (GOLDEN / f"{name}.svg").read_text(encoding="utf-8")
    assert render_svg(CASES[name]()) == expected, REGENERATE


@pytest.mark.parametrize("name", sorted(CASES))
def test_mermaid_matches_golden(name: str) -> None:
    """The Mermaid text of a known architecture changes only when someone reviews it."""
    expected = (GOLDEN / f"{name}.mmd").read_text(encoding="utf-8")
    assert render_mermaid(CASES[name]()) == expected, REGENERATE


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendering_is_deterministic(name: str) -> None:
    """Drawing the same model twice gives the same bytes, so diffs show real changes only."""
    assert render_svg(CASES[name]()) == render_svg(CASES[name]())
    assert render_mermaid(CASES[name]()) == render_mermaid(CASES[name]())
