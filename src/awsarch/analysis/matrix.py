"""The reachability matrix: every endpoint against every other, with the ports that get through."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import field
from functools import cached_property
from typing import Any

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
    return Matrix(names=tuple(e.name for e in found), cells=verdicts, network=net, endpoints=found)


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


def _cell_text(verdict: Verdict | None) -> str:
    if verdict is None:
        return "·"
    if verdict.verdict == "unknown":
        return "?"
    if verdict.verdict == "unreachable":
        return "-"
    return " ".join(verdict.reachable.to_text()) + _MARK[verdict.verdict]


def format_matrix(m: Matrix) -> str:
    """A table: rows are sources, columns destinations; `-` unreachable, `(some)` partial, `?`
    not known (a path meets something awsarch does not model)."""
    header = ["from \\ to", *m.names]
    rows = [[src, *(_cell_text(m.cell(src, dst)) for dst in m.names)] for src in m.names]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(text.ljust(w) for text, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
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
