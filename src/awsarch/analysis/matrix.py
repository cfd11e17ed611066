"""The reachability matrix: every endpoint against every other, with the ports that get through."""

from __future__ import annotations

import gc
import textwrap
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import field
from functools import cached_property
from typing import Any, Literal

from awsarch.analysis.cells import Cells
from awsarch.analysis.endpoints import Endpoint, endpoints
from awsarch.analysis.network import Network
from awsarch.analysis.reach import reach_endpoints
from awsarch.analysis.verdict import Verdict
from awsarch.model import Architecture
from awsarch.record import record

_MARK = {"reachable": "", "partially-reachable": " (some)", "unreachable": "", "unknown": ""}


@record
class Matrix:
    names: tuple[str, ...]
    """Endpoints in order: internet, tiers, server groups, databases."""
    cells: tuple[Verdict, ...]
    """One verdict per ordered pair of distinct endpoints (no port asked: what gets through),
    without its paths: `paths` proves one cell with every path when asked."""
    network: Network | None = field(default=None, compare=False, repr=False)
    endpoints: tuple[Endpoint, ...] = field(default=(), compare=False, repr=False)
    proved: Cells | None = field(default=None, compare=False, repr=False)
    """The cells' prover, for more questions about the same endpoints (what an intent asks)."""

    def cell(self, source: str, destination: str) -> Verdict | None:
        return self._index.get((source, destination))

    def paths(self, source: str, destination: str) -> Verdict | None:
        """One cell's full verdict, every placement pair hop by hop (the report's drill-down);
        None for a pair the matrix does not hold."""
        if self.network is None or self.cell(source, destination) is None:
            return None
        ends = {e.name: e for e in self.endpoints}
        return reach_endpoints(self.network, ends[source], ends[destination])

    @cached_property
    def _index(self) -> dict[tuple[str, str], Verdict]:
        """Cells by (source, destination), the first of each pair as a linear search finds."""
        found: dict[tuple[str, str], Verdict] = {}
        for v in self.cells:
            found.setdefault((v.source, v.destination), v)
        return found


def matrix(arch: Architecture) -> Matrix:
    """Every endpoint (internet, tiers, server groups, databases) against every other."""
    return matrix_of(Network(arch))


def matrix_of(net: Network, cells: Cells | None = None) -> Matrix:
    """As `matrix`, over a Network (and Cells) a caller shares with other proofs: each class of
    placements is proved once, and no path is kept."""
    found = endpoints(net.arch)
    proved = cells or Cells(net)
    with _collector_paused():
        verdicts = tuple(
            proved.each(
                (src, dst)
                for src in found
                for dst in found
                if src.name != dst.name and not (src.kind == dst.kind == "internet")
            )
        )
    return Matrix(
        names=tuple(e.name for e in found),
        cells=verdicts,
        network=net,
        endpoints=found,
        proved=proved,
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the matrix is built.

    The matrix keeps one verdict per cell (over a hundred thousand on a wide model) and creates
    no reference cycles; every full collection would rescan all of them. The collector is
    restored (and catches up) as soon as the matrix is built.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _cell_text(verdict: Verdict | None, memo: dict[tuple[int, str], str] | None = None) -> str:
    """A cell's words; `memo` keeps them by the verdict's ports object, which the cells of a
    wide matrix share (cells._named), so each shape is put in words once."""
    if verdict is None:
        return "·"
    if verdict.verdict == "unknown":
        return "?"
    if verdict.verdict == "unreachable":
        return "-"
    key = (id(verdict.reachable), verdict.verdict)
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = " ".join(verdict.reachable.to_text()) + _MARK[verdict.verdict]
        if memo is not None:
            memo[key] = found
    return found


Standing = Literal["held", "violated", ""]
"""What the blueprint's intents say of a cell: kept, broken, or nothing ("")."""
PROMISE_MARK: dict[str, str] = {"held": "✓", "violated": "✗", "": ""}


@record
class GridCell:
    """One cell of the printed matrix: its text and what its colour stands for."""

    text: str
    promise: Standing = ""
    imagined: bool = False
    """A row or column with no real interface (a tier): what the network alone lets through."""
    unknown: bool = False
    heading: bool = False

    @property
    def mark(self) -> str:
        return PROMISE_MARK[self.promise]

    @property
    def plain(self) -> str:
        return f"{self.text} {self.mark}" if self.mark else self.text


Painter = Callable[[GridCell], str]
"""Draws a cell's text (and mark) in colour; the table pads around what it returns."""


def imagined(m: Matrix) -> frozenset[str]:
    """Endpoints with no real network interface: tiers, proved through an allow-all
    interface placed in their subnets (endpoints.tier_placements)."""
    return frozenset(
        e.name for e in m.endpoints if e.placements and all(p.allow_all for p in e.placements)
    )


def matrix_grid(
    m: Matrix, promises: Mapping[tuple[str, str], Standing] | None = None
) -> list[list[GridCell]]:
    """The table as cells: a heading row, then a row per source (its name first)."""
    kept = promises or {}
    dim = imagined(m)
    memo: dict[tuple[int, str], str] = {}
    rows = [[GridCell(text="from \\ to", heading=True)]]
    rows[0] += [GridCell(text=n, heading=True, imagined=n in dim) for n in m.names]
    for src in m.names:
        row = [GridCell(text=src, heading=True, imagined=src in dim)]
        for dst in m.names:
            verdict = m.cell(src, dst)
            row.append(
                GridCell(
                    text=_cell_text(verdict, memo),
                    promise=kept.get((src, dst), ""),
                    imagined=src in dim or dst in dim,
                    unknown=verdict is not None and verdict.verdict == "unknown",
                )
            )
        rows.append(row)
    return rows


def _plain_rows(m: Matrix, promises: Mapping[tuple[str, str], Standing]) -> list[list[str]]:
    """The table's words, marks included: what `matrix_grid` says, without its colours (a wide
    matrix has over a hundred thousand cells, printed plain in a pipe)."""
    memo: dict[tuple[int, str], str] = {}
    rows = [["from \\ to", *m.names]]
    for src in m.names:
        row = [src]
        for dst in m.names:
            text = _cell_text(m.cell(src, dst), memo)
            mark = PROMISE_MARK[promises.get((src, dst), "")] if promises else ""
            row.append(f"{text} {mark}" if mark else text)
        rows.append(row)
    return rows


def format_matrix(
    m: Matrix,
    promises: Mapping[tuple[str, str], Standing] | None = None,
    paint: Painter | None = None,
) -> str:
    """A table: rows are sources, columns destinations; `-` unreachable, `(some)` partial, `?`
    not known (a path meets something awsarch does not model); with `promises`, ✓ marks a
    cell whose intents hold and ✗ one whose intent is broken (`matrix_legend` says it all).
    `paint` draws each cell in colour; the table pads around what it draws."""
    rows = _plain_rows(m, promises or {})
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    if paint is None:
        drawn = rows
    else:
        drawn = [[paint(cell) for cell in row] for row in matrix_grid(m, promises)]
    lines = [
        "  ".join(
            shown + " " * (w - len(text))
            for shown, text, w in zip(shown_row, row, widths, strict=True)
        ).rstrip()
        for shown_row, row in zip(drawn, rows, strict=True)
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


LEGEND_WIDTH = 100
LegendItem = tuple[str, str, str]
"""(key, meaning, what colours the key: "", "held", "violated" or "imagined")."""


def matrix_legend(
    m: Matrix, promises: Mapping[tuple[str, str], Standing] | None = None
) -> list[LegendItem]:
    """What the cells' words, marks and colours mean; the marks only when intents were read,
    the tiers' line only when the matrix has tiers."""
    items: list[LegendItem] = [
        ("tcp/443", "what gets from the row to the column (all: every protocol and port)", ""),
        ("-", "nothing gets through", ""),
        ("(some)", "only some pairs of interfaces get through", ""),
        ("?", "not known: a path meets something awsarch does not model", ""),
        ("·", "the same endpoint", ""),
    ]
    if promises is not None:
        items += [
            ("✓", "green: the blueprint's intents about the pair hold", "held"),
            ("✗", "red: an intent about the pair is broken", "violated"),
            ("", "no mark, no colour: no intent is about the pair", ""),
        ]
    dim = [n for n in m.names if n in imagined(m)]
    if dim:
        are = f"{dim[0]} is a tier" if len(dim) == 1 else f"{', '.join(dim)} are tiers"
        items.append(
            (
                "dim",
                f"{are}, not real interfaces: their cells show what routes, network ACLs and"
                " gateways let through to an allow-all interface in the tier's subnets",
                "imagined",
            )
        )
    return items


def format_legend(items: list[LegendItem], paint: Callable[[str, str], str] | None = None) -> str:
    """The legend under the table: one key and its meaning a line; `paint(key, colour)` draws
    a key in its colour."""
    width = max(len(key) for key, _, _ in items)
    lines = ["legend:"]
    for key, meaning, colour in items:
        shown = paint(key, colour) if paint and colour and key else key
        pad = " " * (width - len(key))
        first, *more = textwrap.wrap(meaning, LEGEND_WIDTH - width - 4) or [""]
        lines.append(f"  {shown}{pad}  {first}")
        lines += [f"  {' ' * width}  {line}" for line in more]
    return "\n".join(lines)


def matrix_to_json(m: Matrix) -> dict[str, Any]:
    """The matrix as stable JSON: endpoints and one entry per ordered pair."""
    return {
        "endpoints": list(m.names),
        "cells": [
            {
                "source": v.source,
                "destination": v.destination,
                "verdict": v.verdict,
                "ports": v.reachable.to_text(),
            }
            for v in m.cells
        ],
    }
