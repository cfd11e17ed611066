"""Where an arrow's label may go: a uniform grid over the page of what labels must not cover.

Placing a label asks "does this rectangle touch anything already taken?" for a few candidate
spots per arrow. Asked of every taken rectangle, that is quadratic in arrows (12 million checks
for 2,767 arrows); asked of the grid cells the rectangle covers, it is the handful of
rectangles nearby. The answer is the same: two rectangles that touch share a cell, and each
candidate found in a cell is still checked exactly (`overlap`).
"""

from __future__ import annotations

from collections.abc import Iterable

Rect = tuple[int, int, int, int]
"""x, y, width, height."""

GAP = 2
"""How close two rectangles may come without touching: labels keep this much air."""
CELL = 64
"""The grid's cell size in pixels: about one label wide, a few high."""


def overlap(a: Rect, b: Rect) -> bool:
    """The rectangles touch or come closer than GAP."""
    return (
        a[0] < b[0] + b[2] + GAP
        and b[0] < a[0] + a[2] + GAP
        and a[1] < b[1] + b[3] + GAP
        and b[1] < a[1] + a[3] + GAP
    )


class Taken:
    """The rectangles placed so far, filed under every grid cell they (with GAP) reach."""

    def __init__(self, rects: Iterable[Rect] = ()) -> None:
        self._cells: dict[tuple[int, int], list[Rect]] = {}
        for rect in rects:
            self.add(rect)

    def add(self, rect: Rect) -> None:
        x, y, w, h = rect
        for cell in _cells(x - GAP, y - GAP, x + w + GAP, y + h + GAP):
            self._cells.setdefault(cell, []).append(rect)

    def free(self, rect: Rect) -> bool:
        """Nothing taken touches the rectangle (as checking every taken rectangle would say)."""
        x, y, w, h = rect
        for cell in _cells(x, y, x + w, y + h):
            for other in self._cells.get(cell, ()):
                if overlap(rect, other):
                    return False
        return True


def _cells(left: int, top: int, right: int, bottom: int) -> Iterable[tuple[int, int]]:
    """Every cell a closed box from (left, top) to (right, bottom) reaches."""
    for cx in range(left // CELL, right // CELL + 1):
        for cy in range(top // CELL, bottom // CELL + 1):
            yield cx, cy
