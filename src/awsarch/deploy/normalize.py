"""Make a desired and a discovered resource comparable.

A discovered resource refers to others by AWS ids (`subnet-0abc`); a desired one by logical ids
(`subnet/public-a`). Translating every owned AWS id (and each database's secret ARN) to its
logical id, then dropping what cannot be known before deploy, lets plain equality find drift.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from awsarch.deploy.launch_template import LaunchTemplate
from awsarch.model import (
    AclEntry,
    Architecture,
    AutoScalingGroup,
    Database,
    ElasticIp,
    Instance,
    LoadBalancer,
    NatGateway,
    NetworkAcl,
    Role,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    TargetGroup,
)

IMPLICIT_DENY_RULE = 32767
"""AWS's final `*` entry of every network ACL, which the emulator sometimes omits."""


def id_translation(observed: Architecture) -> dict[str, str]:
    """AWS id → logical id for every resource the stack owns, plus database secret ARNs and
    the names of AWS-managed prefix lists (a blueprint names those by name, never by id)."""
    table = {**dict(observed.aws_prefix_lists), **dict(observed.logical_ids)}
    for db in observed.databases:
        logical = table.get(db.id)
        if db.master_secret_arn and logical:
            table[db.master_secret_arn] = "secret-of:" + logical
    return table


def translate(value: Any, table: dict[str, str]) -> Any:
    """Replace every owned AWS id inside a resource (deeply) by its logical id."""
    if isinstance(value, str):
        return table.get(value, value)
    if isinstance(value, tuple):
        return tuple(translate(v, table) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: translate(getattr(value, f.name), table) for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    return value


def comparable_pair(desired: Any, live: Any) -> tuple[Any, Any]:
    """Both sides made comparable; an image resolved through SSM is not compared (the latest
    AMI moves on; the instance keeps the one it was launched with)."""
    if isinstance(desired, Instance | LaunchTemplate) and desired.image.startswith("resolve:ssm:"):
        desired = dataclasses.replace(desired, image="")
        live = dataclasses.replace(live, image="")
    if isinstance(desired, Database) and version_matches(
        desired.engine_version, live.engine_version
    ):
        live = dataclasses.replace(live, engine_version=desired.engine_version)
    return comparable(desired), comparable(live)


def version_matches(asked: str, live: str) -> bool:
    """`8.0` (or `8`) asked matches `8.0.40` live: RDS creates the default minor version of the
    major version asked for, and reports the full version
    (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html)."""
    return live == asked or live.startswith(asked + ".")


def comparable(resource: Any) -> Any:
    """The resource with what is unknowable before deploy blanked and unordered parts sorted."""
    if isinstance(resource, Instance):
        # A blueprint creates no interface beyond the primary one: one attached by hand is the
        # estate's business (the proofs follow it), no drift to update or replace.
        return dataclasses.replace(
            resource, private_ip="", user_data="", platform="", secondary_interfaces=()
        )
    if isinstance(resource, Database):
        return dataclasses.replace(resource, master_secret_arn="")
    if isinstance(resource, NatGateway):
        return dataclasses.replace(resource, elastic_ip_id="")
    if isinstance(resource, ElasticIp):
        return dataclasses.replace(resource, name="")
    if isinstance(resource, SecurityGroup):
        return dataclasses.replace(
            resource,
            description="",
            ingress=_rules(resource.ingress),
            egress=_rules(resource.egress),
        )
    if isinstance(resource, RouteTable):
        routes = tuple(sorted(resource.routes, key=repr))
        return dataclasses.replace(
            resource, routes=routes, subnet_ids=tuple(sorted(resource.subnet_ids))
        )
    if isinstance(resource, NetworkAcl):
        # Every subnet of the VPC starts in its default ACL: one the stack does not own (an id,
        # not a `subnet/…` logical id) is no drift of the stack's.
        subnets = (s for s in resource.subnet_ids if not resource.is_default or "/" in s)
        return dataclasses.replace(
            resource, entries=_acl_entries(resource.entries), subnet_ids=tuple(sorted(subnets))
        )
    if isinstance(resource, Role):
        return dataclasses.replace(resource, policies=tuple(sorted(resource.policies, key=repr)))
    return _balancing(resource)


def _balancing(resource: Any) -> Any:
    """Load balancers, target groups, Auto Scaling groups and launch templates: unordered parts
    sorted, what AWS assigns (the DNS name) blanked, user data not compared (discovery reads it
    only for `audit`)."""
    if isinstance(resource, LoadBalancer):
        return dataclasses.replace(
            resource,
            dns_name="",
            subnet_ids=tuple(sorted(resource.subnet_ids)),
            security_group_ids=tuple(sorted(resource.security_group_ids)),
            listeners=tuple(sorted(resource.listeners, key=lambda x: x.port)),
        )
    if isinstance(resource, TargetGroup):
        return dataclasses.replace(resource, target_ids=tuple(sorted(resource.target_ids)))
    if isinstance(resource, AutoScalingGroup):
        return dataclasses.replace(
            resource,
            subnet_ids=tuple(sorted(resource.subnet_ids)),
            target_group_ids=tuple(sorted(resource.target_group_ids)),
        )
    if isinstance(resource, LaunchTemplate):
        groups = tuple(sorted(resource.security_group_ids))
        return dataclasses.replace(resource, user_data="", security_group_ids=groups)
    return resource


def _rules(rules: tuple[SecurityGroupRule, ...]) -> tuple[SecurityGroupRule, ...]:
    return tuple(sorted((_bare(r) for r in rules), key=repr))


def _bare(rule: SecurityGroupRule) -> SecurityGroupRule:
    """A rule without its description, and a prefix list peer without its entries: the list
    itself (a resource of its own, or not the stack's) holds them, so a rule is the same rule
    whether or not they were read."""
    peer = dataclasses.replace(rule.peer, entries=None)
    return dataclasses.replace(rule, description="", peer=peer)


def _acl_entries(entries: tuple[AclEntry, ...]) -> tuple[AclEntry, ...]:
    kept = (e for e in entries if e.rule_number != IMPLICIT_DENY_RULE)
    return tuple(sorted(kept, key=lambda e: (e.egress, e.rule_number)))


def logical_view(observed: Architecture) -> Architecture:
    """The live model with every owned resource under its logical id, so the blueprint's names
    (`web`, `main`, `sg/db-main`) and intents apply to it unchanged."""
    table = id_translation(observed)
    parts = {
        f.name: translate(getattr(observed, f.name), table)
        for f in dataclasses.fields(observed)
        if f.name not in ("stack", "region", "origins", "logical_ids")
    }
    return dataclasses.replace(observed, logical_ids=(), **parts)
