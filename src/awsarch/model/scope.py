"""Narrow an architecture to one VPC: what lives in it, and what that refers to."""

from __future__ import annotations

import dataclasses

from awsarch.model.architecture import Architecture


def within_vpc(arch: Architecture, vpc_id: str) -> Architecture:
    """Only the VPC, what is attached to it or placed in its subnets, and IAM (account-wide)."""
    subnets = tuple(s for s in arch.subnets if s.vpc_id == vpc_id)
    inside = {s.id for s in subnets}
    groups = tuple(g for g in arch.db_subnet_groups if set(g.subnet_ids) & inside)
    group_ids = {g.id for g in groups}
    return dataclasses.replace(
        arch,
        vpcs=tuple(v for v in arch.vpcs if v.id == vpc_id),
        subnets=subnets,
        route_tables=tuple(t for t in arch.route_tables if t.vpc_id == vpc_id),
        internet_gateways=tuple(g for g in arch.internet_gateways if g.vpc_id == vpc_id),
        vpc_peerings=tuple(
            p for p in arch.vpc_peerings if vpc_id in (p.requester_vpc_id, p.accepter_vpc_id)
        ),
        nat_gateways=tuple(n for n in arch.nat_gateways if n.subnet_id in inside),
        network_acls=tuple(a for a in arch.network_acls if a.vpc_id == vpc_id),
        security_groups=tuple(g for g in arch.security_groups if g.vpc_id == vpc_id),
        instances=tuple(i for i in arch.instances if i.subnet_id in inside),
        db_subnet_groups=groups,
        databases=tuple(d for d in arch.databases if d.subnet_group_id in group_ids),
    )
