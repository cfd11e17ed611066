"""The SVG diagram is valid XML that names what people look for: CIDRs, resources, ports."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from awsarch.model import NetworkInterface
from awsarch.render.diagram import INTERNET, Flow, flows_from_model, layout, render_svg

from .support import seed, three_tier

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def test_svg_parses_and_has_a_view_box_that_fits_the_layout() -> None:
    """Any SVG viewer can open the file: well-formed XML with a viewBox the size of the page."""
    arch = seed()
    root = ET.fromstring(render_svg(arch))
    placed = layout(arch)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {placed.width} {placed.height}"


@pytest.mark.parametrize("build", [seed, three_tier])
def test_svg_names_every_cidr_and_resource(build) -> None:  # type: ignore[no-untyped-def]
    """People find the VPC and every subnet by CIDR, and every instance, NAT and database."""
    arch = build()
    texts = " ".join(_texts(render_svg(arch)))
    for cidr in [v.cidr for v in arch.vpcs] + [s.cidr for s in arch.subnets]:
        assert cidr in texts
    for name in [i.name for i in arch.instances] + [s.name for s in arch.subnets]:
        assert name in _texts(render_svg(arch))
    assert "Internet gateway" in texts
    assert f"NAT {arch.nat_gateways[0].name}" in texts


def test_multi_az_database_is_drawn_as_primary_and_standby_in_two_azs() -> None:
    """A Multi-AZ database shows its standby in a second AZ, labelled as such."""
    placed = layout(seed())
    primary, standby = placed.box("db/main"), placed.box("db/main#standby")
    assert (primary.detail, standby.detail) == ("primary", "standby")
    assert placed.box(primary.parent).id == "subnet/private-a"
    assert placed.box(standby.parent).id == "subnet/private-b"


def test_single_az_database_is_drawn_once() -> None:
    """A single-AZ database has no standby box."""
    arch = seed()
    arch = replace(arch, databases=(replace(arch.databases[0], multi_az=False),))
    placed = layout(arch)
    assert placed.find("db/main#standby") is None
    assert placed.box("db/main").detail == "single-AZ"


def test_flows_from_model_are_the_three_intended_paths() -> None:
    """The seed allows internet → web on 80/443, web → database on 3306, private → NAT → out."""
    flows = flows_from_model(seed())
    assert Flow(source_id=INTERNET, destination_id="instance/web-1", label="80, 443") in flows
    assert Flow(source_id="instance/web-2", destination_id="db/main", label="3306") in flows
    assert Flow(source_id="subnet/private-a", destination_id="nat/a", label="all ports") in flows
    assert Flow(source_id="nat/a", destination_id=INTERNET, label="all ports") in flows
    assert all(f.source_id != INTERNET or f.destination_id.startswith("instance/") for f in flows)
    assert len(flows) == 7


def test_no_internet_arrow_without_a_route_to_the_gateway() -> None:
    """An instance whose subnet has no route to the internet gateway gets no inbound arrow."""
    arch = seed()
    tables = tuple(
        replace(t, routes=t.routes[:1]) if t.id == "rtb/public" else t for t in arch.route_tables
    )
    flows = flows_from_model(replace(arch, route_tables=tables))
    assert not [f for f in flows if INTERNET in (f.source_id, f.destination_id)]


def test_an_internet_arrow_follows_each_interface_s_own_groups() -> None:
    """A private instance is drawn reached from the internet through a second interface that is
    public in a routed subnet with a world-open group; the primary's groups count only for it."""
    arch = seed()
    nic = NetworkInterface(
        id="eni-0abc",
        subnet_id="subnet/public-b",
        security_group_ids=("sg/web",),
        has_public_ip=True,
    )
    web = replace(
        arch.instances[0],
        has_public_ip=False,
        security_group_ids=("sg/db-main",),
        secondary_interfaces=(nic,),
    )
    flows = flows_from_model(replace(arch, instances=(web,)))
    assert Flow(source_id=INTERNET, destination_id=web.id, label="80, 443") in flows
    hidden = replace(web, secondary_interfaces=(replace(nic, has_public_ip=False),))
    flows = flows_from_model(replace(arch, instances=(hidden,)))
    assert not [f for f in flows if f.source_id == INTERNET]


def test_given_flows_replace_the_derived_ones() -> None:
    """Proved flows passed in are drawn, with their labels, instead of the model's own."""
    arch = seed()
    flow = Flow(source_id="instance/web-1", destination_id="instance/web-2", label="8080")
    svg = render_svg(arch, [flow])
    texts = _texts(svg)
    assert "8080" in texts
    assert "3306" not in texts
    assert svg.count("<polyline") == 1


def test_flow_to_something_not_drawn_is_an_error() -> None:
    """A flow naming a resource the diagram does not hold fails loudly instead of vanishing."""
    with pytest.raises(ValueError, match="db/missing"):
        render_svg(seed(), [Flow(source_id=INTERNET, destination_id="db/missing", label="1")])


def test_labels_are_escaped() -> None:
    """Names with XML characters still give a well-formed document."""
    arch = seed()
    vpc = replace(arch.vpcs[0], name="a<b>&c")
    svg = render_svg(replace(arch, vpcs=(vpc,)))
    assert "VPC a<b>&c · 10.0.0.0/16" in _texts(svg)


def test_the_gateway_sits_on_the_vpc_edge_in_a_colour_no_arrow_shares() -> None:
    """The internet gateway straddles its VPC's top edge, and the VPC frame's purple is not
    the colour of any arrow (NAT arrows are ink, red is for broken intents)."""
    from awsarch.render import diagram_style as style
    from awsarch.render.diagram import layout
    from tests.render.support import seed

    placed = layout(seed())
    gateway = next(b for b in placed.boxes if b.kind == "igw")
    vpc = placed.box(gateway.parent)
    assert gateway.straddles and gateway.y < vpc.y < gateway.bottom
    assert style.CONTAINERS["vpc"].stroke not in style.FLOWS.values()
