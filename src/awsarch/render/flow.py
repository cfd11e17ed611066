"""What an arrow of the diagram is: a flow from a source to a destination, with its ports."""

from __future__ import annotations

from awsarch.record import record

INTERNET = "internet"
"""The flow endpoint that stands for the internet (any address outside the VPC)."""
EVERY_PORT = "all ports"


@record
class Flow:
    source_id: str
    """A resource id (instance, subnet, NAT gateway, load balancer, database) or INTERNET."""
    destination_id: str
    label: str
    """What people read on the arrow: its ports, e.g. "80, 443" or "3306"."""
    broken: bool = False
    """It breaks one of the blueprint's intents: drawn red (render/promise_flows.py)."""
