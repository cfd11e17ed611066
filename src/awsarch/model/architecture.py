"""The one typed model of an architecture: everything awsarch reads, proves, draws or deploys.

A blueprint expands into an Architecture (desired); discovery reads one from an account
(observed). Rules, proofs, renderers and the planner consume it and never do I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from functools import cached_property
from typing import Any

from awsarch.model.account import Account
from awsarch.model.balancing import AutoScalingGroup, LoadBalancer, TargetGroup
from awsarch.model.compute import Database, DbSubnetGroup, Instance
from awsarch.model.iam import Group, InstanceProfile, Role, User
from awsarch.model.network import (
    ElasticIp,
    InternetGateway,
    NatGateway,
    NetworkAcl,
    RouteTable,
    Subnet,
    Vpc,
    VpcPeering,
)
from awsarch.model.security import PrefixList, SecurityGroup
from awsarch.record import record

Path = tuple[str | int, ...]
"""A path into the blueprint document, e.g. ("databases", "main", "multi_az")."""


@record
class Architecture:
    """Every resource of one stack: what rules judge and proofs walk."""

    stack: str
    region: str
    vpcs: tuple[Vpc, ...] = ()
    subnets: tuple[Subnet, ...] = ()
    route_tables: tuple[RouteTable, ...] = ()
    internet_gateways: tuple[InternetGateway, ...] = ()
    vpc_peerings: tuple[VpcPeering, ...] = ()
    elastic_ips: tuple[ElasticIp, ...] = ()
    nat_gateways: tuple[NatGateway, ...] = ()
    network_acls: tuple[NetworkAcl, ...] = ()
    prefix_lists: tuple[PrefixList, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()
    instances: tuple[Instance, ...] = ()
    db_subnet_groups: tuple[DbSubnetGroup, ...] = ()
    databases: tuple[Database, ...] = ()
    target_groups: tuple[TargetGroup, ...] = ()
    load_balancers: tuple[LoadBalancer, ...] = ()
    auto_scaling_groups: tuple[AutoScalingGroup, ...] = ()
    roles: tuple[Role, ...] = ()
    instance_profiles: tuple[InstanceProfile, ...] = ()
    users: tuple[User, ...] = ()
    groups: tuple[Group, ...] = ()
    origins: tuple[tuple[str, Path], ...] = field(default=(), compare=False)
    """Where each resource came from in the blueprint: (resource id, path)."""
    logical_ids: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    """For a discovered model: (AWS id, logical id from the `awsarch:name` tag) of every
    resource tagged with this stack. Empty for a blueprint's model, whose ids are logical."""
    aws_prefix_lists: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    """For a discovered model: (id, name) of the AWS-managed prefix lists of the region, so a
    blueprint's `com.amazonaws.…` name matches the id a live rule names."""
    account: Account | None = field(default=None, compare=False)
    """Account-level IAM facts (root, users, credentials) when read live; None for a blueprint."""

    # ---- lookups -------------------------------------------------------------------------
    @cached_property
    def _by_id(self) -> dict[str, Any]:
        return {resource.id: resource for resource in self.resources()}

    def resources(self) -> Iterator[Any]:
        """Every resource, in dependency order (a resource comes after what it needs)."""
        for kind in (
            self.vpcs,
            self.internet_gateways,
            self.vpc_peerings,
            self.subnets,
            self.route_tables,
            self.elastic_ips,
            self.nat_gateways,
            self.network_acls,
            self.prefix_lists,
            self.security_groups,
            self.roles,
            self.instance_profiles,
            self.instances,
            self.target_groups,
            self.load_balancers,
            self.auto_scaling_groups,
            self.db_subnet_groups,
            self.databases,
            self.groups,
            self.users,
        ):
            yield from kind

    def get(self, resource_id: str) -> Any:
        """The resource with this id; KeyError when there is none."""
        return self._by_id[resource_id]

    def find(self, resource_id: str) -> Any | None:
        return self._by_id.get(resource_id)

    def subnet(self, subnet_id: str) -> Subnet:
        found: Subnet = self._by_id[subnet_id]
        return found

    def security_group(self, group_id: str) -> SecurityGroup:
        found: SecurityGroup = self._by_id[group_id]
        return found

    def origin(self, resource_id: str) -> Path:
        """The blueprint path a resource came from; () when it has none (discovered)."""
        return dict(self.origins).get(resource_id, ())

    def logical_id(self, resource_id: str) -> str | None:
        """The `awsarch:name` of a discovered resource this stack owns; None when unowned."""
        return dict(self.logical_ids).get(resource_id)

    def route_table_of(self, subnet_id: str) -> RouteTable | None:
        """The subnet's explicitly associated table, else its VPC's main table (AWS's rule)."""
        for table in self.route_tables:
            if subnet_id in table.subnet_ids:
                return table
        vpc_id = self.subnet(subnet_id).vpc_id
        return next((t for t in self.route_tables if t.is_main and t.vpc_id == vpc_id), None)

    def network_acl_of(self, subnet_id: str) -> NetworkAcl | None:
        """The ACL associated with the subnet, else its VPC's default ACL."""
        for acl in self.network_acls:
            if subnet_id in acl.subnet_ids:
                return acl
        vpc_id = self.subnet(subnet_id).vpc_id
        return next((a for a in self.network_acls if a.is_default and a.vpc_id == vpc_id), None)

    def attached_internet_gateway_ids(self) -> frozenset[str]:
        return frozenset(igw.id for igw in self.internet_gateways if igw.vpc_id)

    def routes_to_internet_gateway(self, subnet_id: str) -> bool:
        """The subnet's route table sends some destination to an attached internet gateway."""
        table = self.route_table_of(subnet_id)
        attached = self.attached_internet_gateway_ids()
        return table is not None and any(
            r.target == "internet-gateway" and r.target_id in attached for r in table.routes
        )

    def subnet_group(self, group_id: str) -> DbSubnetGroup:
        found: DbSubnetGroup = self._by_id[group_id]
        return found

    def balancer_name(self, lb: LoadBalancer) -> str:
        """How people name a load balancer: its blueprint name (`front` for `lb/front`), the
        logical name a live one is tagged with, else its AWS name."""
        logical = self.logical_id(lb.id) or lb.id
        return logical.removeprefix("lb/") if logical.startswith("lb/") else lb.name

    def target_group(self, group_id: str) -> TargetGroup:
        found: TargetGroup = self._by_id[group_id]
        return found

    def targets_of(self, target_group: TargetGroup) -> tuple[Instance, ...]:
        """The instances a target group sends to: those registered by hand, and those of the
        Auto Scaling groups attached to it."""
        scaling = {a.id for a in self.auto_scaling_groups if target_group.id in a.target_group_ids}
        registered = set(target_group.target_ids)
        return tuple(i for i in self.instances if i.id in registered or i.scaling_group in scaling)

    def members_of(self, group_id: str) -> tuple[Instance | Database, ...]:
        """Instances and databases with a network interface in the security group (for an
        instance, any of its interfaces: which one is the proof's business)."""
        found: list[Instance | Database] = [i for i in self.instances if i.in_group(group_id)]
        found += [d for d in self.databases if group_id in d.security_group_ids]
        return tuple(found)
