"""The architecture diagram: the model drawn the way AWS reference architectures are, as SVG.

Pure: a model (and optionally the flows to draw) in, SVG text out. `layout` places the boxes,
`route` runs the arrows through the free lanes, the writer paints both. Flows default to the
ones the model means to allow (`flows_from_model`); proved flows from the reachability engine
can be passed instead. A fleet's instances drawn as one card share its arrows (`drawn_flows`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from awsarch.model import Architecture
from awsarch.render.diagram_box import Box
from awsarch.render.diagram_cells import drawn_flows
from awsarch.render.diagram_flows import INTERNET, Flow, flows_from_model
from awsarch.render.diagram_layout import Grid, Layout, layout
from awsarch.render.diagram_routes import Arrow, route
from awsarch.render.diagram_svg import write_svg

__all__ = [
    "INTERNET",
    "Arrow",
    "Box",
    "Flow",
    "Grid",
    "Layout",
    "flows_from_model",
    "layout",
    "render_svg",
    "route",
]


def render_svg(
    arch: Architecture, flows: Sequence[Flow] | None = None, drifted: Collection[str] = ()
) -> str:
    """The diagram as an SVG document; ValueError when a flow names something not drawn.

    `drifted` names the resources (model ids) whose live state differs from the blueprint:
    each one drawn gets an amber outline and a "drift" badge."""
    placed = layout(arch, drift=bool(drifted))
    chosen = flows_from_model(arch) if flows is None else flows
    arrows = route(placed, drawn_flows(chosen, placed.drawn_as))
    return write_svg(placed, arrows, frozenset(drifted))
