"""Where every box of the architecture diagram goes: a pure grid layout, no drawing.

The page reads the way AWS reference architectures do: the internet at the top, then the region,
the VPC with its internet gateway on the top edge, one column per availability zone and one row
per subnet tier (public above private above isolated). Resources are cards inside their subnet.
Everything is whole pixels and depends only on the model, so the same model gives the same page.
"""

from __future__ import annotations

from dataclasses import field
from functools import cached_property

from awsarch.model import Architecture
from awsarch.record import record
from awsarch.render import diagram_style as s
from awsarch.render.diagram_box import Box
from awsarch.render.diagram_cells import Card, VpcPlan, az_label, plan_vpc, subnet_lines
from awsarch.render.diagram_groups import group_frames
from awsarch.render.diagram_spans import lb_column_w, span_boxes
from awsarch.render.diagram_spans import text_width as span_text_width
from awsarch.render.flow import INTERNET


@record
class Grid:
    """The free bands of one VPC that arrows may run along, so they never cross a label."""

    vpc_id: str
    rows: tuple[tuple[int, int], ...]
    """(top, bottom) of each subnet row."""
    lanes: tuple[tuple[int, int], ...]
    """(top, bottom) of the band above row k; the last lane lies below the last row."""
    corridors: tuple[int, ...]
    """x of the free corridor to the right of each AZ column."""
    gateway: str = ""


@record
class Layout:
    width: int
    height: int
    title: str
    boxes: tuple[Box, ...]
    """Parents before children, so drawing in order nests correctly."""
    grids: tuple[Grid, ...] = ()
    drawn_as: dict[str, str] = field(default_factory=dict, compare=False)
    """instance id → the fleet card it is drawn in (diagram_cells.GROUP_AFTER)."""

    @cached_property
    def _by_id(self) -> dict[str, Box]:
        return {box.id: box for box in self.boxes}

    def box(self, box_id: str) -> Box:
        return self._by_id[box_id]

    def find(self, box_id: str) -> Box | None:
        return self._by_id.get(box_id)

    @cached_property
    def _by_parent(self) -> dict[str, tuple[Box, ...]]:
        found: dict[str, list[Box]] = {}
        for box in self.boxes:
            found.setdefault(box.parent, []).append(box)
        return {parent: tuple(boxes) for parent, boxes in found.items()}

    @cached_property
    def _grids(self) -> dict[str, Grid]:
        return {grid.vpc_id: grid for grid in self.grids}

    @cached_property
    def _columns(self) -> dict[str, int]:
        """AZ box id → its column in its VPC, left to right."""
        found: dict[str, int] = {}
        for grid in self.grids:
            azs = [c for c in self.children(grid.vpc_id) if c.kind == "az"]
            found.update((az.id, column) for column, az in enumerate(azs))
        return found

    def children(self, box_id: str) -> tuple[Box, ...]:
        """The boxes inside this one, in drawing order (looked up, never searched)."""
        return self._by_parent.get(box_id, ())

    def grid(self, vpc_id: str) -> Grid:
        return self._grids[vpc_id]

    def column(self, az_id: str) -> int:
        """The column of an AZ box in its VPC's grid."""
        return self._columns[az_id]


LEGEND_ITEMS = (
    ("public", "Public subnet"),
    ("private", "Private subnet"),
    ("isolated", "Isolated subnet"),
    ("instance", "EC2 instance"),
    ("database", "RDS database"),
    ("nat", "NAT gateway"),
    ("igw", "Internet gateway"),
    *s.FLOW_NAMES.items(),
)
SPAN_LEGEND = {
    "lb": "Application Load Balancer",
    "asg": "Auto Scaling group",
    "sg": "Security group",
    "drift": "Drifted from the blueprint",
}
"""Legend items drawn only when the diagram has such a box, after the gateways."""


def legend_items(
    plans: list[VpcPlan], groups: bool = False, drift: bool = False
) -> tuple[tuple[str, str], ...]:
    kinds = {span.kind for plan in plans for span in plan.spans}
    kinds |= {key for key, shown in (("sg", groups), ("drift", drift)) if shown}
    extra = [(kind, text) for kind, text in SPAN_LEGEND.items() if kind in kinds]
    split = [key for key, _ in LEGEND_ITEMS].index("igw") + 1
    return (*LEGEND_ITEMS[:split], *extra, *LEGEND_ITEMS[split:])


@record
class Metrics:
    """Sizes shared by every column, so the grid lines up across the page."""

    text_w: int
    card_w: int
    column_w: int


def region_id(arch: Architecture) -> str:
    return f"region:{arch.region}"


def _even(value: int) -> int:
    return value + value % 2


def layout(arch: Architecture, *, drift: bool = False) -> Layout:
    """Every box of the diagram with its position; the SVG writer only draws them. With
    `drift`, the legend explains the drift mark."""
    plans = [plan_vpc(arch, vpc) for vpc in arch.vpcs]
    metrics = _metrics(plans)
    top = s.MARGIN + s.TITLE_H
    region, placed = _region(arch, plans, metrics, top + s.INTERNET_H + s.JOG)
    internet = Box(
        id=INTERNET,
        kind="internet",
        x=region.cx - s.INTERNET_W // 2,
        y=top,
        w=s.INTERNET_W,
        h=s.INTERNET_H,
        label="Internet",
    )
    boxes = [internet, region]
    for vpc_boxes, _ in placed:
        boxes += vpc_boxes
    drawn_as = {k: v for plan in plans for k, v in plan.drawn_as.items()}
    frames = group_frames(arch, boxes, drawn_as)
    boxes += frames
    keys = legend_items(plans, groups=bool(frames), drift=drift)
    legend = _legend(region.x, region.bottom + s.LEGEND_GAP, region.w, keys)
    title = f"{arch.stack} · {arch.region}"
    width = max(region.right, s.MARGIN + s.text_width(title, s.TITLE, bold=True)) + s.MARGIN
    return Layout(
        width=_even(width),
        height=legend[0].bottom + s.MARGIN,
        title=title,
        boxes=(*boxes, *legend),
        grids=tuple(grid for _, grid in placed),
        drawn_as=drawn_as,
    )


def _metrics(plans: list[VpcPlan]) -> Metrics:
    text = [s.TEXT_MIN]
    cards = [s.CARD_W_MIN - s.ICON - 30]
    slots = 1
    for plan in plans:
        text += [s.text_width(az_label(az), s.FONT, bold=True) for az in plan.columns]
        for subnet in plan.cells.values():
            text += [s.text_width(line, s.FONT, bold=True) for line in subnet_lines(subnet)]
        for row in plan.cards.values():
            slots = max(slots, len(row))
            cards += [_card_text_width(card) for card in row]
        # a group's label sits in its frame's lower band, under its first subnet's own text
        text += [span_text_width(x) for x in plan.spans if x.kind == "asg"]
    text_w = _even(max(text) + 2 * s.SUBNET_PAD)
    card_w = _even(max(cards) + s.ICON + 30)
    subnet_w = text_w + slots * card_w + (slots - 1) * s.CARD_GAP + s.SUBNET_PAD
    return Metrics(text_w=text_w, card_w=card_w, column_w=_even(subnet_w + 2 * s.AZ_PAD))


def _card_text_width(card: Card) -> int:
    return max(s.text_width(card.label, s.FONT, bold=True), s.text_width(card.detail, s.SMALL))


def vpc_label(plan: VpcPlan) -> str:
    return f"VPC {plan.vpc.name} · {plan.vpc.cidr}"


def _gateway(arch: Architecture, vpc_id: str) -> tuple[str, str]:
    """The (id, name) of the internet gateway attached to the VPC; ("", "") when none is."""
    for igw in arch.internet_gateways:
        if igw.vpc_id == vpc_id:
            return igw.id, igw.name
    return "", ""


GATEWAY_LABEL = "Internet gateway"
GATEWAY_W = _even(s.ICON + 30 + s.text_width(GATEWAY_LABEL, s.FONT, bold=True))


def _vpc_width(plan: VpcPlan, m: Metrics) -> tuple[int, int]:
    """(VPC width, column width): columns widen until the label and gateway fit side by side."""
    n = max(1, len(plan.columns))
    gaps = 2 * s.VPC_PAD + (n - 1) * s.AZ_GAP
    need = 2 * (s.text_width(vpc_label(plan), s.TITLE, bold=True) + 2 * s.VPC_PAD) + GATEWAY_W
    column_w = max(m.column_w, _even(-(-(need - gaps) // n)), *map(lb_column_w, plan.spans))
    return gaps + n * column_w, column_w


def _vpc_boxes(
    arch: Architecture, plan: VpcPlan, m: Metrics, x: int, y: int
) -> tuple[list[Box], Grid]:
    """The VPC, its gateway, AZ columns, subnets and cards, with the VPC's top-left at (x, y)."""
    vpc_w, column_w = _vpc_width(plan, m)
    az_y = y + s.GATEWAY_H // 2 + s.TOP_LANE
    rows = _rows(plan, az_y + s.AZ_HEAD)
    az_bottom = (rows[-1][1] if rows else az_y + s.AZ_HEAD) + s.AZ_FOOT
    vpc = Box(
        id=plan.vpc.id,
        kind="vpc",
        x=x,
        y=y,
        w=vpc_w,
        h=az_bottom + s.VPC_PAD - y,
        parent=region_id(arch),
        label=vpc_label(plan),
    )
    boxes = [vpc]
    gateway_id, gateway_name = _gateway(arch, plan.vpc.id)
    if gateway_id:
        boxes.append(_gateway_box(vpc, gateway_id, gateway_name))
    corridors = []
    for col, az in enumerate(plan.columns):
        az_x = x + s.VPC_PAD + col * (column_w + s.AZ_GAP)
        az_box = Box(
            id=f"az:{plan.vpc.id}:{az}",
            kind="az",
            x=az_x,
            y=az_y,
            w=column_w,
            h=az_bottom - az_y,
            parent=vpc.id,
            label=az_label(az),
        )
        boxes.append(az_box)
        boxes += _column(plan, m, az_box, col, rows)
        corridors.append(az_box.right + s.AZ_GAP // 2)
    boxes += span_boxes(plan.spans, rows, {b.id: b for b in boxes}, vpc.id, corridors)
    lanes = _lanes(y + s.GATEWAY_H // 2, az_y, rows, az_bottom)
    grid = Grid(
        vpc_id=vpc.id, rows=rows, lanes=lanes, corridors=tuple(corridors), gateway=gateway_id
    )
    return boxes, grid


def _rows(plan: VpcPlan, top: int) -> tuple[tuple[int, int], ...]:
    """(top, bottom) of each row: cards, then the bands of the spans drawn in it."""
    rows = []
    for row in range(plan.rows):
        bands = sum(span.band for span in plan.spans if span.row == row)
        bottom = top + s.CARD_H + 2 * s.SUBNET_PAD + bands
        rows.append((top, bottom))
        top = bottom + s.ROW_GAP
    return tuple(rows)


def _lanes(
    gateway_bottom: int, az_y: int, rows: tuple[tuple[int, int], ...], az_bottom: int
) -> tuple[tuple[int, int], ...]:
    edges = [gateway_bottom, az_y, *(edge for row in rows for edge in row), az_bottom]
    # lane 0 lies above the AZ columns; lane k (k >= 1) lies just above row k (or below the last)
    lanes = [(edges[0], edges[1])]
    lanes += [(rows[k - 1][1], rows[k][0]) for k in range(1, len(rows))]
    if rows:
        lanes.append((rows[-1][1], az_bottom))
    return tuple(lanes)


def _gateway_box(vpc: Box, gateway_id: str, name: str) -> Box:
    return Box(
        id=gateway_id,
        kind="igw",
        x=vpc.cx - GATEWAY_W // 2,
        y=vpc.y - s.GATEWAY_H // 2,
        w=GATEWAY_W,
        h=s.GATEWAY_H,
        parent=vpc.id,
        label=GATEWAY_LABEL,
        detail=name,
        straddles=True,
    )


def _column(
    plan: VpcPlan, m: Metrics, az: Box, col: int, rows: tuple[tuple[int, int], ...]
) -> list[Box]:
    boxes: list[Box] = []
    for row, (top, bottom) in enumerate(rows):
        subnet = plan.cells.get((row, col))
        if subnet is None:
            continue
        box = Box(
            id=subnet.id,
            kind="subnet",
            x=az.x + s.AZ_PAD,
            y=top,
            w=az.w - 2 * s.AZ_PAD,
            h=bottom - top,
            parent=az.id,
            label=subnet.name,
            detail=subnet.cidr,
            variant=subnet.kind,
        )
        boxes.append(box)
        for slot, card in enumerate(plan.cards.get(subnet.id, ())):
            boxes.append(
                Box(
                    id=card.id,
                    kind=card.kind,
                    x=box.x + m.text_w + slot * (m.card_w + s.CARD_GAP),
                    y=top + s.SUBNET_PAD,
                    w=m.card_w,
                    h=s.CARD_H,
                    parent=box.id,
                    label=card.label,
                    detail=card.detail,
                    variant=card.variant,
                )
            )
    return boxes


def _region(
    arch: Architecture, plans: list[VpcPlan], m: Metrics, y: int
) -> tuple[Box, list[tuple[list[Box], Grid]]]:
    """The region box sized to hold the VPCs side by side, centred, and the VPCs inside it."""
    widths = [_vpc_width(plan, m)[0] for plan in plans]
    inner = sum(widths) + s.VPC_GAP * max(0, len(widths) - 1)
    label = f"Region {arch.region}"
    region_w = _even(
        max(inner, s.text_width(label, s.TITLE, bold=True), s.INTERNET_W) + 2 * s.REGION_PAD
    )
    x = s.MARGIN + (region_w - 2 * s.REGION_PAD - inner) // 2 + s.REGION_PAD
    placed = []
    for plan, width in zip(plans, widths, strict=True):
        placed.append(_vpc_boxes(arch, plan, m, x, y + s.REGION_HEAD))
        x += width + s.VPC_GAP
    bottom = max((b[0].bottom for b, _ in placed), default=y + s.REGION_HEAD) + s.REGION_PAD
    region = Box(
        id=region_id(arch),
        kind="region",
        x=s.MARGIN,
        y=y,
        w=region_w,
        h=bottom - y,
        label=label,
    )
    return region, placed


def _legend(x: int, y: int, width: int, keys: tuple[tuple[str, str], ...]) -> list[Box]:
    """A legend box with one item per colour and symbol, wrapped to the given width."""
    items: list[Box] = []
    left, top = x + s.AZ_PAD, y + s.LEGEND_HEAD
    for key, text in keys:
        w = _even(36 + s.text_width(text, s.SMALL))
        if left + w > x + width - s.AZ_PAD and left > x + s.AZ_PAD:
            left, top = x + s.AZ_PAD, top + s.LEGEND_ITEM_H + 12
        items.append(
            Box(
                id=f"legend:{key}",
                kind="legend-item",
                x=left,
                y=top,
                w=w,
                h=s.LEGEND_ITEM_H,
                parent="legend",
                label=text,
                variant=key,
            )
        )
        left += w + s.LEGEND_ITEM_GAP
    height = top + s.LEGEND_ITEM_H + s.AZ_PAD - y
    legend = Box(id="legend", kind="legend", x=x, y=y, w=width, h=height, label="Legend")
    return [legend, *items]
