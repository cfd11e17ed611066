"""A box of the architecture diagram: where one thing is drawn, and what it says."""

from __future__ import annotations

from awsarch.record import record


@record
class Box:
    id: str
    kind: str
    """internet, region, vpc, igw, az, subnet, instance, nat, database, lb (a load balancer
    across its subnets), asg (an Auto Scaling group's frame), legend, legend-item."""
    x: int
    y: int
    w: int
    h: int
    parent: str = ""
    label: str = ""
    detail: str = ""
    variant: str = ""
    """The subnet kind for a subnet, the role (primary/standby) for a database, the key of a
    legend item, the group ids (space-separated) of a security group's frame."""
    straddles: bool = False
    """Drawn across its parent's top edge (an internet gateway on its VPC), not inside it."""
    inset: int = 0
    """How far right of the box's left edge its icon and text start: a load balancer's label
    moves clear of the arrows that cross it."""

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def cx(self) -> int:
        return self.x + self.w // 2
