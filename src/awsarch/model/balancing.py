"""What spreads traffic and servers over the zones: Application Load Balancers, their target
groups, and Auto Scaling groups.

An Application Load Balancer ends the client's connection at a listener and opens a new one
from its own network interfaces (one per subnet, each with the load balancer's security groups)
to a registered target on the target group's port
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/introduction.html). The
proofs therefore see it as placements of its own, not as a hop that carries packets through.
"""

from __future__ import annotations

from typing import Literal

from awsarch.record import record

Scheme = Literal["internet-facing", "internal"]
ListenerProtocol = Literal["HTTP", "HTTPS"]


@record
class Listener:
    """A port the load balancer accepts connections on, and what it does with them."""

    port: int
    protocol: ListenerProtocol
    target_group_id: str = ""
    """The target group it forwards to; "" when it only redirects."""
    redirect_port: int | None = None
    """An HTTP listener that answers every request with a redirect to HTTPS on this port."""
    certificate_arn: str = ""
    """An HTTPS listener's ACM certificate; "" when none is given (the emulator needs none)."""


@record
class TargetGroup:
    """Where a load balancer sends requests: instances of one server group, on one port."""

    id: str
    name: str
    vpc_id: str
    port: int
    protocol: ListenerProtocol = "HTTP"
    server_group: str = ""
    """The blueprint server group whose instances are the targets; "" when not known."""
    health_check_path: str = "/"
    health_check_port: int | None = None
    """None: the traffic port (AWS's default, `traffic-port`)."""
    target_ids: tuple[str, ...] = ()
    """Instances registered by hand (fixed servers); an Auto Scaling group registers its own."""

    @property
    def ports(self) -> tuple[int, ...]:
        """The ports the load balancer connects to targets on: traffic and health checks."""
        health = self.health_check_port
        return (self.port,) if health in (None, self.port) else (self.port, health)


@record
class LoadBalancer:
    """An Application Load Balancer: its subnets, groups and listeners."""

    id: str
    name: str
    scheme: Scheme
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    listeners: tuple[Listener, ...] = ()
    deletion_protection: bool = True
    dns_name: str = ""
    """The address clients use ("" before deploy)."""

    @property
    def internet_facing(self) -> bool:
        return self.scheme == "internet-facing"


@record
class AutoScalingGroup:
    """Instances of one server group launched from a launch template across subnets.

    Its instances appear in the model as `Instance`s whose `scaling_group` is this id: the
    blueprint's expansion places `desired` of them round-robin over the subnets (as Auto
    Scaling balances zones), discovery reads the live ones. They are never created one by one.
    """

    id: str
    name: str
    server_group: str
    subnet_ids: tuple[str, ...]
    min_size: int
    max_size: int
    desired: int
    target_group_ids: tuple[str, ...] = ()
    launch_template: str = ""
    """The launch template's name ("" when not known)."""
