"""Security groups and their rules.

A rule's peer is a CIDR, another security group (symbolic membership: any network interface in
that group, now or later) or a managed prefix list.
"""

from __future__ import annotations

from typing import Literal

from awsarch.model.network import PortRange, Protocol
from awsarch.record import record

PeerKind = Literal["cidr", "group", "prefix-list", "unresolved"]
"""`unresolved`: a template's value that cannot be known offline; the proofs say `unknown`."""


@record
class Peer:
    """Who a security group rule admits: a CIDR, another group, or a prefix list."""

    kind: PeerKind
    value: str
    """A CIDR (`0.0.0.0/0`), a security group id or a prefix list id."""
    entries: tuple[str, ...] | None = None
    """A prefix list's CIDRs as read from the account; None when they could not be read (or,
    in a blueprint, before deploy): the proofs then say `unknown` rather than guess."""

    @classmethod
    def cidr(cls, cidr: str) -> Peer:
        return cls(kind="cidr", value=cidr)

    @classmethod
    def group(cls, group_id: str) -> Peer:
        return cls(kind="group", value=group_id)


@record
class SecurityGroupRule:
    """One rule of a security group: protocol, ports and peer."""

    protocol: Protocol
    ports: PortRange
    peer: Peer
    description: str = ""


@record
class SecurityGroup:
    """A security group: stateful, its rules only allow."""

    id: str
    name: str
    vpc_id: str
    description: str = ""
    ingress: tuple[SecurityGroupRule, ...] = ()
    egress: tuple[SecurityGroupRule, ...] = ()
    is_default: bool = False


@record
class PrefixList:
    """A customer-managed prefix list: a named set of CIDRs that security group rules can name
    as one peer (https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html)."""

    id: str
    name: str
    cidrs: tuple[str, ...] = ()
    """Its entries, sorted."""
    max_entries: int = 0
    """What AWS reserves for it: each rule naming the list counts this many against the group's
    rule quota."""


ALLOW_ALL_EGRESS = (
    SecurityGroupRule(protocol="all", ports=PortRange.every(), peer=Peer.cidr("0.0.0.0/0")),
)
"""The egress rule AWS gives every new security group."""
