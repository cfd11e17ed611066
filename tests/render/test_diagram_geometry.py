"""The diagram's geometry holds for every grid from 1 to 6 AZs and 1 to 3 tiers."""

from __future__ import annotations

from itertools import combinations

import pytest

from awsarch.render.diagram import Box, Layout, flows_from_model, layout, route
from awsarch.render.diagram_routes import pill

from .support import grid

SIZES = [(azs, tiers) for azs in range(1, 7) for tiers in range(1, 4)]
CARDS = ("instance", "nat", "database")


def _inside(inner: Box, outer: Box) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _rect(box: Box) -> tuple[int, int, int, int]:
    return (box.x, box.y, box.w, box.h)


def _page(placed: Layout) -> Box:
    return Box(id="page", kind="page", x=0, y=0, w=placed.width, h=placed.height)


@pytest.mark.parametrize(("azs", "tiers"), SIZES)
def test_children_lie_inside_their_parents(azs: int, tiers: int) -> None:
    """Subnets sit inside their AZ column, columns inside the VPC, all inside the page."""
    placed = layout(grid(azs, tiers))
    for box in placed.boxes:
        assert _inside(box, _page(placed)), box.id
        if not box.parent:
            continue
        parent = placed.box(box.parent)
        if box.straddles:
            assert box.y + box.h // 2 == parent.y, box.id
            assert parent.x <= box.x and box.right <= parent.right, box.id
            assert _inside(box, placed.box(parent.parent)), box.id
        else:
            assert _inside(box, parent), (box.id, parent.id)


@pytest.mark.parametrize(("azs", "tiers"), SIZES)
def test_siblings_never_overlap(azs: int, tiers: int) -> None:
    """No two boxes overlap unless one nests in the other (a gateway only on its VPC's edge)."""
    placed = layout(grid(azs, tiers))
    parents = {box.parent for box in placed.boxes}
    for parent in parents:
        siblings = [box for box in placed.boxes if box.parent == parent]
        for a, b in combinations(siblings, 2):
            if _inside(a, b) or _inside(b, a):
                continue  # a security group's frame around its member's card
            assert not _overlap(_rect(a), _rect(b)), (a.id, b.id)


@pytest.mark.parametrize(("azs", "tiers"), SIZES)
def test_grid_has_one_column_per_az_and_one_row_per_tier(azs: int, tiers: int) -> None:
    """Each AZ is a column and each tier a row, public above private above isolated."""
    arch = grid(azs, tiers)
    placed = layout(arch)
    columns = [b for b in placed.boxes if b.kind == "az"]
    assert len(columns) == azs
    assert [c.x for c in columns] == sorted(c.x for c in columns)
    subnets = [b for b in placed.boxes if b.kind == "subnet"]
    assert len({b.y for b in subnets}) == tiers
    by_kind = {b.variant: b.y for b in subnets}
    assert sorted(by_kind, key=by_kind.__getitem__) == ["public", "private", "isolated"][:tiers]


@pytest.mark.parametrize(("azs", "tiers"), SIZES)
def test_arrows_stay_on_the_page_and_off_other_cards(azs: int, tiers: int) -> None:
    """Arrows run in free lanes: never through a card they do not start or end at."""
    arch = grid(azs, tiers)
    placed = layout(arch)
    page = _page(placed)
    cards = [b for b in placed.boxes if b.kind in CARDS]
    for arrow in route(placed, flows_from_model(arch)):
        ends = {arrow.flow.source_id, arrow.flow.destination_id}
        for (x1, y1), (x2, y2) in zip(arrow.points, arrow.points[1:], strict=False):
            assert x1 == x2 or y1 == y2, "segments are horizontal or vertical"
            assert min(x1, x2) >= 0 and max(x1, x2) <= page.w
            assert min(y1, y2) >= 0 and max(y1, y2) <= page.h
            segment = (min(x1, x2), min(y1, y2), abs(x1 - x2) or 1, abs(y1 - y2) or 1)
            for card in cards:
                if card.id not in ends:
                    assert not _overlap(segment, _rect(card)), (arrow.flow, card.id)


@pytest.mark.parametrize(("azs", "tiers"), SIZES)
def test_arrow_labels_do_not_cover_each_other_or_cards(azs: int, tiers: int) -> None:
    """Every port label stays readable: no label sits on another label or on a card."""
    arch = grid(azs, tiers)
    placed = layout(arch)
    labels = [pill(a.flow.label, a.label_at) for a in route(placed, flows_from_model(arch))]
    for a, b in combinations(labels, 2):
        assert not _overlap(a, b), (a, b)
    for label in labels:
        assert _inside(
            Box(id="", kind="", x=label[0], y=label[1], w=label[2], h=label[3]), _page(placed)
        )
        for card in (b for b in placed.boxes if b.kind in CARDS):
            assert not _overlap(label, _rect(card)), card.id
