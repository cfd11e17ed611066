"""A parsed template into the one typed model, purely: resources by type, intrinsics resolved.

Ids in the model are the template's logical ids, and each resource's origin is its
`Resources.<LogicalId>` entry, so findings point at the template's own lines. Types outside the
architecture are ignored and listed once (`ignored`), never an error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from awsarch.blueprint.document import Document
from awsarch.cfn import (
    ingest_balancing,
    ingest_compute,
    ingest_iam,
    ingest_network,
    ingest_security,
)
from awsarch.cfn.intrinsics import Resolver, Unknown, parameter_values
from awsarch.cfn.names import DEFAULT_ACL, DEFAULT_GROUP, iam_name, implicit_id, secret_of
from awsarch.cfn.reading import Reading
from awsarch.model import Architecture, NetworkAcl, Path, Subnet, Vpc
from awsarch.record import record

RESTRICT_TYPE = "Custom::VpcRestrictDefaultSG"
"""The AWS CDK's (and synth's) custom resource that empties a VPC's default group."""
READ_TYPES = (
    frozenset(
        "AWS::EC2::" + t
        for t in [
            "VPC",
            "Subnet",
            "RouteTable",
            "Route",
            "SubnetRouteTableAssociation",
            "InternetGateway",
            "VPCGatewayAttachment",
            "EIP",
            "NatGateway",
            "SecurityGroup",
            "SecurityGroupIngress",
            "SecurityGroupEgress",
            "NetworkAcl",
            "NetworkAclEntry",
            "SubnetNetworkAclAssociation",
            "Instance",
            "LaunchTemplate",
            "PrefixList",
        ]
    )
    | frozenset(
        (
            "AWS::EC2::EIPAssociation",
            "AWS::RDS::DBSubnetGroup",
            "AWS::RDS::DBInstance",
            *(
                f"AWS::IAM::{t}"
                for t in [
                    "Role",
                    "InstanceProfile",
                    "Policy",
                    "ManagedPolicy",
                    "RolePolicy",
                    "UserPolicy",
                    "GroupPolicy",
                    "User",
                    "Group",
                ]
            ),
            RESTRICT_TYPE,
        )
    )
    | ingest_balancing.READ_TYPES
)


@record
class Ingested:
    architecture: Architecture
    aliases: dict[Path, Path]
    ignored: tuple[str, ...]
    """Resource types in the template that awsarch does not read (sorted, once each)."""


def ingest(doc: Document, *, parameters: Mapping[str, str], region: str, stack: str) -> Ingested:
    """The architecture a template describes, with where each of its attributes was written."""
    resources = _resources(doc)
    values = parameter_values(doc, parameters, region=region, stack=stack)
    reading: Reading
    resolver = Resolver(
        doc,
        parameters=values,
        refs=lambda lid: _ref(reading, lid),
        attributes=lambda lid, attr, path: _attribute(reading, lid, attr),
        region=region,
    )
    reading = Reading(doc=doc, resolver=resolver, resources=_existing(doc, resolver, resources))
    arch = _architecture(reading, stack=stack, region=region)
    ignored = sorted({str(r.get("Type")) for r in reading.resources.values()} - READ_TYPES)
    return Ingested(architecture=arch, aliases=reading.aliases, ignored=tuple(ignored))


def _resources(doc: Document) -> dict[str, dict[str, Any]]:
    data = doc.data if isinstance(doc.data, dict) else {}
    resources = data.get("Resources")
    if not isinstance(resources, dict) or not resources:
        raise doc.error((), "no Resources in the template — is this a CloudFormation template?")
    for lid, resource in resources.items():
        if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
            raise doc.error(("Resources", lid), f"resource {lid} has no Type — add `Type: AWS::…`")
    return resources


def _existing(
    doc: Document, resolver: Resolver, resources: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """The resources whose Condition holds; one whose condition is unknown is an error."""
    found = {}
    for lid, resource in resources.items():
        name = resource.get("Condition")
        holds = True if name is None else resolver.condition(name, ("Resources", lid, "Condition"))
        if isinstance(holds, Unknown):
            raise doc.error(
                ("Resources", lid, "Condition"),
                f"whether {lid} exists depends on {name}, which cannot be decided offline"
                f" ({holds.why}) — pass --parameter",
            )
        if holds:
            found[lid] = resource
    return found


def _ref(r: Reading, lid: str) -> Any:
    kind = r.type_of(lid)
    if kind.startswith("AWS::IAM::") and kind != "AWS::IAM::ManagedPolicy":
        # Ref gives an IAM resource's name (a managed policy's: its ARN)
        return iam_name(lid, kind, r.props(lid))
    return r.id(lid)


_SAME = {"GroupId", "VpcId", "SubnetId", "AllocationId", "LaunchTemplateId", "Id"}


def _attribute(r: Reading, lid: str, attribute: str) -> Any:
    """Fn::GetAtt: what the model can know before deploy; anything else is Unknown."""
    kind = r.type_of(lid)
    if kind == "AWS::EC2::VPC":
        special = {
            "DefaultSecurityGroup": implicit_id(r.id(lid), DEFAULT_GROUP),
            "DefaultNetworkAcl": implicit_id(r.id(lid), DEFAULT_ACL),
        }
        if attribute in special:
            return special[attribute]
    if attribute in ("CidrBlock", "AvailabilityZone") or (
        attribute == "VpcId" and kind != "AWS::EC2::VPC"
    ):
        return r.props(lid).get(attribute, Unknown(f"{lid} does not set {attribute}"))
    if attribute in _SAME:
        return r.id(lid)
    if kind == "AWS::IAM::InstanceProfile" and attribute == "Arn":
        return iam_name(lid, kind, r.props(lid))
    if kind == "AWS::RDS::DBInstance" and attribute == "MasterUserSecret.SecretArn":
        return secret_of(ingest_compute.database_name_of(r, lid))
    return Unknown(f"{lid}.{attribute} is known only once deployed")


def _architecture(r: Reading, *, stack: str, region: str) -> Architecture:
    vpcs = ingest_network.vpcs(r)
    subnets = ingest_network.subnets(r)
    gateways = ingest_network.internet_gateways(r)
    profiles, profile_names = ingest_iam.instance_profiles(r)
    scaling = ingest_balancing.scaling_groups(r)
    instances = [
        *ingest_compute.instances(r, subnets, profile_names),
        *ingest_balancing.members(r, scaling, subnets, profile_names),
    ]
    role_groups = {
        p.role_name: i.group for p in profiles for i in instances if i.instance_profile == p.name
    }
    public = frozenset(g.vpc_id for g in gateways if g.vpc_id)
    subnet_groups = ingest_compute.db_subnet_groups(r)
    vpc_of = {s.id: s.vpc_id for s in subnets}
    databases = ingest_compute.databases(r, subnet_groups, public, vpc_of)
    groups = ingest_security.security_groups(r, vpcs)
    _point_database_groups(r, databases)
    return Architecture(
        stack=stack,
        region=region,
        vpcs=tuple(vpcs),
        subnets=tuple(subnets),
        route_tables=tuple(ingest_network.route_tables(r, vpcs)),
        internet_gateways=tuple(gateways),
        elastic_ips=tuple(ingest_network.elastic_ips(r)),
        nat_gateways=tuple(ingest_network.nat_gateways(r)),
        network_acls=_network_acls(r, vpcs, subnets),
        prefix_lists=tuple(ingest_security.prefix_lists(r)),
        security_groups=tuple(groups),
        instances=tuple(instances),
        db_subnet_groups=tuple(subnet_groups),
        databases=tuple(databases),
        target_groups=tuple(ingest_balancing.target_groups(r, scaling, instances)),
        load_balancers=tuple(ingest_balancing.load_balancers(r, subnets)),
        auto_scaling_groups=tuple(scaling),
        roles=tuple(ingest_iam.roles(r, role_groups)),
        instance_profiles=tuple(profiles),
        users=tuple(ingest_iam.users(r)),
        groups=tuple(ingest_iam.groups(r)),
        origins=tuple(r.origins),
    )


def _network_acls(r: Reading, vpcs: list[Vpc], subnets: list[Subnet]) -> tuple[NetworkAcl, ...]:
    """A subnet no ACL of the template is associated with is with its VPC's default ACL
    (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html)."""
    custom = ingest_security.network_acls(r)
    taken = {s for acl in custom for s in acl.subnet_ids}
    defaults = [
        dataclasses.replace(
            acl,
            subnet_ids=tuple(s.id for s in subnets if s.vpc_id == acl.vpc_id and s.id not in taken),
        )
        for acl in ingest_network.default_acls(r, vpcs)
    ]
    return (*defaults, *custom)


def _point_database_groups(r: Reading, databases: list[Any]) -> None:
    """A database's address-range finding points at the rule that admits the range: the
    standalone ingress resource or the group's inline rule."""
    for db in databases:
        at = ("Resources", r.logical(db.id), "allow_cidrs")
        for lid, p in r.of_type("AWS::EC2::SecurityGroupIngress"):
            if p.get("GroupId") in db.security_group_ids and "SourceSecurityGroupId" not in p:
                r.alias(db.id, "allow_cidrs", "VPCSecurityGroups")
                prop = next((k for k in ("CidrIp", "CidrIpv6") if k in p), "GroupId")
                r.aliases[at] = r.path(lid, prop)
                break
        else:
            for group_id in db.security_group_ids:
                rules = (
                    r.props(group_id).get("SecurityGroupIngress")
                    if r.logical(group_id) in r.resources
                    else None
                )
                for i, rule in enumerate(rules or ()):
                    if isinstance(rule, dict) and "SourceSecurityGroupId" not in rule:
                        r.aliases[at] = r.path(group_id, "SecurityGroupIngress", i)
                        break
