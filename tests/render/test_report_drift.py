"""Drift in the pictures: drifted resources outlined on the diagram, a banner atop the report."""

from __future__ import annotations

from awsarch.render.diagram import render_svg
from awsarch.render.report import render_html
from awsarch.render.report_data import Report
from tests.render.support import seed

DRIFT = ("drift: ~ update sg/web: ingress", "drift: ~ update instance/web-1: instance_type")


def test_drifted_resources_are_outlined_and_the_legend_says_so() -> None:
    """A drifted group marks each frame of it; a drifted instance in a group is outlined
    outside its frame, once, and a drifted subnet is outlined too."""
    svg = render_svg(seed(), drifted=("sg/web", "instance/web-1", "subnet/private-b", "igw/x"))
    marks = [line for line in svg.splitlines() if line.startswith('<g class="drift"')]
    assert sorted(m.split('"')[3] for m in marks) == [
        "sg-frame:instance/web-1",
        "sg-frame:instance/web-2",
        "subnet/private-b",
    ]
    assert "Drifted from the blueprint" in svg


def test_no_drift_no_mark() -> None:
    svg = render_svg(seed())
    assert 'class="drift"' not in svg and "Drifted" not in svg


def test_the_banner_comes_before_the_green_counts() -> None:
    """A live report with 0 errors but drift says the drift first, in the header."""
    page = render_html(Report(title="t", source="live", svg="<svg/>", drift=DRIFT))
    header = page.split("<header>")[1].split("</header>")[0]
    assert header.index("drift-banner") < header.index("0 errors")
    assert "2 resources have drifted" in header and "2 drifted" in header
    assert 'href="#drift"' in header
    clean = render_html(Report(title="t", source="bp", svg="<svg/>"))
    assert 'role="alert"' not in clean
