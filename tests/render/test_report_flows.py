"""Proved flows (the diagram's arrows) and the report's data, from real architectures."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from awsarch.model import AclEntry, Architecture, PortRange
from awsarch.render.diagram import Flow, flows_from_model, render_svg
from awsarch.render.proved_flows import ports_label, proved_flows
from awsarch.render.report_data import build_report
from awsarch.usecases.verify import verify_file
from tests.render.support import SEED, seed, three_tier

SEED_FLOWS = [
    Flow(source_id="internet", destination_id="instance/web-1", label="80, 443"),
    Flow(source_id="internet", destination_id="instance/web-2", label="80, 443"),
    Flow(source_id="instance/web-1", destination_id="db/main", label="3306"),
    Flow(source_id="instance/web-2", destination_id="db/main", label="3306"),
    Flow(source_id="subnet/private-a", destination_id="nat/a", label="all ports"),
    Flow(source_id="subnet/private-b", destination_id="nat/a", label="all ports"),
    Flow(source_id="nat/a", destination_id="internet", label="all ports"),
]


def _deny_inbound_80(arch: Architecture) -> Architecture:
    """The shared network ACL denies port 80 inbound ahead of its allow-all rule."""
    deny = AclEntry(
        rule_number=50,
        egress=False,
        protocol="tcp",
        ports=PortRange.single(80),
        cidr="0.0.0.0/0",
        allow=False,
    )
    acls = tuple(dataclasses.replace(a, entries=(deny, *a.entries)) for a in arch.network_acls)
    return dataclasses.replace(arch, network_acls=acls)


def test_seed_flows_are_the_classic_ones() -> None:
    """On the seed, the proof draws internet → web (80, 443), web → MySQL, private → NAT → out."""
    assert proved_flows(seed()) == SEED_FLOWS


def test_an_acl_deny_removes_the_port_from_the_arrow() -> None:
    """An arrow shows what the network lets through, not what the security group says."""
    arch = _deny_inbound_80(seed())
    into_web = [f for f in proved_flows(arch) if f.source_id == "internet"]
    assert {f.label for f in into_web} == {"443"}
    assert {f.label for f in flows_from_model(arch) if f.source_id == "internet"} == {"80, 443"}


def test_a_nat_without_an_elastic_ip_draws_no_way_out() -> None:
    """A NAT gateway that cannot reach the internet carries no proved arrow at all."""
    arch = seed()
    nats = tuple(dataclasses.replace(n, has_public_ip=False) for n in arch.nat_gateways)
    flows = proved_flows(dataclasses.replace(arch, nat_gateways=nats))
    assert not [f for f in flows if "nat/a" in (f.source_id, f.destination_id)]
    assert len(flows) == 4


def test_three_tier_flows_can_be_drawn() -> None:
    """Every proved flow of a three-AZ, three-tier architecture names something on the diagram."""
    arch = three_tier()
    flows = proved_flows(arch)
    assert any(f.destination_id.startswith("db/") for f in flows)
    assert "<svg" in render_svg(arch, flows)


def test_ports_label_reads_like_the_diagram() -> None:
    """Labels are short: ports alone for TCP, the protocol otherwise, "all ports" for all."""
    from awsarch.analysis import Services

    assert ports_label(Services.of("tcp", PortRange(first=80, last=80))) == "80"
    both = Services.of("tcp", PortRange.single(443)) | Services.of("udp", PortRange.single(53))
    assert ports_label(both) == "tcp 443; udp 53"
    assert ports_label(Services.every()) == "all ports"


def test_build_report_gathers_every_part_of_the_seed() -> None:
    """The report data holds the diagram, every intent with its paths and the full matrix."""
    verified = verify_file(str(SEED))
    report = build_report(
        verified.architecture,
        findings=verified.findings,
        proofs=verified.proofs,
        locate=verified.locate,
        title="seed",
        source=str(SEED),
        rule_count=verified.rule_count,
    )
    assert report.svg.startswith("<svg")
    assert [i.text for i in report.intents] == list(verified.loaded.blueprint.intents)
    network = [i for i in report.intents if i.kind == "network"]
    assert all(i.paths and all(p.hops for p in i.paths) for i in network)
    assert all(i.location.startswith(f"{SEED}:") for i in report.intents)
    names = report.endpoints
    assert len(report.cells) == len(names) * (len(names) - 1)
    cell = report.cell("web", "main")
    assert cell is not None and cell.verdict == "reachable" and cell.ports == ("tcp/3306",)
    blocked = report.cell("internet", "main")
    assert blocked is not None and blocked.verdict == "unreachable"


def test_report_rows_keep_an_acceptance(tmp_path: Path) -> None:
    """The seed single-AZ with DATA004 accepted: the report's row carries reason and severity."""
    text = SEED.read_text(encoding="utf-8").replace("multi_az: true", "multi_az: false")
    text += "accept:\n  - {rule: DATA004, resource: db/main, reason: a dev copy}\n"
    path = tmp_path / "blueprint.yaml"
    path.write_text(text, encoding="utf-8")
    verified = verify_file(str(path))
    report = build_report(
        verified.architecture,
        findings=verified.findings,
        proofs=verified.proofs,
        locate=verified.locate,
        title="t",
        source="s",
    )
    (row,) = [r for r in report.findings if r.rule_id == "DATA004"]
    assert (row.severity, row.accepted, row.was) == ("info", "a dev copy", "error")
