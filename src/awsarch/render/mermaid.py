"""The architecture as a Mermaid flowchart, for READMEs: nested subgraphs and labelled flows.

Region ⊃ VPC ⊃ AZ ⊃ subnet, the same cells as the SVG diagram (a Multi-AZ database appears as a
primary and a standby), and one labelled edge per flow. A node sits in one subgraph only, so what
the SVG draws across zones sits in the VPC: a load balancer naming its subnets, an Auto Scaling
group joined to its instances by dotted lines. Pure text; the same model gives the same text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from awsarch.model import Architecture
from awsarch.render.diagram_cells import Card, VpcPlan, az_label, drawn_flows, plan_vpc
from awsarch.render.diagram_flows import INTERNET, Flow, flows_from_model
from awsarch.render.diagram_spans import Span
from awsarch.render.diagram_style import CONTAINERS, FLOWS, ICONS, SUBNETS

SHAPES = {
    "instance": ('["', '"]'),
    "nat": ('[/"', '"/]'),
    "database": ('[("', '")]'),
    "igw": ('{{"', '"}}'),
}


def render_mermaid(arch: Architecture, flows: Sequence[Flow] | None = None) -> str:
    """A `flowchart TB` document; ValueError when a flow names something not drawn."""
    chosen = flows_from_model(arch) if flows is None else flows
    lines = ["flowchart TB", f'  {_node(INTERNET)}(("Internet"))']
    lines.append(f'  subgraph {_node("region:" + arch.region)}["Region {_text(arch.region)}"]')
    drawn = {INTERNET}
    drawn_as: dict[str, str] = {}
    for vpc in arch.vpcs:
        plan = plan_vpc(arch, vpc)
        lines += _vpc(arch, plan, drawn)
        drawn_as.update(plan.drawn_as)
    lines.append("  end")
    lines += _edges(drawn_flows(chosen, drawn_as), drawn)
    lines += _members(arch, drawn, drawn_as)
    lines += _styles(arch, drawn)
    return "\n".join(lines) + "\n"


def _node(resource_id: str) -> str:
    """A Mermaid-safe node id: letters, digits and underscores, never a keyword."""
    return "n_" + re.sub(r"[^A-Za-z0-9]", "_", resource_id)


def _text(text: str) -> str:
    return text.replace('"', "#quot;")


def _vpc(arch: Architecture, plan: VpcPlan, drawn: set[str]) -> list[str]:
    vpc = plan.vpc
    lines = [f'    subgraph {_node(vpc.id)}["VPC {_text(vpc.name)} · {vpc.cidr}"]']
    for igw in arch.internet_gateways:
        if igw.vpc_id == vpc.id:
            lines.append(f'      {_node(igw.id)}{{{{"Internet gateway {_text(igw.name)}"}}}}')
            drawn.add(igw.id)
    for span in plan.spans:
        lines.append(f"      {_span(arch, span)}")
        drawn.add(span.id)
    for col, az in enumerate(plan.columns):
        lines.append(f'      subgraph {_node(f"az:{vpc.id}:{az}")}["{_text(az_label(az))}"]')
        lines.append("        direction TB")
        for row in range(plan.rows):
            subnet = plan.cells.get((row, col))
            if subnet is None:
                continue
            title = f"{_text(subnet.name)} · {subnet.cidr}"
            lines.append(f'        subgraph {_node(subnet.id)}["{title}"]')
            cards = plan.cards.get(subnet.id, ())
            lines += [f"          {_card(card)}" for card in cards]
            if not cards:
                lines.append(f'          {_node(subnet.id + "#empty")}["no resources"]')
            lines.append("        end")
            drawn.update([subnet.id, *(card.id for card in cards)])
        lines.append("      end")
    lines.append("    end")
    return lines


def _card(card: Card) -> str:
    opening, closing = SHAPES[card.kind]
    return f"{_node(card.id)}{opening}{_text(card.label)}<br/>{_text(card.detail)}{closing}"


def _span(arch: Architecture, span: Span) -> str:
    """A load balancer with the subnets it spans; an Auto Scaling group with its sizes."""
    if span.kind == "asg":
        return f'{_node(span.id)}>"{_text(span.label)}<br/>{_text(span.detail)}"]'
    names = ", ".join(arch.subnet(i).name for i in span.subnet_ids)
    detail = f"{span.detail} · in {names}"
    return f'{_node(span.id)}[["{_text(span.label)}<br/>{_text(detail)}"]]'


def _members(arch: Architecture, drawn: set[str], drawn_as: dict[str, str]) -> list[str]:
    """A dotted line from each drawn Auto Scaling group to each instance (or fleet) it
    launched."""
    lines = (
        f"  {_node(inst.scaling_group)} -.- {_node(drawn_as.get(inst.id, inst.id))}"
        for inst in arch.instances
        if inst.scaling_group in drawn and drawn_as.get(inst.id, inst.id) in drawn
    )
    return list(dict.fromkeys(lines))


def _edges(flows: Sequence[Flow], drawn: set[str]) -> list[str]:
    lines = []
    for flow in flows:
        for end in (flow.source_id, flow.destination_id):
            if end not in drawn:
                raise ValueError(f"flow {flow.source_id} → {flow.destination_id}: no {end!r}")
        source, destination = _node(flow.source_id), _node(flow.destination_id)
        lines.append(f'  {source} -->|"{_text(flow.label)}"| {destination}')
    return lines


def _styles(arch: Architecture, drawn: set[str]) -> list[str]:
    """Subnets coloured by kind (`style` works on subgraphs in every Mermaid version)."""
    lines = []
    for sub in (sub for sub in arch.subnets if sub.id in drawn):
        paint = SUBNETS.get(sub.kind, SUBNETS[""])
        colours = f"fill:{paint.fill},stroke:{paint.stroke},color:{paint.text}"
        lines.append(f"  style {_node(sub.id)} {colours}")
    for group in (g for g in arch.auto_scaling_groups if g.id in drawn):
        paint = CONTAINERS["asg"]
        lines.append(
            f"  style {_node(group.id)} fill:#FFFFFF,stroke:{paint.stroke},"
            f"color:{paint.text},stroke-dasharray:{paint.dash}"
        )
    for lb in (lb for lb in arch.load_balancers if lb.id in drawn):
        lines.append(f"  style {_node(lb.id)} fill:#FFFFFF,stroke:{ICONS['lb']}")
    lines.append(f"  style {_node(INTERNET)} fill:#FFFFFF,stroke:{FLOWS['flow']}")
    return lines
