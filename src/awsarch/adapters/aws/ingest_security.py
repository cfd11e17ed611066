"""Pure ingest of the rule sets: security groups and network ACLs.

Protocols become tcp/udp/icmp/all (`-1` → all; ICMPv6 counts as icmp). An entry for any other IP
protocol (GRE, ESP…) can never match a tcp/udp/icmp flow, so it is left out of the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from awsarch.adapters.aws.raw import Raw, items, name_of, sorted_items
from awsarch.model import (
    AclEntry,
    NetworkAcl,
    Peer,
    PortRange,
    PrefixList,
    Protocol,
    SecurityGroup,
    SecurityGroupRule,
)

PROTOCOLS: dict[str, Protocol] = {
    "-1": "all",
    "all": "all",
    "6": "tcp",
    "tcp": "tcp",
    "17": "udp",
    "udp": "udp",
    "1": "icmp",
    "icmp": "icmp",
    "58": "icmp",
    "icmpv6": "icmp",
}
DEFAULT_DENY_RULE = 32767
"""The `*` entry: AWS lists it, the emulator omits it on custom ACLs; the model's implicit deny."""


def protocol_of(value: object) -> Protocol | None:
    """`-1`, `6`, `tcp`… → the model's protocol; None for protocols the model does not track."""
    return PROTOCOLS.get(str(value).lower())


def _ports(protocol: Protocol, first: object, last: object) -> PortRange:
    """Ports matter for tcp and udp; missing or -1 bounds mean every port. For ICMP a security
    group rule's FromPort is the type and ToPort the code (-1: any)
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html)."""
    if protocol == "icmp":
        return PortRange.icmp(_number(first), _number(last))
    if protocol not in ("tcp", "udp") or first in (None, -1) or last in (None, -1):
        return PortRange.every()
    return PortRange(first=int(str(first)), last=int(str(last)))


def _number(value: object) -> int:
    return -1 if value is None else int(str(value))


# ---- network ACLs ---------------------------------------------------------------------------
def network_acl(item: Raw) -> NetworkAcl:
    """An ACL with its numbered entries (the final `*` deny is implicit in the model)."""
    entries = (acl_entry(e) for e in items(item, "Entries"))
    return NetworkAcl(
        id=str(item["NetworkAclId"]),
        name=name_of(item, str(item["NetworkAclId"])),
        vpc_id=str(item.get("VpcId", "")),
        entries=tuple(sorted((e for e in entries if e is not None), key=_entry_order)),
        subnet_ids=tuple(
            sorted(str(a["SubnetId"]) for a in items(item, "Associations") if a.get("SubnetId"))
        ),
        is_default=bool(item.get("IsDefault", False)),
    )


def _entry_order(entry: AclEntry) -> tuple[bool, int]:
    return (entry.egress, entry.rule_number)


def acl_entry(item: Raw) -> AclEntry | None:
    """One entry; None for the `*` default deny and for protocols the model does not track."""
    protocol = protocol_of(item.get("Protocol", "-1"))
    number = int(item.get("RuleNumber", DEFAULT_DENY_RULE))
    if protocol is None or number >= DEFAULT_DENY_RULE:
        return None
    port_range = item.get("PortRange") or {}
    icmp = item.get("IcmpTypeCode") or {}
    ports = (
        PortRange.icmp(_number(icmp.get("Type")), _number(icmp.get("Code")))
        if protocol == "icmp"
        else _ports(protocol, port_range.get("From"), port_range.get("To"))
    )
    return AclEntry(
        rule_number=number,
        egress=bool(item.get("Egress", False)),
        protocol=protocol,
        ports=ports,
        cidr=str(item.get("CidrBlock") or item.get("Ipv6CidrBlock") or ""),
        allow=item.get("RuleAction") == "allow",
    )


# ---- security groups ------------------------------------------------------------------------
def security_group(item: Raw, prefix_lists: Mapping[str, Any] | None = None) -> SecurityGroup:
    """A group with one model rule per (permission, peer): CIDR, IPv6 CIDR, group, prefix list."""
    group_id = str(item["GroupId"])
    group_name = str(item.get("GroupName", group_id))
    return SecurityGroup(
        id=group_id,
        name=name_of(item, group_name),
        vpc_id=str(item.get("VpcId", "")),
        description=str(item.get("Description", "")),
        ingress=sg_rules(items(item, "IpPermissions"), prefix_lists),
        egress=sg_rules(items(item, "IpPermissionsEgress"), prefix_lists),
        is_default=group_name == "default",
    )


def sg_rules(
    permissions: list[Raw], prefix_lists: Mapping[str, Any] | None = None
) -> tuple[SecurityGroupRule, ...]:
    """Every (permission, peer) pair of an IpPermissions list as a model rule; a prefix list's
    CIDRs from `prefix_lists` (id → its entries' CIDRs, as discovery read them)."""
    rules: list[SecurityGroupRule] = []
    for permission in permissions:
        protocol = protocol_of(permission.get("IpProtocol", "-1"))
        if protocol is None:
            continue
        ports = _ports(protocol, permission.get("FromPort"), permission.get("ToPort"))
        rules += [
            SecurityGroupRule(protocol=protocol, ports=ports, peer=peer, description=text)
            for peer, text in _peers(permission, prefix_lists or {})
        ]
    return tuple(rules)


def _peers(permission: Raw, prefix_lists: Mapping[str, Any]) -> list[tuple[Peer, str]]:
    found = [(Peer.cidr(str(r["CidrIp"])), r) for r in items(permission, "IpRanges")]
    found += [(Peer.cidr(str(r["CidrIpv6"])), r) for r in items(permission, "Ipv6Ranges")]
    found += [(Peer.group(str(r["GroupId"])), r) for r in items(permission, "UserIdGroupPairs")]
    found += [
        (_prefix_list(str(r["PrefixListId"]), prefix_lists), r)
        for r in items(permission, "PrefixListIds")
    ]
    return [(peer, str(entry.get("Description", ""))) for peer, entry in found]


def _prefix_list(list_id: str, prefix_lists: Mapping[str, Any]) -> Peer:
    read = prefix_lists.get(list_id)
    entries = None if read is None else tuple(sorted(str(cidr) for cidr in read))
    return Peer(kind="prefix-list", value=list_id, entries=entries)


# ---- managed prefix lists -------------------------------------------------------------------
AWS_OWNER = "AWS"
"""DescribeManagedPrefixLists gives AWS-managed lists the owner `AWS`
(https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html)."""
GONE_PREFIX_LIST_STATES = ("delete-in-progress", "delete-complete", "delete-failed")


def _live_lists(ec2: Raw) -> list[Any]:
    return [
        item
        for item in sorted_items(ec2, "PrefixLists", "PrefixListId")
        if item.get("State") not in GONE_PREFIX_LIST_STATES
    ]


def customer_prefix_lists(ec2: Raw) -> tuple[PrefixList, ...]:
    """Customer-managed lists, with their entries where discovery read them."""
    entries = ec2.get("PrefixListEntries") or {}
    return tuple(
        PrefixList(
            id=str(item["PrefixListId"]),
            name=name_of(item, str(item.get("PrefixListName", item["PrefixListId"]))),
            cidrs=tuple(sorted(str(c) for c in entries.get(item["PrefixListId"], ()))),
            max_entries=int(item.get("MaxEntries") or 0),
        )
        for item in _live_lists(ec2)
        if item.get("OwnerId") != AWS_OWNER
    )


def aws_prefix_lists(ec2: Raw) -> tuple[tuple[str, str], ...]:
    """(id, name) of every AWS-managed list of the region."""
    return tuple(
        (str(item["PrefixListId"]), str(item.get("PrefixListName", "")))
        for item in _live_lists(ec2)
        if item.get("OwnerId") == AWS_OWNER
    )
