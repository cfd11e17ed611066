"""The reachability matrix of the seed architecture."""

from __future__ import annotations

from awsarch.analysis import format_matrix, matrix, matrix_to_json

from .build import seed


def test_matrix_covers_every_ordered_pair() -> None:
    """Internet, tiers, server groups and databases, each against every other."""
    m = matrix(seed())
    assert m.names == ("internet", "public", "private", "web", "main")
    assert len(m.cells) == 5 * 4


def test_matrix_cells_match_the_architecture() -> None:
    """The site is open on 80 and 443, the database only to web on 3306."""
    m = matrix(seed())
    assert m.cell("internet", "web").reachable.to_text() == ["tcp/80,443"]
    assert m.cell("internet", "main").verdict == "unreachable"
    assert m.cell("web", "main").reachable.to_text() == ["tcp/3306"]
    assert m.cell("private", "main").verdict == "unreachable"
    assert m.cell("main", "internet").verdict == "reachable"
    assert m.cell("internet", "private").verdict == "unreachable"


def test_matrix_renders_as_text_and_json() -> None:
    """The table has a row per source; JSON has one cell per ordered pair."""
    m = matrix(seed())
    text = format_matrix(m)
    assert text.splitlines()[0].split() == ["from", "\\", "to", *m.names]
    assert any(line.startswith("internet") and "tcp/80,443" in line for line in text.splitlines())
    document = matrix_to_json(m)
    assert document["endpoints"] == list(m.names)
    assert len(document["cells"]) == len(m.cells)
