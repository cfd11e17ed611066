"""Findings point at FILE:LINE in the user's blueprint, through the document's positions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.rules.registry import run_rules

from .support import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")

# (rule id, seed line to change, its replacement, text that marks the expected line)
EDITS = [
    ("DATA004", "    multi_az: true ", "    multi_az: false ", "multi_az: false"),
    ("DATA001", "    tier: private", "    tier: public", "    tier: public\n    allow_from"),
    ("SEC004", "public_ports: [80, 443]", "public_ports: [22, 80, 443]", "public_ports: [22"),
    (
        "DATA003",
        "    allow_from: [web]",
        "    allow_from: [web]\n    allow_cidrs: [10.0.0.0/8]",
        "allow_cidrs:",
    ),
    ("SEC002", "    tier: public\n", "    tier: public\n    imdsv2: false\n", "imdsv2: false"),
    (
        "DATA008",
        "    allow_from: [web]",
        "    allow_from: [web]\n    backup_days: 3",
        "backup_days",
    ),
]


def line_of(text: str, marker: str) -> int:
    """The 1-based line on which marker starts (unique in the edited blueprint)."""
    assert text.count(marker) == 1, marker
    return text[: text.index(marker)].count("\n") + 1


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e[0])
def test_finding_resolves_to_the_edited_line(edit: tuple[str, str, str, str]) -> None:
    """A user who breaks one line of the blueprint is sent to that line."""
    rule_id, old, new, marker = edit
    assert old in SEED_TEXT
    text = SEED_TEXT.replace(old, new, 1)
    loaded = load_text(text, file="blueprint.yaml")
    matching = [f for f in run_rules(expand(loaded.blueprint)) if f.rule_id == rule_id]
    assert matching, rule_id
    line, _ = loaded.document.position(matching[0].path)
    assert line == line_of(text, marker)


def test_defaulted_key_resolves_to_its_owner() -> None:
    """A finding about a key left at its default points at the object that would hold it."""
    loaded = load_text(SEED_TEXT, file="blueprint.yaml")
    arch = expand(loaded.blueprint)
    db = replace(arch.databases[0], deletion_protection=False)
    (finding,) = [f for f in run_rules(replace(arch, databases=(db,))) if f.rule_id == "DATA006"]
    assert finding.path == ("databases", "main", "deletion_protection")
    assert loaded.document.position(finding.path, key=True)[0] == line_of(SEED_TEXT, "  main:")
