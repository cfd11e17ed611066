"""Security groups (inline and standalone rules) and network ACLs of a template.

A group declared without egress rules keeps AWS's allow-all egress; declaring any removes it
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html).
A VPC's default group admits its own members and lets everything out, unless the CDK's
`Custom::VpcRestrictDefaultSG` strips it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from awsarch.adapters.aws.ingest_security import protocol_of
from awsarch.cfn.intrinsics import Unknown
from awsarch.cfn.names import DEFAULT_GROUP, implicit_id
from awsarch.cfn.reading import Reading, number, strings
from awsarch.model import (
    ALLOW_ALL_EGRESS,
    AclEntry,
    NetworkAcl,
    Peer,
    PortRange,
    PrefixList,
    SecurityGroup,
    SecurityGroupRule,
    Vpc,
)
from awsarch.model.network import Protocol

EMPTIED = "The VPC's default group, left with no rules"
"""How a blueprint's model describes its emptied default group (blueprint/expand.py)."""
NO_EGRESS = SecurityGroupRule(
    protocol="all", ports=PortRange.every(), peer=Peer.cidr("127.0.0.1/32"), description="no egress"
)
"""The rule a template writes to take away AWS's allow-all egress and allow nothing: no packet
leaves an interface for the loopback range, so the model has no rule for it
(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html)."""
_PEERS = (
    ("CidrIp", "cidr"),
    ("CidrIpv6", "cidr"),
    ("SourceSecurityGroupId", "group"),
    ("DestinationSecurityGroupId", "group"),
    ("SourcePrefixListId", "prefix-list"),
    ("DestinationPrefixListId", "prefix-list"),
)


def security_groups(r: Reading, vpc_list: list[Vpc]) -> list[SecurityGroup]:
    standalone = _standalone(r)
    found = [_default_group(r, v, standalone) for v in vpc_list]
    for lid, p in r.of_type("AWS::EC2::SecurityGroup"):
        r.origin(r.id(lid), lid)
        ingress = _rules(r, lid, p.get("SecurityGroupIngress"), "SecurityGroupIngress")
        egress = [
            rule
            for rule in _rules(r, lid, p.get("SecurityGroupEgress"), "SecurityGroupEgress")
            if dataclasses.replace(rule, description=NO_EGRESS.description) != NO_EGRESS
        ]
        extra_in, extra_out = standalone.get(r.id(lid), ([], []))
        found.append(
            SecurityGroup(
                id=r.id(lid),
                name=r.name(lid),
                vpc_id=r.text(p.get("VpcId"), lid, "VpcId"),
                description=str(p.get("GroupDescription", "")),
                ingress=(*ingress, *extra_in),
                egress=(*(egress if "SecurityGroupEgress" in p else ALLOW_ALL_EGRESS), *extra_out),
            )
        )
    return found


def _default_group(
    r: Reading, vpc: Vpc, standalone: dict[str, tuple[list[SecurityGroupRule], ...]]
) -> SecurityGroup:
    group_id = implicit_id(vpc.id, DEFAULT_GROUP)
    restricted = any(
        p.get("DefaultSecurityGroupId") == group_id
        for _, p in r.of_type("Custom::VpcRestrictDefaultSG")
    )
    self_rule = SecurityGroupRule(
        protocol="all", ports=PortRange.every(), peer=Peer.group(group_id)
    )
    extra_in, extra_out = standalone.get(group_id, ([], []))
    first = next((lid for lid, _, _ in _standalone_ids(r) if lid[1] == group_id), None)
    r.origin(group_id, first[0] if first else vpc.id)
    return SecurityGroup(
        id=group_id,
        name=group_id.split("/", 1)[1] if "/" in group_id else f"{vpc.name} default",
        vpc_id=vpc.id,
        description=EMPTIED if restricted else "",
        is_default=True,
        ingress=(*(() if restricted else (self_rule,)), *extra_in),
        egress=(*(() if restricted else ALLOW_ALL_EGRESS), *extra_out),
    )


def _standalone_ids(r: Reading) -> list[tuple[tuple[str, str], bool, dict[str, Any]]]:
    found = []
    for egress, kind in (
        (False, "AWS::EC2::SecurityGroupIngress"),
        (True, "AWS::EC2::SecurityGroupEgress"),
    ):
        for lid, p in r.of_type(kind):
            found.append(((lid, r.text(p.get("GroupId"), lid, "GroupId")), egress, p))
    return found


def _standalone(r: Reading) -> dict[str, tuple[list[SecurityGroupRule], ...]]:
    """AWS::EC2::SecurityGroupIngress/Egress resources, by the group they add to."""
    found: dict[str, tuple[list[SecurityGroupRule], ...]] = {}
    for (lid, group), egress, p in _standalone_ids(r):
        rules = found.setdefault(group, ([], []))
        rule = _rule(r, lid, p, ())
        if rule is not None:
            rules[1 if egress else 0].append(rule)
    return found


def _rules(r: Reading, lid: str, value: Any, prop: str) -> list[SecurityGroupRule]:
    items = value if isinstance(value, list) else []
    rules = (
        _rule(r, lid, item, (prop, i)) for i, item in enumerate(items) if isinstance(item, dict)
    )
    return [rule for rule in rules if rule is not None]


def _rule(
    r: Reading, lid: str, p: dict[str, Any], where: tuple[str | int, ...]
) -> SecurityGroupRule | None:
    protocol = protocol_of(p.get("IpProtocol", "-1"))
    if protocol is None:
        return None
    return SecurityGroupRule(
        protocol=protocol,
        ports=_ports(protocol, p.get("FromPort"), p.get("ToPort")),
        peer=_peer(r, lid, p, where),
        description=str(p.get("Description", "")) if isinstance(p.get("Description"), str) else "",
    )


def _ports(protocol: Protocol, first: Any, last: Any) -> PortRange:
    """As the EC2 API: tcp/udp ports, ICMP type and code (-1 any), every port otherwise."""
    if protocol == "icmp":
        return PortRange.icmp(number(first, -1), number(last, -1))
    low, high = number(first, -1), number(last, -1)
    if protocol not in ("tcp", "udp") or low < 0 or high < 0:
        return PortRange.every()
    return PortRange(first=low, last=high)


def _peer(r: Reading, lid: str, p: dict[str, Any], where: tuple[str | int, ...]) -> Peer:
    for prop, kind in _PEERS:
        if prop not in p:
            continue
        value = p[prop]
        if isinstance(value, Unknown):
            return Peer(kind="unresolved", value=f"{prop} of {lid} ({value.why})")
        if kind == "prefix-list":
            return Peer(kind="prefix-list", value=str(value), entries=_entries(r, str(value)))
        return Peer(kind="group" if kind == "group" else "cidr", value=str(value))
    raise r.doc.error(
        r.path(lid, *where), "a rule needs CidrIp, CidrIpv6, a group id or a prefix list"
    )


def prefix_lists(r: Reading) -> list[PrefixList]:
    """The template's own prefix lists (IPv4 or IPv6 entries as written)."""
    found = []
    for lid, p in r.of_type("AWS::EC2::PrefixList"):
        r.origin(r.id(lid), lid)
        found.append(
            PrefixList(
                id=r.id(lid),
                name=r.name(lid),
                cidrs=_entries(r, r.id(lid)) or (),
                max_entries=number(p.get("MaxEntries"), 0),
            )
        )
    return found


def _entries(r: Reading, list_id: str) -> tuple[str, ...] | None:
    """A list of the template's own: its CIDRs, sorted (known before deploy, so the proofs are
    exact); any other list's entries are not known offline (None)."""
    if r.type_of(list_id) != "AWS::EC2::PrefixList":
        return None
    entries = r.props(list_id).get("Entries") or []
    cidrs = (e.get("Cidr") for e in entries if isinstance(e, dict))
    return tuple(sorted(c for c in cidrs if isinstance(c, str)))


def network_acls(r: Reading) -> list[NetworkAcl]:
    entries: dict[str, list[AclEntry]] = {}
    for lid, p in r.of_type("AWS::EC2::NetworkAclEntry"):
        entry = _acl_entry(r, lid, p)
        if entry is not None:
            entries.setdefault(str(p.get("NetworkAclId")), []).append(entry)
    members: dict[str, list[str]] = {}
    for _, p in r.of_type("AWS::EC2::SubnetNetworkAclAssociation"):
        members.setdefault(str(p.get("NetworkAclId")), []).extend(strings(p.get("SubnetId")))
    found = []
    for lid, p in r.of_type("AWS::EC2::NetworkAcl"):
        r.origin(r.id(lid), lid)
        ordered = sorted(entries.get(r.id(lid), ()), key=lambda e: (e.egress, e.rule_number))
        found.append(
            NetworkAcl(
                id=r.id(lid),
                name=r.name(lid),
                vpc_id=r.text(p.get("VpcId"), lid, "VpcId"),
                entries=tuple(ordered),
                subnet_ids=tuple(members.get(r.id(lid), ())),
            )
        )
    return found


def _acl_entry(r: Reading, lid: str, p: dict[str, Any]) -> AclEntry | None:
    """One entry; its CIDR must be known (an ACL's first match cannot be half-known)."""
    protocol = protocol_of(p.get("Protocol", "-1"))
    key = "CidrBlock" if "CidrBlock" in p else "Ipv6CidrBlock"
    cidr = r.text(p.get(key), lid, key)
    if protocol is None or not cidr:
        return None
    if protocol == "icmp":
        icmp = p.get("Icmp") or {}
        ports = PortRange.icmp(number(icmp.get("Type"), -1), number(icmp.get("Code"), -1))
    else:
        span = p.get("PortRange") or {}
        ports = _ports(protocol, span.get("From"), span.get("To"))
    return AclEntry(
        rule_number=number(p.get("RuleNumber"), 32767),
        egress=p.get("Egress") in (True, "true", "True"),
        protocol=protocol,
        ports=ports,
        cidr=cidr,
        allow=str(p.get("RuleAction", "")).lower() == "allow",
    )
