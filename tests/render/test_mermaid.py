"""The Mermaid export nests VPC, AZ and subnet and draws the flows as labelled edges."""

from __future__ import annotations

import pytest

from awsarch.render.diagram import INTERNET, Flow
from awsarch.render.mermaid import render_mermaid

from .support import seed, three_tier


def test_mermaid_nests_vpc_az_and_subnet_subgraphs() -> None:
    """A README reader sees the VPC, each AZ and each subnet with its CIDR as nested boxes."""
    text = render_mermaid(seed())
    assert text.startswith("flowchart TB\n")
    assert 'subgraph n_vpc_main["VPC main · 10.0.0.0/16"]' in text
    assert 'subgraph n_subnet_private_b["private-b · 10.0.9.0/24"]' in text
    assert text.index("n_az_vpc_main_ap_northeast_2a") < text.index("n_subnet_public_a")
    lines = [line.strip() for line in text.splitlines()]
    opened = sum(line.startswith("subgraph ") for line in lines)
    assert opened == lines.count("end") == 8  # region, VPC, 2 AZs, 4 subnets


def test_mermaid_edges_carry_the_ports() -> None:
    """Each allowed flow is an edge labelled with its ports."""
    text = render_mermaid(three_tier())
    assert 'n_internet -->|"443"| n_instance_web_3' in text
    assert 'n_instance_web_1 -->|"3306"| n_db_main' in text
    assert 'n_subnet_private_c -->|"all ports"| n_nat_c' in text


def test_mermaid_rejects_flows_to_unknown_resources() -> None:
    """A flow to something not in the architecture is an error, not a dangling node."""
    with pytest.raises(ValueError, match="nat/z"):
        render_mermaid(seed(), [Flow(source_id=INTERNET, destination_id="nat/z", label="1")])
