"""The three-tier picture: the load balancer spans its public subnets, the Auto Scaling group
frames its instances across the zones, arrows go internet → load balancer → app → database."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

import pytest

from awsarch.model import Architecture, SecurityGroupRule
from awsarch.render.diagram import INTERNET, Box, Flow, Layout, flows_from_model, layout, route
from awsarch.render.diagram_routes import pill
from awsarch.render.diagram_spans import label_band_top, lines_width
from awsarch.render.diagram_style import ICON
from awsarch.render.mermaid import render_mermaid
from awsarch.render.proved_flows import proved_flows

from .support import balanced, seed

ZONES = [2, 3, 4]
CARDS = ("instance", "nat", "database")
Rect = tuple[int, int, int, int]


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _rect(box: Box) -> Rect:
    return (box.x, box.y, box.w, box.h)


def _lb_text(box: Box) -> Rect:
    """Where the load balancer's icon and two lines of text are drawn."""
    return (box.x + box.inset, box.y, ICON + 30 + lines_width(box.label, box.detail), box.h)


def _segments(placed: Layout, arch: Architecture) -> list[tuple[Flow, Rect]]:
    found = []
    for arrow in route(placed, flows_from_model(arch)):
        for (x1, y1), (x2, y2) in zip(arrow.points, arrow.points[1:], strict=False):
            rect = (min(x1, x2), min(y1, y2), abs(x1 - x2) or 1, abs(y1 - y2) or 1)
            found.append((arrow.flow, rect))
    return found


@pytest.mark.parametrize("azs", ZONES)
def test_load_balancer_is_one_box_across_all_its_public_subnets(azs: int) -> None:
    """The load balancer starts in its first zone's public subnet and ends in its last one's,
    labelled with its name and listeners."""
    arch = balanced(azs)
    placed = layout(arch)
    lb = placed.box("lb/front")
    subnets = [placed.box(i) for i in arch.load_balancers[0].subnet_ids]
    assert len(subnets) == azs
    assert subnets[0].x < lb.x < subnets[0].right
    assert subnets[-1].x < lb.right < subnets[-1].right
    assert all(sub.y < lb.y and lb.bottom < sub.bottom for sub in subnets)
    assert {sub.variant for sub in subnets} == {"public"}
    assert lb.label == "front · HTTPS 443, HTTP 80→443"
    assert lb.detail == "ALB · internet-facing"


@pytest.mark.parametrize("azs", ZONES)
def test_auto_scaling_group_frames_its_instances_across_its_zones(azs: int) -> None:
    """The frame holds every instance the group launched and reaches into each of its
    subnets' zones, labelled with its min–max and desired size."""
    arch = balanced(azs)
    placed = layout(arch)
    frame = placed.box("asg/app")
    assert (frame.label, frame.detail) == ("asg app · 2–6", "desired 2")
    members = [i for i in arch.instances if i.scaling_group == "asg/app"]
    assert len(members) == 2
    for member in members:
        card = placed.box(member.id)
        assert frame.x < card.x and card.right < frame.right
        assert frame.y < card.y and card.bottom < frame.bottom
    for subnet_id in arch.auto_scaling_groups[0].subnet_ids:
        subnet = placed.box(subnet_id)
        assert subnet.x < frame.right and frame.x < subnet.right
        assert subnet.y < frame.y and frame.bottom < subnet.bottom


def test_arrows_go_internet_to_load_balancer_to_app_to_database() -> None:
    """Listener ports into the load balancer, the target port to each app server, the
    database's port from there; nothing from the internet to the app servers directly."""
    arch = balanced()
    for flows in (flows_from_model(arch), proved_flows(arch)):
        assert Flow(source_id=INTERNET, destination_id="lb/front", label="80, 443") in flows
        for app in ("instance/app-1", "instance/app-2"):
            assert Flow(source_id="lb/front", destination_id=app, label="8080") in flows
            assert Flow(source_id=app, destination_id="db/main", label="3306") in flows
            assert Flow(source_id=INTERNET, destination_id=app, label="8080") not in flows
        assert [f.destination_id for f in flows if f.source_id == INTERNET] == ["lb/front"]


def test_load_balancer_arrows_are_inbound_traffic() -> None:
    """Both hops through the load balancer are drawn in the inbound colour."""
    arch = balanced()
    arrows = route(layout(arch), flows_from_model(arch))
    hops = [a for a in arrows if "lb/front" in (a.flow.source_id, a.flow.destination_id)]
    assert len(hops) == 3
    assert {a.category for a in hops} == {"ingress"}


def test_health_check_port_joins_the_target_port() -> None:
    """A health check on its own port is part of what the load balancer sends to targets."""
    arch = balanced()
    group = replace(arch.target_groups[0], health_check_port=8081)
    flows = flows_from_model(replace(arch, target_groups=(group,)))
    assert Flow(source_id="lb/front", destination_id="instance/app-1", label="8080, 8081") in flows


def test_internal_or_closed_load_balancer_gets_no_internet_arrow() -> None:
    """An internal load balancer, or one whose group admits no listener port from the internet,
    is drawn without an arrow from the internet; its targets' arrows stay."""
    arch = balanced()
    internal = replace(arch.load_balancers[0], scheme="internal")
    group = next(g for g in arch.security_groups if g.id == "sg/lb-front")
    only_22: tuple[SecurityGroupRule, ...] = tuple(
        replace(r, ports=replace(r.ports, first=22, last=22)) for r in group.ingress
    )
    closed_groups = tuple(
        replace(g, ingress=only_22) if g.id == group.id else g for g in arch.security_groups
    )
    for changed in (
        replace(arch, load_balancers=(internal,)),
        replace(arch, security_groups=closed_groups),
    ):
        flows = flows_from_model(changed)
        assert not [f for f in flows if f.source_id == INTERNET]
        assert [f for f in flows if f.source_id == "lb/front"]
    assert layout(replace(arch, load_balancers=(internal,))).box("lb/front").detail == (
        "ALB · internal"
    )


def test_load_balancer_outside_the_drawn_subnets_is_left_out() -> None:
    """A load balancer whose subnets the model does not hold is neither drawn nor the end of an
    arrow, so the picture still renders."""
    arch = balanced()
    lost = replace(arch.load_balancers[0], subnet_ids=("subnet/elsewhere",))
    arch = replace(arch, load_balancers=(lost,))
    assert layout(arch).find("lb/front") is None
    assert not [f for f in flows_from_model(arch) if "lb/front" in (f.source_id, f.destination_id)]
    assert "n_lb_front" not in render_mermaid(arch)


@pytest.mark.parametrize("azs", ZONES)
def test_arrows_keep_off_cards_and_the_load_balancer_s_label(azs: int) -> None:
    """Arrows never run through a card they do not start or end at; one that crosses the load
    balancer (to the NAT gateway above it) never crosses its icon or text."""
    arch = balanced(azs)
    placed = layout(arch)
    cards = [b for b in placed.boxes if b.kind in CARDS]
    text = _lb_text(placed.box("lb/front"))
    assert text[0] + text[2] <= placed.box("lb/front").right
    for flow, segment in _segments(placed, arch):
        ends = {flow.source_id, flow.destination_id}
        for card in cards:
            if card.id not in ends:
                assert not _overlap(segment, _rect(card)), (flow, card.id)
        if "lb/front" not in ends:
            assert not _overlap(segment, text), flow


@pytest.mark.parametrize("azs", ZONES)
def test_arrow_labels_stay_clear_of_the_new_boxes(azs: int) -> None:
    """Port labels cover no other label, no card, not the load balancer and not the Auto
    Scaling group's label; and arrows leave that label alone too."""
    arch = balanced(azs)
    placed = layout(arch)
    labels = [pill(a.flow.label, a.label_at) for a in route(placed, flows_from_model(arch))]
    for a, b in combinations(labels, 2):
        assert not _overlap(a, b), (a, b)
    frame = placed.box("asg/app")
    band = (frame.x, label_band_top(frame.bottom), lines_width(frame.label, frame.detail), 30)
    keep_clear = [_rect(b) for b in placed.boxes if b.kind in (*CARDS, "lb")] + [band]
    for label in labels:
        for rect in keep_clear:
            assert not _overlap(label, rect), (label, rect)
    for flow, segment in _segments(placed, arch):
        assert not _overlap(segment, band), flow


def test_legend_names_the_new_symbols_only_when_drawn() -> None:
    """The legend explains the load balancer and the Auto Scaling frame when the diagram has
    them, and stays as it was for architectures without them."""
    with_them = {b.label for b in layout(balanced()).boxes if b.kind == "legend-item"}
    without = {b.label for b in layout(seed()).boxes if b.kind == "legend-item"}
    assert {"Application Load Balancer", "Auto Scaling group"} <= with_them
    assert not {"Application Load Balancer", "Auto Scaling group"} & without


def test_mermaid_has_the_load_balancer_and_the_auto_scaling_group() -> None:
    """The README picture shows the load balancer with its subnets and listeners, the group
    with its sizes joined to its instances, and the arrows through the load balancer."""
    text = render_mermaid(balanced())
    assert (
        'n_lb_front[["front · HTTPS 443, HTTP 80→443<br/>'
        'ALB · internet-facing · in public-a, public-b"]]'
    ) in text
    assert 'n_asg_app>"asg app · 2–6<br/>desired 2"]' in text
    assert "n_asg_app -.- n_instance_app_1" in text
    assert "n_asg_app -.- n_instance_app_2" in text
    assert 'n_internet -->|"80, 443"| n_lb_front' in text
    assert 'n_lb_front -->|"8080"| n_instance_app_2' in text
    assert 'n_instance_app_1 -->|"3306"| n_db_main' in text
    assert text.index("n_lb_front[[") < text.index("subgraph n_az_vpc_main")
