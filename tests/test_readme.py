"""The README tells the truth: its rules table is the rules' own metadata."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from update_readme_rules import README, with_table  # noqa: E402


def test_readme_rules_table_is_current() -> None:
    """Every rule awsarch runs is listed in the README as it is (regenerate: make readme)."""
    text = README.read_text(encoding="utf-8")
    assert with_table(text) == text


def test_readme_shows_the_seed_blueprint_as_it_is() -> None:
    """The blueprint the README shows is exactly what `awsarch init` writes."""
    from awsarch.blueprint.seed import seed_text

    text = README.read_text(encoding="utf-8")
    shown = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert shown.strip() in seed_text()
    assert len(shown.strip().splitlines()) >= len(seed_text().splitlines()) - 2
