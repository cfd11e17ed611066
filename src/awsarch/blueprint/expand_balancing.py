"""The load balancers and Auto Scaling groups a blueprint asks for, expanded into the model.

Each load balancer gets a security group of its own: its listener ports from the internet (or,
internal, from the VPC), and out only to its targets' group on the target and health-check
ports. The targets' group admits those ports from the load balancer's group alone — the id, not
an address, as the database's group admits the web group's.
"""

from __future__ import annotations

from awsarch.blueprint.spec import Blueprint, LoadBalancerSpec, ServerSpec
from awsarch.model import (
    AutoScalingGroup,
    Listener,
    LoadBalancer,
    Peer,
    PortRange,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    TargetGroup,
)

VPC_ID = "vpc/main"


def balancer_group_id(lb: str) -> str:
    return f"sg/lb-{lb}"


def target_group_id(lb: str) -> str:
    return f"tg/{lb}"


def scaling_group_id(server: str) -> str:
    return f"asg/{server}"


def _target_ports(lb: LoadBalancerSpec) -> tuple[int, ...]:
    health = lb.target.health_port
    port = lb.target.port
    return (port,) if health in (None, port) else (port, health)


def balancer_group(bp: Blueprint, lb: LoadBalancerSpec) -> SecurityGroup:
    """Listener ports in from the clients, target ports out to the targets' group only."""
    clients = Peer.cidr("0.0.0.0/0" if lb.scheme == "internet-facing" else bp.network.cidr)
    who = "internet" if lb.scheme == "internet-facing" else "VPC"
    ingress = tuple(
        SecurityGroupRule(
            protocol="tcp",
            ports=PortRange.single(listener.port),
            peer=clients,
            description=f"{who} to {lb.name}",
        )
        for listener in lb.listeners
    )
    egress = tuple(
        SecurityGroupRule(
            protocol="tcp",
            ports=PortRange.single(port),
            peer=Peer.group(f"sg/{lb.target.servers}"),
            description=f"{lb.name} to {lb.target.servers}",
        )
        for port in _target_ports(lb)
    )
    return SecurityGroup(
        id=balancer_group_id(lb.name),
        name=f"lb-{lb.name}",
        vpc_id=VPC_ID,
        description=f"load balancer {lb.name}",
        ingress=ingress,
        egress=egress,
    )


def target_ingress(bp: Blueprint, server: ServerSpec) -> tuple[SecurityGroupRule, ...]:
    """The server group's rules admitting each load balancer that sends to it."""
    return tuple(
        SecurityGroupRule(
            protocol="tcp",
            ports=PortRange.single(port),
            peer=Peer.group(balancer_group_id(lb.name)),
            description=f"{lb.name} to {server.name}",
        )
        for lb in bp.load_balancers
        if lb.target.servers == server.name
        for port in _target_ports(lb)
    )


def target_group(bp: Blueprint, lb: LoadBalancerSpec, fixed: tuple[str, ...]) -> TargetGroup:
    """`fixed`: the ids of the server group's own instances (none when it scales)."""
    return TargetGroup(
        id=target_group_id(lb.name),
        name=f"{bp.stack}-{lb.name}",
        vpc_id=VPC_ID,
        port=lb.target.port,
        protocol=lb.target.protocol,  # type: ignore[arg-type]
        server_group=lb.target.servers,
        health_check_path=lb.target.health_path,
        health_check_port=lb.target.health_port,
        target_ids=fixed,
    )


def load_balancer(bp: Blueprint, lb: LoadBalancerSpec, subnets: tuple[Subnet, ...]) -> LoadBalancer:
    """In every subnet of its tier (one per zone), with its listeners."""
    listeners = tuple(
        Listener(
            port=x.port,
            protocol=x.protocol,  # type: ignore[arg-type]
            target_group_id="" if x.redirect is not None else target_group_id(lb.name),
            redirect_port=x.redirect,
            certificate_arn=lb.certificate if x.protocol == "HTTPS" else "",
        )
        for x in lb.listeners
    )
    return LoadBalancer(
        id=f"lb/{lb.name}",
        name=f"{bp.stack}-{lb.name}",
        scheme=lb.scheme,  # type: ignore[arg-type]
        subnet_ids=tuple(s.id for s in subnets if s.tier == lb.tier),
        security_group_ids=(balancer_group_id(lb.name),),
        listeners=listeners,
        deletion_protection=lb.deletion_protection,
    )


def scaling_group(
    bp: Blueprint, server: ServerSpec, subnets: tuple[Subnet, ...]
) -> AutoScalingGroup:
    scaling = server.scaling
    assert scaling is not None
    return AutoScalingGroup(
        id=scaling_group_id(server.name),
        name=f"{bp.stack}-{server.name}",
        server_group=server.name,
        subnet_ids=tuple(s.id for s in subnets if s.tier == server.tier),
        min_size=scaling.min,
        max_size=scaling.max,
        desired=scaling.desired,
        target_group_ids=tuple(
            target_group_id(lb.name) for lb in bp.load_balancers if lb.target.servers == server.name
        ),
        launch_template=f"{bp.stack}-{server.name}",
    )
