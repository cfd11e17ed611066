"""What the diagram draws across zones: a load balancer over its subnets, an Auto Scaling group
around its instances.

Both span several AZ columns of one tier row, so they live in bands added below the row's cards
(the row grows; every other row keeps its size). A load balancer is one box across all the
subnets it has a network interface in (one per zone;
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones).
An Auto Scaling group is a frame around the subnets it launches into (and so its instances),
with its sizes in the band below them
(https://docs.aws.amazon.com/autoscaling/ec2/userguide/auto-scaling-groups.html).
"""

from __future__ import annotations

from dataclasses import replace

from awsarch.model import Architecture, LoadBalancer, Subnet
from awsarch.record import record
from awsarch.render import diagram_style as s
from awsarch.render.balanced_flows import asg_label, listener_text, short_name
from awsarch.render.diagram_box import Box

LB_BAND = s.CARD_H + s.SUBNET_PAD
"""A load balancer's band: its box, one card high, below the row's cards."""
ASG_BAND = 36
"""An Auto Scaling group's band: the two lines of its label, inside the frame's lower edge."""
FRAME_PAD = 6
"""How far inside its subnets' edges an Auto Scaling group's frame runs."""


def label_band_top(frame_bottom: int) -> int:
    """Where the lower band of an Auto Scaling group's frame, holding its label, begins."""
    return frame_bottom - ASG_BAND - s.SUBNET_PAD + FRAME_PAD


@record
class Span:
    id: str
    kind: str
    """lb or asg."""
    label: str
    detail: str
    row: int
    subnet_ids: tuple[str, ...]
    """The subnets it spans in its row, left to right (first and last give its extent)."""

    @property
    def band(self) -> int:
        return LB_BAND if self.kind == "lb" else ASG_BAND


def plan_spans(arch: Architecture, cells: dict[tuple[int, int], Subnet]) -> tuple[Span, ...]:
    """Load balancers and Auto Scaling groups with a subnet in this grid; frames before boxes
    within a row, so a group's frame hugs its cards and the load balancer sits below."""
    where = {sub.id: cell for cell, sub in cells.items()}
    spans = [
        _span(lb.id, "lb", *_lb_lines(lb.id, arch), lb.subnet_ids, where)
        for lb in arch.load_balancers
    ]
    spans += [
        _span(g.id, "asg", *asg_label(arch, g.id), g.subnet_ids, where)
        for g in arch.auto_scaling_groups
    ]
    placed = [span for span in spans if span is not None]
    return tuple(sorted(placed, key=lambda span: (span.row, span.kind == "lb")))


def _lb_lines(lb_id: str, arch: Architecture) -> tuple[str, str]:
    lb: LoadBalancer = arch.get(lb_id)
    listeners = listener_text(lb)
    name = short_name(lb.id, lb.name)
    return (f"{name} · {listeners}" if listeners else name), f"ALB · {lb.scheme}"


def _span(
    span_id: str,
    kind: str,
    label: str,
    detail: str,
    subnet_ids: tuple[str, ...],
    where: dict[str, tuple[int, int]],
) -> Span | None:
    """The span over its subnets in the topmost row that holds any; None when none is drawn."""
    cells = sorted(where[i] for i in subnet_ids if i in where)
    if not cells:
        return None
    row = cells[0][0]
    in_row = [i for i in dict.fromkeys(subnet_ids) if i in where and where[i][0] == row]
    ordered = tuple(sorted(in_row, key=lambda i: where[i][1]))
    return Span(id=span_id, kind=kind, label=label, detail=detail, row=row, subnet_ids=ordered)


def text_width(span: Span) -> int:
    """The width of the span's wider line of text."""
    return lines_width(span.label, span.detail)


def lines_width(label: str, detail: str) -> int:
    """The width of a bold label over a small detail line."""
    return max(s.text_width(label, s.FONT, bold=True), s.text_width(detail, s.SMALL))


def lb_column_w(span: Span) -> int:
    """The column width at which a load balancer's box holds its label over its columns."""
    if span.kind != "lb":
        return 0
    n = len(span.subnet_ids)
    need = text_width(span) + s.ICON + 30 + 2 * (s.AZ_PAD + s.SUBNET_PAD) - (n - 1) * s.AZ_GAP
    width = -(-need // n)
    return width + width % 2


def span_boxes(
    spans: tuple[Span, ...],
    rows: tuple[tuple[int, int], ...],
    placed: dict[str, Box],
    vpc: str,
    corridors: list[int],
) -> list[Box]:
    """Each span below its row's cards (and the spans before it), across its first to last
    subnet: a load balancer as a card, an Auto Scaling group as a frame just inside the subnets
    with its label in the band below the first subnet's text (no arrow runs there: cards'
    arrows leave at their centres, subnets' at their right ends)."""
    boxes = []
    below: dict[int, int] = {}
    for span in spans:
        first, last = placed[span.subnet_ids[0]], placed[span.subnet_ids[-1]]
        top = rows[span.row][0]
        band = top + s.SUBNET_PAD + s.CARD_H + below.get(span.row, 0)
        below[span.row] = below.get(span.row, 0) + span.band
        if span.kind == "lb":
            x, y = first.x + s.SUBNET_PAD, band + s.SUBNET_PAD
            w, h = last.right - s.SUBNET_PAD - x, s.CARD_H
        else:
            x, y = first.x + FRAME_PAD, top + FRAME_PAD
            w, h = last.right - FRAME_PAD - x, band + ASG_BAND + s.SUBNET_PAD - FRAME_PAD - y
        box = Box(
            id=span.id,
            kind=span.kind,
            x=x,
            y=y,
            w=w,
            h=h,
            parent=vpc,
            label=span.label,
            detail=span.detail,
        )
        if span.kind == "lb":
            box = replace(box, inset=_clear_inset(box, span, placed, corridors))
        boxes.append(box)
    return boxes


def _clear_inset(box: Box, span: Span, placed: dict[str, Box], corridors: list[int]) -> int:
    """The leftmost start for the load balancer's icon and label that no vertical arrow can
    cross (else the widest gap's): arrows reach the row's cards at their centres, leave its
    subnets near their right ends and change rows in the corridors (its own attach corridor
    only touches its edges)."""
    row = {b.id for b in placed.values() if b.kind == "subnet" and b.y < box.y < b.bottom}
    candidates = [b.cx for b in placed.values() if b.parent in row]
    candidates += [placed[i].right - s.SUBNET_ARROW for i in row] + corridors
    crossings = sorted(x for x in candidates if box.x < x < box.right)
    need = s.ICON + 30 + text_width(span)
    gaps, left = [], box.x
    for x in [*crossings, box.right]:
        if x - left >= need:
            return left - box.x
        gaps.append((x - left, box.x - left))
        left = max(left, x + 4)
    return -max(gaps)[1]  # no gap is wide enough: the widest, so the fewest letters are crossed
