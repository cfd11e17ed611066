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
