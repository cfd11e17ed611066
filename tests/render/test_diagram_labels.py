"""Arrow labels go where checking every placed label would put them, found through a grid."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsarch.model import Architecture
from awsarch.render import diagram_routes
from awsarch.render.diagram import layout, route
from awsarch.render.diagram_labels import CELL, Rect, Taken, overlap
from awsarch.render.diagram_routes import Point, label_spot
from awsarch.render.proved_flows import proved_flows

from .support import balanced, bench_blueprint, grid, seed, three_tier


class BruteForce:
    """The placement before the grid: every candidate against every rectangle taken."""

    def __init__(self, rects: list[Rect] | tuple[Rect, ...] = ()) -> None:
        self.rects = list(rects)

    def add(self, rect: Rect) -> None:
        self.rects.append(rect)

    def free(self, rect: Rect) -> bool:
        return not any(overlap(rect, other) for other in self.rects)


coordinate = st.integers(min_value=-3 * CELL, max_value=12 * CELL)
rects = st.tuples(coordinate, coordinate, st.integers(0, 3 * CELL), st.integers(0, 2 * CELL)).map(
    lambda r: (r[0], r[1], r[2], r[3])
)
points = st.tuples(coordinate, coordinate)
# an arrow's own part: axis-parallel segments, like the router's
paths = st.lists(points, min_size=1, max_size=5)
labels = st.tuples(paths, st.integers(8, 160), st.integers(10, 24))


@settings(max_examples=150, deadline=None)
@given(obstacles=st.lists(rects, max_size=40), arrows=st.lists(labels, max_size=60))
def test_grid_places_every_label_where_brute_force_does(
    obstacles: list[Rect], arrows: list[tuple[list[Point], int, int]]
) -> None:
    """On generated obstacles and arrows, the grid answers every "is it free?" the same way."""
    fast, slow = Taken(obstacles), BruteForce(obstacles)
    for own, w, h in arrows:
        size = (0, 0, w, h)
        at = label_spot(own, size, fast.free)
        assert at == label_spot(own, size, slow.free)
        placed = (at[0] - w // 2, at[1] - h // 2, w, h)
        fast.add(placed)
        slow.add(placed)


@given(a=rects, b=rects)
def test_touching_rectangles_share_a_cell(a: Rect, b: Rect) -> None:
    """The grid never misses a neighbour: free() is False exactly when some rectangle touches."""
    assert Taken([b]).free(a) == (not overlap(a, b))


ARCHITECTURES = {
    "seed": seed,
    "three_tier": three_tier,
    "balanced_3az": lambda: balanced(3),
    "grid_3x3": lambda: grid(3, 3),
    "bench_6x12": lambda: bench_blueprint(6, 12),
}


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_whole_diagrams_place_labels_as_brute_force(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every arrow of a real diagram, proved flows included, keeps the label spot it had."""
    arch: Architecture = ARCHITECTURES[name]()
    flows = proved_flows(arch)
    placed = layout(arch)
    fast = route(placed, flows)
    monkeypatch.setattr(diagram_routes, "Taken", BruteForce)
    assert route(placed, flows) == fast
