"""Draw a laid-out diagram as SVG text: boxes, icons in plain SVG shapes, arrows, a legend.

The writer decides nothing about position; it only paints the Layout and the routed arrows.
Drawing order: containers, Auto Scaling frames, drift marks (under the security group frames,
whose name tags stay readable), security group frames, load balancers, then arrows, then cards
and gateways (an arrow through a gateway passes under it), then the arrows' labels on top, then
the legend. A load balancer is drawn before the arrows: one that only crosses it (into a NAT gateway
above it, say) stays visible across it, and does not look like it starts or ends there.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from awsarch.render import diagram_style as s
from awsarch.render.diagram_box import Box
from awsarch.render.diagram_cells import STANDBY, kind_line
from awsarch.render.diagram_groups import tag, tag_text
from awsarch.render.diagram_layout import Layout
from awsarch.render.diagram_routes import Arrow, pill
from awsarch.render.diagram_spans import label_band_top

CARDS = ("instance", "nat", "database", "igw", "internet")
DRIFT_BADGE = "drift"

STYLE = f"""
text {{ font-family: {s.FONT_FAMILY}; fill: {s.INK}; }}
.title {{ font-size: 18px; font-weight: 700; }}
.head {{ font-size: {s.TITLE}px; font-weight: 700; }}
.label {{ font-size: {s.FONT}px; font-weight: 600; }}
.detail {{ font-size: {s.SMALL}px; fill: {s.MUTED}; }}
.tag {{ font-size: {s.TAG}px; font-weight: 700; }}
.flow {{ font-size: {s.SMALL}px; font-weight: 600; text-anchor: middle; }}
"""

ICON_SHAPES = {
    "instance": (
        '<rect x="9" y="9" width="14" height="14" rx="1" fill="none" stroke="#FFF" '
        'stroke-width="2"/>'
        '<path d="M13 5v4M19 5v4M13 23v4M19 23v4M5 13h4M5 19h4M23 13h4M23 19h4" '
        'stroke="#FFF" stroke-width="2"/>'
    ),
    "database": (
        '<ellipse cx="16" cy="10" rx="8" ry="3" fill="none" stroke="#FFF" stroke-width="2"/>'
        '<path d="M8 10v12a8 3 0 0 0 16 0V10M8 16a8 3 0 0 0 16 0" fill="none" stroke="#FFF" '
        'stroke-width="2"/>'
    ),
    "nat": (
        '<circle cx="16" cy="16" r="10" fill="none" stroke="#FFF" stroke-width="2"/>'
        '<path d="M10 13h12l-3-3M22 19H10l3 3" fill="none" stroke="#FFF" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
    ),
    "igw": (
        '<path d="M9 25V15a7 7 0 0 1 14 0v10z" fill="none" stroke="#FFF" stroke-width="2" '
        'stroke-linejoin="round"/><path d="M16 25v-8" stroke="#FFF" stroke-width="2"/>'
    ),
    "internet": (
        '<path d="M9 23a5 5 0 0 1 0-10a7 7 0 0 1 13-2a5.5 5.5 0 0 1 1 12z" fill="none" '
        'stroke="#FFF" stroke-width="2" stroke-linejoin="round"/>'
    ),
    "lb": (
        '<circle cx="16" cy="16" r="4" fill="none" stroke="#FFF" stroke-width="2"/>'
        '<path d="M5 16h7M20 16l6-6M20 16h6M20 16l6 6" fill="none" stroke="#FFF" '
        'stroke-width="2" stroke-linecap="round"/>'
    ),
}


def write_svg(
    layout: Layout, arrows: Iterable[Arrow], drifted: frozenset[str] = frozenset()
) -> str:
    """The whole document; the same layout and arrows give the same bytes. Boxes of drifted
    resources (a security group's: its frames) are outlined on top of everything but labels."""
    arrows = tuple(arrows)
    boxes = layout.boxes
    marked = _marked(layout, drifted)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{layout.width}" '
        f'height="{layout.height}" viewBox="0 0 {layout.width} {layout.height}" role="img">',
        f"<title>{escape('Architecture of ' + layout.title)}</title>",
        f"<style>{STYLE}</style>",
        _markers(),
        f'<rect width="{layout.width}" height="{layout.height}" fill="#FFFFFF"/>',
        _text(s.MARGIN, s.MARGIN + 14, layout.title, "title"),
        *(_container(b) for b in boxes if b.kind in ("region", "vpc", "az", "subnet")),
        *(_frame(b) for b in boxes if b.kind == "asg"),
        *(_drift_mark(b) for b in marked),
        *(_group_frame(b) for b in boxes if b.kind == "sg"),
        *(_card(b) for b in boxes if b.kind == "lb"),
        '<g id="flows" fill="none" stroke-width="2" stroke-linejoin="round">',
        *(_line(a) for a in arrows),
        "</g>",
        *(_card(b) for b in boxes if b.kind in CARDS),
        *(_pill(a) for a in arrows),
        *(_legend(b) for b in boxes if b.kind in ("legend", "legend-item")),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def _text(x: int, y: int, text: str, cls: str, fill: str = "") -> str:
    colour = f' style="fill:{fill}"' if fill else ""
    return f'<text x="{x}" y="{y}" class="{cls}"{colour}>{escape(text)}</text>'


def _rect(box: Box, paint: s.Paint, rx: int, width: int = 1) -> str:
    dash = f' stroke-dasharray="{paint.dash}"' if paint.dash else ""
    return (
        f'<rect x="{box.x}" y="{box.y}" width="{box.w}" height="{box.h}" rx="{rx}" '
        f'fill="{paint.fill}" stroke="{paint.stroke}" stroke-width="{width}"{dash}/>'
    )


def _group(box: Box, body: list[str]) -> str:
    return f"<g data-id={quoteattr(box.id)}>" + "".join(body) + "</g>"


def _container(box: Box) -> str:
    if box.kind == "subnet":
        paint = s.SUBNETS.get(box.variant, s.SUBNETS[""])
        return _group(
            box,
            [
                _rect(box, paint, 6, 2),
                _text(box.x + 12, box.y + 24, box.label, "label"),
                _text(box.x + 12, box.y + 42, box.detail, "detail"),
                _text(box.x + 12, box.y + 60, kind_line(box.variant), "detail", paint.text),
            ],
        )
    paint = s.CONTAINERS[box.kind]
    cls, dy = ("label", 23) if box.kind == "az" else ("head", 26)
    width = 2 if box.kind == "vpc" else 1
    return _group(
        box,
        [_rect(box, paint, 8, width), _text(box.x + 14, box.y + dy, box.label, cls, paint.text)],
    )


def _frame(box: Box) -> str:
    """An Auto Scaling group: a dashed frame around its cards, its sizes in the lower band."""
    paint = s.CONTAINERS["asg"]
    base = label_band_top(box.bottom)
    return _group(
        box,
        [
            _rect(box, paint, 6, 2),
            _text(box.x + 6, base + 15, box.label, "label", paint.text),
            _text(box.x + 6, base + 30, box.detail, "detail"),
        ],
    )


def _group_frame(box: Box) -> str:
    """A security group around one member's card: a dashed frame, its name on a tag."""
    paint = s.CONTAINERS["sg"]
    x, y, w, h = tag(box)
    return _group(
        box,
        [
            _rect(box, paint, 8, 2),
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3" fill="#FFFFFF" '
            f'stroke="{paint.stroke}"/>',
            f"<title>{escape('Security group ' + box.label)}</title>",
            _text(x + 4, y + h - 3, tag_text(box), "tag", paint.text),
        ],
    )


def _marked(layout: Layout, drifted: frozenset[str]) -> list[Box]:
    """The boxes to outline, each once: a drifted card in a security group is outlined
    outside its group's frame, so the frame's name tag stays readable."""
    found: dict[str, Box] = {}
    for box in layout.boxes:
        if _drifted(box, drifted):
            outer = layout.find(f"sg-frame:{box.id}") or box
            found.setdefault(outer.id, outer)
    return list(found.values())


def _drifted(box: Box, drifted: frozenset[str]) -> bool:
    if box.kind == "sg":
        return bool(drifted.intersection(box.variant.split()))
    return box.id in drifted or box.id.removesuffix(STANDBY) in drifted


def _drift_mark(box: Box) -> str:
    """An amber outline just outside the box and a "drift" badge on its top-right corner."""
    outline = Box(id="", kind="", x=box.x - 4, y=box.y - 4, w=box.w + 8, h=box.h + 8)
    w = s.text_width(DRIFT_BADGE, s.TAG, bold=True) + 10
    x, y = outline.right - w - 6, outline.y - 8
    return (
        f'<g class="drift" data-drift={quoteattr(box.id)}>'
        + _rect(outline, s.DRIFT, 8, 3)
        + f'<rect x="{x}" y="{y}" width="{w}" height="16" rx="8" fill="{s.DRIFT.stroke}"/>'
        + _text(x + 5, y + 12, DRIFT_BADGE, "tag", "#FFFFFF")
        + "</g>"
    )


def _icon(kind: str, x: int, y: int, size: int = s.ICON) -> str:
    scale = "" if size == s.ICON else f" scale({size / s.ICON:g})"
    return (
        f'<g transform="translate({x} {y}){scale}">'
        f'<rect width="32" height="32" rx="5" fill="{s.ICONS[kind]}"/>{ICON_SHAPES[kind]}</g>'
    )


def _card(box: Box) -> str:
    paint = (
        s.CONTAINERS["internet"]
        if box.kind == "internet"
        else s.Paint(fill="#FFFFFF", stroke="#AAB7B8")
    )
    rx = box.h // 2 if box.kind == "internet" else 6
    top = box.y + (box.h - s.ICON) // 2
    left = box.x + box.inset
    body = [_rect(box, paint, rx, 2 if box.kind == "internet" else 1)]
    body.append(_icon(box.kind, left + 10, top))
    if box.detail:
        body.append(_text(left + s.ICON + 20, box.y + box.h // 2 - 3, box.label, "label"))
        body.append(_text(left + s.ICON + 20, box.y + box.h // 2 + 14, box.detail, "detail"))
    else:
        body.append(_text(left + s.ICON + 20, box.y + box.h // 2 + 5, box.label, "head"))
    return _group(box, body)


def _markers() -> str:
    marks = [
        f'<marker id="head-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="{colour}"/></marker>'
        for name, colour in s.FLOWS.items()
    ]
    return "<defs>" + "".join(marks) + "</defs>"


def _line(arrow: Arrow) -> str:
    points = " ".join(f"{x},{y}" for x, y in arrow.points)
    return (
        f'<polyline points="{points}" stroke="{s.FLOWS[arrow.category]}" '
        f'marker-end="url(#head-{arrow.category})"/>'
    )


def _pill(arrow: Arrow) -> str:
    x, y = arrow.label_at
    left, top, w, h = pill(arrow.flow.label, arrow.label_at)
    colour = s.FLOWS[arrow.category]
    return (
        f'<g><rect x="{left}" y="{top}" width="{w}" height="{h}" '
        f'rx="{h // 2}" fill="#FFFFFF" stroke="{colour}"/>'
        + _text(x, y + 4, arrow.flow.label, "flow", colour)
        + "</g>"
    )


def _legend(box: Box) -> str:
    if box.kind == "legend":
        return _group(
            box,
            [
                _rect(box, s.CONTAINERS["legend"], 8),
                _text(box.x + 16, box.y + 24, "Legend", "head"),
            ],
        )
    key, mid = box.variant, box.y + box.h // 2
    if key in s.SUBNETS:
        paint = s.SUBNETS[key]
        swatch = Box(id="", kind="", x=box.x, y=box.y + 4, w=24, h=16)
        symbol = _rect(swatch, paint, 3, 2)
    elif key in ("asg", "sg"):
        swatch = Box(id="", kind="", x=box.x, y=box.y + 4, w=24, h=16)
        symbol = _rect(swatch, s.CONTAINERS[key], 3, 2)
    elif key == "drift":
        swatch = Box(id="", kind="", x=box.x, y=box.y + 4, w=24, h=16)
        symbol = _rect(swatch, s.DRIFT, 3, 3)
    elif key in s.FLOWS:
        symbol = (
            f'<path d="M{box.x} {mid}h22" stroke="{s.FLOWS[key]}" stroke-width="2" '
            f'marker-end="url(#head-{key})"/>'
        )
    else:
        symbol = _icon(key, box.x, box.y, 24)
    return _group(box, [symbol, _text(box.x + 32, mid + 4, box.label, "detail")])
