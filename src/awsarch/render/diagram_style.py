"""Sizes, fonts and colours of the architecture diagram, in one place.

Colours follow AWS's architecture icon conventions (2023 set): a teal region and availability
zone, a purple VPC and networking gateways, orange compute, magenta databases, dashed red security
groups; subnets green (public), blue (private) and grey (isolated). Arrows never share a frame's
colour: outbound traffic through NAT is ink, not the VPC's purple; of the arrows, only those
that break an intent are red. Sizes are whole pixels so the SVG stays readable
and byte-stable.
"""

from __future__ import annotations

from awsarch.record import record

FONT_FAMILY = "'Amazon Ember', 'Helvetica Neue', Helvetica, Arial, sans-serif"
FONT = 13
"""Labels of boxes and cards."""
SMALL = 12
"""Second lines: CIDRs, instance types, arrow labels."""
TITLE = 14
"""The diagram title and container headers."""
TAG = 11
"""A security group frame's name tag: the smallest text on the page."""


def text_width(text: str, size: int = FONT, *, bold: bool = False) -> int:
    """A generous estimate of rendered width (sans-serif averages ~0.55 em per character)."""
    per_char = 0.64 if bold else 0.6
    return int(len(text) * size * per_char + 0.999)


# ---- geometry (px) -------------------------------------------------------------------------
MARGIN = 24
TITLE_H = 28
INTERNET_W = 168
INTERNET_H = 52
JOG = 56
"""Vertical space between the internet and the region, where arrows may turn."""
REGION_PAD = 24
REGION_HEAD = 60
"""Room for the region's label and the upper half of an internet gateway."""
VPC_GAP = 48
VPC_PAD = 24
"""Side and bottom padding of a VPC; also the corridor arrows take between AZ columns."""
GATEWAY_H = 40
TOP_LANE = 56
"""Space between the internet gateway's lower edge and the AZ columns, for arrows."""
AZ_GAP = 24
AZ_PAD = 16
AZ_HEAD = 36
AZ_FOOT = 32
ROW_GAP = 48
SUBNET_PAD = 20
"""Room above a subnet's cards for their security group tags."""
TEXT_MIN = 112
CARD_W_MIN = 136
CARD_H = 56
CARD_GAP = 12
SUBNET_ARROW = 24
"""How far left of a subnet's right edge the arrows of the subnet itself attach."""
ICON = 32
LEGEND_GAP = 24
LEGEND_HEAD = 36
LEGEND_ITEM_H = 24
LEGEND_ITEM_GAP = 20


@record
class Paint:
    fill: str
    stroke: str
    text: str = "#232F3E"
    dash: str = ""


INK = "#232F3E"
MUTED = "#545B64"

CONTAINERS: dict[str, Paint] = {
    "region": Paint(fill="#FFFFFF", stroke="#00A4A6", text="#00777A", dash="6 4"),
    "vpc": Paint(fill="#FFFFFF", stroke="#8C4FFF", text="#6B2FD9"),
    "az": Paint(fill="#FAFBFC", stroke="#147EBA", text="#0F5E8C", dash="5 4"),
    "legend": Paint(fill="#FFFFFF", stroke="#D5DBDB"),
    "internet": Paint(fill="#FFFFFF", stroke="#232F3E"),
    "asg": Paint(fill="none", stroke="#ED7100", text="#B35500", dash="6 3"),
    "sg": Paint(fill="none", stroke="#DD344C", text="#B0213A", dash="4 3"),
}

DRIFT = Paint(fill="none", stroke="#EC7211", dash="7 4")
"""The outline of a resource whose live state drifted from the blueprint."""

SUBNETS: dict[str, Paint] = {
    "public": Paint(fill="#F2F6E8", stroke="#7AA116", text="#4A6B00"),
    "private": Paint(fill="#E6F2FB", stroke="#147EBA", text="#0F5E8C"),
    "isolated": Paint(fill="#F0F1F3", stroke="#7D8998", text="#4B5563"),
    "": Paint(fill="#FFFFFF", stroke="#7D8998", text=INK),
}

ICONS: dict[str, str] = {
    "instance": "#ED7100",
    "database": "#C925D1",
    "nat": "#8C4FFF",
    "igw": "#8C4FFF",
    "internet": "#232F3E",
    "lb": "#8C4FFF",
}

FLOWS: dict[str, str] = {
    "ingress": "#1D8102",
    "data": "#C925D1",
    "egress": "#232F3E",
    "flow": MUTED,
    "violation": "#D13212",
}

FLOW_NAMES: dict[str, str] = {
    "ingress": "Inbound from the internet",
    "data": "To the database",
    "egress": "Outbound through NAT",
    "violation": "Breaks an intent",
}

KIND_RANK: dict[str, int] = {"public": 0, "private": 1, "isolated": 2, "": 3}
