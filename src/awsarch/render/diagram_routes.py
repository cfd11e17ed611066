"""Where each arrow runs: orthogonal paths through the free bands of the grid.

Arrows never cross a label: they leave a card from its top or bottom edge, run along the lane
(the gap between subnet rows), change rows through the corridor between AZ columns, and enter
the destination from the lane next to it. Flows to the same destination share a track in a lane
and so merge into one line; different destinations get parallel tracks. Internet traffic passes
through the VPC's internet gateway, inbound left of its centre and outbound right of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from awsarch.record import record
from awsarch.render import diagram_style as s
from awsarch.render.diagram_box import Box
from awsarch.render.diagram_groups import tag
from awsarch.render.diagram_labels import Rect, Taken
from awsarch.render.diagram_layout import Grid, Layout
from awsarch.render.diagram_spans import ASG_BAND, label_band_top, lines_width
from awsarch.render.flow import INTERNET, Flow

Point = tuple[int, int]
Band = tuple[str, int]
"""(vpc id, k): lane k of a VPC for k >= 0, the corridor right of column -2 - k for k <= -2;
the jog above the region is ("", -1)."""
Track = Callable[[Band, int, int, str], int]
"""(band, low, high, key) → the coordinate of the key's track across the band. A key is the
destination id prefixed with 0 (leaves the band upwards) or 1 (downwards)."""

SIDE = 12
"""How far left (inbound) or right (outbound) of a gateway's centre internet arrows run."""
PILL_H = 18
"""Height of an arrow's label."""


@record
class Arrow:
    flow: Flow
    category: str
    """ingress, egress, data, flow or violation: picks the colour."""
    points: tuple[Point, ...]
    label_at: Point


@record
class _End:
    box: Box
    vpc: str
    row: int
    column: int
    x: int


@dataclass
class _Tracks:
    """Two passes: first every flow books its bands, then each gets a y by its rank there."""

    users: dict[Band, dict[str, None]] = field(default_factory=dict)
    ranks: dict[Band, dict[str, int]] = field(default_factory=dict)
    """Filled on the first `place`: each band's keys, upward leavers first, in booking order."""

    def book(self, band: Band, top: int, bottom: int, key: str) -> int:
        self.users.setdefault(band, {})[key] = None
        return (top + bottom) // 2

    def place(self, band: Band, top: int, bottom: int, key: str) -> int:
        ranks = self.ranks.get(band)
        if ranks is None:
            ordered = sorted(self.users.get(band, {key: None}), key=lambda k: k[0])
            ranks = self.ranks[band] = {k: n for n, k in enumerate(ordered)}
        rank, count = ranks[key], len(ranks)
        step = min(12, (bottom - top) // (count + 1))
        return (top + bottom) // 2 + (2 * rank - (count - 1)) * step // 2


def route(layout: Layout, flows: Sequence[Flow]) -> tuple[Arrow, ...]:
    """An arrow per flow; ValueError names an endpoint that is not in the diagram."""
    for flow in flows:
        for end in (flow.source_id, flow.destination_id):
            if layout.find(end) is None:
                raise ValueError(f"flow {flow.source_id} → {flow.destination_id}: no {end!r}")
    drawn = [f for f in flows if f.source_id != f.destination_id]
    tracks = _Tracks()
    for flow in drawn:
        _path(layout, flow, tracks.book)
    taken = Taken(obstacles(layout))
    arrows = []
    for flow in drawn:
        points, own = _path(layout, flow, tracks.place)
        at = label_spot(_simplify(own), pill(flow.label, (0, 0)), taken.free)
        taken.add(pill(flow.label, at))
        arrows.append(
            Arrow(
                flow=flow,
                category=category(layout, flow),
                points=tuple(_simplify(points)),
                label_at=at,
            )
        )
    return tuple(arrows)


def category(layout: Layout, flow: Flow) -> str:
    """A load balancer's hop to its targets is still inbound traffic from the internet; an
    arrow that breaks an intent is a violation whatever it carries."""
    if flow.broken:
        return "violation"
    destination = layout.box(flow.destination_id)
    if flow.source_id == INTERNET or layout.box(flow.source_id).kind == "lb":
        return "ingress"
    if flow.destination_id == INTERNET or destination.kind == "nat":
        return "egress"
    return "data" if destination.kind == "database" else "flow"


def pill(label: str, at: Point) -> Rect:
    """The rectangle of an arrow's label centred at a point."""
    w = s.text_width(label, s.SMALL, bold=True) + 12
    return (at[0] - w // 2, at[1] - PILL_H // 2, w, PILL_H)


def obstacles(layout: Layout) -> list[Rect]:
    """What a label must not cover: cards, gateways, load balancers, and the text of every
    container (an Auto Scaling group's is in its frame's lower band)."""
    rects: list[Rect] = []
    for box in layout.boxes:
        if box.kind in ("instance", "nat", "database", "igw", "internet", "lb"):
            rects.append((box.x, box.y, box.w, box.h))
        elif box.kind == "sg":
            rects.append(tag(box))
        elif box.kind == "asg":
            width = lines_width(box.label, box.detail) + 16
            rects.append((box.x, label_band_top(box.bottom), width, ASG_BAND))
        elif box.kind in ("region", "vpc", "az"):
            rects.append((box.x, box.y, s.text_width(box.label, s.TITLE, bold=True) + 24, 34))
        elif box.kind == "subnet":
            rects.append((box.x, box.y, s.text_width(box.label, s.FONT, bold=True) + 24, box.h))
    return rects


def label_spot(own: list[Point], size: Rect, free: Callable[[Rect], bool]) -> Point:
    """The middle of the flow's longest own segment, or the first nearby spot that is free."""
    pairs = sorted(
        pairwise(own) if len(own) > 1 else [(own[0], own[0])],
        key=lambda p: -(abs(p[0][0] - p[1][0]) + abs(p[0][1] - p[1][1])),
    )
    spots = [
        (a[0] + (b[0] - a[0]) * n // 8, a[1] + (b[1] - a[1]) * n // 8)
        for a, b in pairs
        for n in (4, 3, 5, 2, 6, 1, 7)
    ]
    for spot in spots:
        rect = (spot[0] - size[2] // 2, spot[1] - size[3] // 2, size[2], size[3])
        if free(rect):
            return spot
    return spots[0]


def _simplify(points: list[Point]) -> list[Point]:
    """Drop repeated points and points in the middle of a straight run."""
    kept: list[Point] = []
    for point in points:
        if kept and kept[-1] == point:
            continue
        if len(kept) >= 2 and _collinear(kept[-2], kept[-1], point):
            kept[-1] = point
            continue
        kept.append(point)
    return kept


def _collinear(a: Point, b: Point, c: Point) -> bool:
    return (a[0] == b[0] == c[0]) or (a[1] == b[1] == c[1])


def _path(layout: Layout, flow: Flow, track: Track) -> tuple[list[Point], list[Point]]:
    """(all points, the part that belongs to this flow alone) from source to destination."""
    if flow.source_id == INTERNET:
        end = _end(layout, flow.destination_id)
        inside, outside = _from_internet(layout, end, track, "1" + flow.destination_id, -1)
        return outside + inside, inside[1:]
    if flow.destination_id == INTERNET:
        end = _end(layout, flow.source_id)
        inside, outside = _from_internet(layout, end, track, "0" + flow.destination_id, 1)
        path = outside + inside
        return path[::-1], inside[:0:-1]
    a, b = _end(layout, flow.source_id), _end(layout, flow.destination_id)
    if a.vpc != b.vpc or not a.vpc:
        straight = [(a.x, a.box.y), (b.x, b.box.y)]
        return straight, straight
    # flows that leave a lane upwards take its upper tracks, so lines never run on each other
    key = ("0" if b.row <= a.row else "1") + flow.destination_id
    points = _inside(layout.grid(a.vpc), a, b, track, key)
    return points, points


def _inside(grid: Grid, a: _End, b: _End, track: Track, key: str) -> list[Point]:
    """Within one VPC: out of A towards B, along lanes, through A's corridor when rows differ."""
    if b.row >= a.row:
        start, first = (a.x, a.box.bottom), a.row + 1
        last, end = (a.row + 1, (b.x, b.box.bottom)) if b.row == a.row else (b.row, (b.x, b.box.y))
    else:
        start, first, last, end = (a.x, a.box.y), a.row, b.row + 1, (b.x, b.box.bottom)
    y1 = track((grid.vpc_id, first), *grid.lanes[first], key)
    if first == last:
        return [start, (a.x, y1), (b.x, y1), end]
    corridor = _corridor(grid, a.column, track, key)
    y2 = track((grid.vpc_id, last), *grid.lanes[last], key)
    return [start, (a.x, y1), (corridor, y1), (corridor, y2), (b.x, y2), end]


def _from_internet(
    layout: Layout, b: _End, track: Track, key: str, side: int
) -> tuple[list[Point], list[Point]]:
    """Internet → B as (the part inside the VPC, the part from the internet to the gateway)."""
    internet = layout.box(INTERNET)
    vpc = layout.box(b.vpc)
    grid = layout.grid(b.vpc)
    gateway = layout.find(grid.gateway) or vpc
    gx, ix = gateway.cx + side * SIDE, internet.cx + side * SIDE
    region = layout.box(vpc.parent)
    jog = track(("", -1), internet.bottom, region.y, key)
    outside = [(ix, internet.bottom), (ix, jog), (gx, jog), (gx, gateway.y)]
    y0 = track((b.vpc, 0), *grid.lanes[0], key)
    inside = [(gx, gateway.bottom), (gx, y0)]
    if b.row > 0:
        corridor = _corridor(grid, b.column, track, key)
        yk = track((b.vpc, b.row), *grid.lanes[b.row], key)
        inside += [(corridor, y0), (corridor, yk), (b.x, yk)]
    else:
        inside.append((b.x, y0))
    return [*inside, (b.x, b.box.y)], outside


def _corridor(grid: Grid, column: int, track: Track, key: str) -> int:
    """The x of a track in the free corridor right of an AZ column."""
    middle = grid.corridors[column]
    half = s.AZ_GAP // 2
    return track((grid.vpc_id, -2 - column), middle - half, middle + half, key)


def _end(layout: Layout, box_id: str) -> _End:
    """Where a card or subnet sits in its VPC's grid, and the x its arrows attach at."""
    box = layout.box(box_id)
    if box.kind == "lb":
        return _spanning_end(layout, box)
    subnet = box if box.kind == "subnet" else layout.find(box.parent)
    if subnet is None or subnet.kind != "subnet":
        return _End(box=box, vpc="", row=0, column=0, x=box.cx)
    az = layout.box(subnet.parent)
    vpc = az.parent
    grid = layout.grid(vpc)
    row = grid.rows.index((subnet.y, subnet.bottom))
    column = layout.column(az.id)
    x = subnet.right - s.SUBNET_ARROW if box.kind == "subnet" else box.cx
    return _End(box=box, vpc=vpc, row=row, column=column, x=x)


def _spanning_end(layout: Layout, box: Box) -> _End:
    """A load balancer across columns: its arrows attach in the middle corridor it covers
    (the gap between two AZ columns, free of cards); in one column, near its right end."""
    grid = layout.grid(box.parent)
    row = next(k for k, (top, bottom) in enumerate(grid.rows) if top <= box.y < bottom)
    inside = [k for k, x in enumerate(grid.corridors) if box.x < x < box.right]
    if not inside:
        columns = [c for c in layout.children(box.parent) if c.kind == "az"]
        column = next((k for k, c in enumerate(columns) if c.x <= box.x < c.right), 0)
        return _End(box=box, vpc=box.parent, row=row, column=column, x=box.right - 2 * SIDE)
    middle = inside[(len(inside) - 1) // 2]
    return _End(box=box, vpc=box.parent, row=row, column=middle, x=grid.corridors[middle])
