"""The network half of the model: VPC, subnets, routing, gateways and network ACLs.

Every class is a frozen, keyword-only dataclass. `id` is the resource's identity: a logical id
(`subnet/public-a`) for a blueprint's model, the AWS id (`subnet-0abc…`) for a discovered one.
`name` is the logical name people read (the `awsarch:name` tag when the resource is ours).
"""

from __future__ import annotations

from dataclasses import field
from typing import Literal

from awsarch.record import record

RouteTarget = Literal[
    "local",
    "internet-gateway",
    "egress-only-gateway",
    "nat-gateway",
    "peering",
    "blackhole",
    "other",
]
Protocol = Literal["tcp", "udp", "icmp", "all"]
SubnetKind = Literal["public", "private", "isolated", ""]


@record
class Vpc:
    """A VPC: the address space every subnet of the stack is cut from."""

    id: str
    name: str
    cidr: str
    dns_hostnames: bool = True
    dns_support: bool = True
    ipv6_cidrs: tuple[str, ...] = ()
    """The VPC's associated IPv6 blocks (globally unique, so public by nature)."""


@record
class Subnet:
    """A subnet in one AZ: its tier, CIDR, route table and network ACL."""

    id: str
    name: str
    vpc_id: str
    cidr: str
    az: str
    tier: str = ""
    """The blueprint tier this subnet belongs to ("" when unknown, e.g. discovered and untagged)."""
    kind: SubnetKind = ""
    """public, private or isolated as the blueprint meant it ("" when unknown)."""
    map_public_ip: bool = False
    ipv6_cidr: str = ""
    """The subnet's IPv6 block ("" for an IPv4-only subnet)."""
    assign_ipv6: bool = False
    """New interfaces get an IPv6 address (AssignIpv6AddressOnCreation)."""


@record
class Route:
    """One route of a route table: a destination and where it sends traffic."""

    destination: str
    target: RouteTarget
    target_id: str = ""


@record
class RouteTable:
    """A route table and the routes that decide a subnet's next hop."""

    id: str
    name: str
    vpc_id: str
    routes: tuple[Route, ...]
    subnet_ids: tuple[str, ...] = ()
    """Subnets explicitly associated with this table."""
    is_main: bool = False


@record
class InternetGateway:
    """The VPC's way to and from the internet."""

    id: str
    name: str
    vpc_id: str = ""
    """The VPC it is attached to; "" when detached."""


@record
class VpcPeering:
    """A VPC peering connection: it carries traffic only between the two VPCs' own addresses
    (no transitive or edge-to-edge routing), and only while `active`
    (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html)."""

    id: str
    name: str
    requester_vpc_id: str
    accepter_vpc_id: str
    requester_cidrs: tuple[str, ...] = ()
    """The requester VPC's blocks the peering carries (IPv4 and IPv6)."""
    accepter_cidrs: tuple[str, ...] = ()
    active: bool = True
    status: str = ""
    """AWS's status code (`pending-acceptance`, `rejected`, `deleted`…), said when not active."""


@record
class ElasticIp:
    """An Elastic IP address of the stack (a NAT gateway's): a resource of its own, so a run
    interrupted between deleting the NAT gateway and releasing it still releases it."""

    id: str
    name: str


@record
class NatGateway:
    """A NAT gateway: private subnets reach out through it, nothing reaches in."""

    id: str
    name: str
    subnet_id: str
    has_public_ip: bool = True
    """An Elastic IP is allocated to it (decided from the allocation, never the address value)."""
    elastic_ip_id: str = ""


ICMP_CODES = 256
"""ICMP codes per type (0-255)."""


@record
class PortRange:
    """Ports `first` to `last`, both included (for ICMP, type and code encoded as below)."""

    first: int
    last: int

    @classmethod
    def single(cls, port: int) -> PortRange:
        return cls(first=port, last=port)

    @classmethod
    def every(cls) -> PortRange:
        return cls(first=0, last=65535)

    @classmethod
    def icmp(cls, icmp_type: int = -1, code: int = -1) -> PortRange:
        """For ICMP the "ports" are (type, code) pairs, encoded type×256+code, so that type 8 of
        any code is 2048-2303 and type 3 code 4 is 772; -1 means any, as in AWS's rules."""
        if icmp_type < 0:
            return cls.every()
        if code < 0:
            return cls(first=icmp_type * ICMP_CODES, last=icmp_type * ICMP_CODES + ICMP_CODES - 1)
        return cls.single(icmp_type * ICMP_CODES + code)

    def icmp_type_code(self) -> tuple[int, int]:
        """An ICMP range back as AWS writes it: (type, code), -1 for any."""
        if self == PortRange.every():
            return (-1, -1)
        icmp_type, code = divmod(self.first, ICMP_CODES)
        if code == 0 and self.last == self.first + ICMP_CODES - 1:
            return (icmp_type, -1)
        return (icmp_type, code)

    def __str__(self) -> str:
        if self.first == 0 and self.last == 65535:
            return "all"
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


@record
class AclEntry:
    """One numbered rule of a network ACL, in one direction."""

    rule_number: int
    egress: bool
    protocol: Protocol
    ports: PortRange
    cidr: str
    allow: bool


@record
class NetworkAcl:
    """A network ACL: stateless, its rules applied in number order."""

    id: str
    name: str
    vpc_id: str
    entries: tuple[AclEntry, ...] = field(default_factory=tuple)
    subnet_ids: tuple[str, ...] = ()
    is_default: bool = False


def allow_all_acl_entries() -> tuple[AclEntry, ...]:
    """The entries of a VPC's default network ACL: allow everything both ways (rule 100)."""
    return tuple(
        AclEntry(
            rule_number=100,
            egress=egress,
            protocol="all",
            ports=PortRange.every(),
            cidr="0.0.0.0/0",
            allow=True,
        )
        for egress in (False, True)
    )
