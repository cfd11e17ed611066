"""Architectures for the reachability tests: the seed, and small edits of it."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from awsarch.analysis.sets import Services
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_file
from awsarch.model import (
    AclEntry,
    Architecture,
    NetworkAcl,
    Peer,
    PortRange,
    Protocol,
    SecurityGroupRule,
)

SEED = Path(__file__).resolve().parents[2] / "src" / "awsarch" / "blueprint" / "seed.yaml"


@cache
def seed() -> Architecture:
    return expand(load_file(str(SEED)).blueprint)


def tcp(port: int, last: int | None = None) -> Services:
    return Services.of("tcp", PortRange(first=port, last=port if last is None else last))


def rule(protocol: Protocol, first: int, last: int, peer: Peer) -> SecurityGroupRule:
    return SecurityGroupRule(protocol=protocol, ports=PortRange(first=first, last=last), peer=peer)


def with_group(
    arch: Architecture,
    group_id: str,
    *,
    ingress: tuple[SecurityGroupRule, ...] | None = None,
    egress: tuple[SecurityGroupRule, ...] | None = None,
) -> Architecture:
    """The architecture with one security group's rules replaced."""
    groups = []
    for group in arch.security_groups:
        if group.id == group_id:
            group = replace(
                group,
                ingress=group.ingress if ingress is None else ingress,
                egress=group.egress if egress is None else egress,
            )
        groups.append(group)
    return replace(arch, security_groups=tuple(groups))


def entry(
    number: int,
    *,
    egress: bool,
    allow: bool = True,
    protocol: Protocol = "all",
    ports: tuple[int, int] = (0, 65535),
    cidr: str = "0.0.0.0/0",
) -> AclEntry:
    return AclEntry(
        rule_number=number,
        egress=egress,
        protocol=protocol,
        ports=PortRange(first=ports[0], last=ports[1]),
        cidr=cidr,
        allow=allow,
    )


def with_acl(arch: Architecture, subnets: tuple[str, ...], *entries: AclEntry) -> Architecture:
    """The architecture with a custom ACL associated with these subnets (and only it)."""
    others = tuple(
        replace(a, subnet_ids=tuple(s for s in a.subnet_ids if s not in subnets))
        for a in arch.network_acls
    )
    custom = NetworkAcl(
        id="acl/custom", name="custom", vpc_id="vpc/main", entries=entries, subnet_ids=subnets
    )
    return replace(arch, network_acls=(*others, custom))


def allow_all_acl(egress_ports: tuple[int, int] = (0, 65535)) -> tuple[AclEntry, ...]:
    return (entry(100, egress=False), entry(100, egress=True, ports=egress_ports, protocol="tcp"))


def replace_by_id(items: tuple, resource_id: str, **changes: object) -> tuple:  # type: ignore[type-arg]
    return tuple(replace(i, **changes) if i.id == resource_id else i for i in items)
