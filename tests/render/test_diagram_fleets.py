"""Past GROUP_AFTER instances in a subnet, a server group's instances there are one card."""

from __future__ import annotations

import dataclasses

from awsarch.model import Architecture
from awsarch.render.diagram import layout, render_svg
from awsarch.render.diagram_cells import FLEET, GROUP_AFTER
from awsarch.render.mermaid import render_mermaid
from awsarch.render.proved_flows import proved_flows

from .support import bench_blueprint


def _instance_boxes(arch: Architecture) -> dict[str, str]:
    return {b.id: b.label for b in layout(arch).boxes if b.kind == "instance"}


def test_up_to_the_threshold_every_instance_is_its_own_card() -> None:
    """A subnet of GROUP_AFTER instances draws each of them, exactly as before."""
    arch = bench_blueprint(2, GROUP_AFTER, azs=1)
    assert set(_instance_boxes(arch)) == {inst.id for inst in arch.instances}
    assert FLEET not in render_svg(arch, proved_flows(arch))


def test_past_the_threshold_a_server_group_is_one_card_with_its_count() -> None:
    """One more instance, and each group's instances in a subnet are one card saying how many."""
    arch = bench_blueprint(2, GROUP_AFTER + 1, azs=1)
    boxes = _instance_boxes(arch)
    count = GROUP_AFTER + 1
    assert boxes == {
        f"{FLEET}subnet/public-a:g0": f"g0 · {count} instances",
        f"{FLEET}subnet/private-a:g1": f"g1 · {count} instances",
    }


def test_a_fleet_has_the_arrows_of_its_members_once() -> None:
    """The internet's arrow into a fleet, and a fleet's arrow to its database, are drawn once."""
    arch = bench_blueprint(2, GROUP_AFTER + 1, azs=1)
    svg = render_svg(arch, proved_flows(arch))
    assert svg.count("<polyline") == 4  # internet → g0, g1 → db0, private → NAT → internet
    mermaid = render_mermaid(arch, proved_flows(arch))
    assert mermaid.count("n_fleet_subnet_public_a_g0") == 2  # the node and its one arrow
    assert mermaid.count("n_fleet_subnet_private_a_g1 -->") == 1


def test_an_instance_that_behaves_differently_keeps_its_own_card() -> None:
    """Only instances the network treats alike share a card: one without a public address
    stands apart from its group's fleet, with its own arrows."""
    arch = bench_blueprint(2, GROUP_AFTER + 2, azs=1)
    first = arch.instances[0]
    instances = (dataclasses.replace(first, has_public_ip=False), *arch.instances[1:])
    arch = dataclasses.replace(arch, instances=instances)
    boxes = _instance_boxes(arch)
    assert boxes[f"{FLEET}subnet/public-a:g0"] == f"g0 · {GROUP_AFTER + 1} instances"
    assert boxes[first.id] == first.name
    svg = render_svg(arch, proved_flows(arch))
    assert f'data-id="{first.id}"' in svg
