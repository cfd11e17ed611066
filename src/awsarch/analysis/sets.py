"""Exact sets of ports and addresses: sorted, disjoint, inclusive integer intervals.

A proof is about sets, not about the rule that happened to be written: `0.0.0.0/1` plus
`128.0.0.0/1` is the whole IPv4 internet, and `3300-3310` contains 3306. Every operation keeps the
intervals sorted, disjoint and merged, so two equal sets always compare equal.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

from awsarch.model.network import PortRange, Protocol
from awsarch.record import record

Interval = tuple[int, int]
"""An inclusive range of integers (first, last)."""

PORT_MAX = 65535
ICMP_CODES = 256
PROTOCOLS: tuple[str, ...] = ("tcp", "udp", "icmp")
"""The protocols a proof tracks; a rule for protocol `all` (-1) covers all of them."""
EPHEMERAL = PortRange(first=1024, last=65535)
"""The client ports return traffic goes back to when the client is a NAT gateway, an internet
client, a load balancer, or an instance whose OS is not known
(https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html)."""
LINUX_EPHEMERAL = PortRange(first=32768, last=60999)
"""A Linux client's source ports (the kernel's ip_local_port_range)."""
WINDOWS_EPHEMERAL = PortRange(first=49152, last=65535)
"""A Windows Server client's source ports (since Windows Server 2008)."""


def _normalise(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    merged: list[Interval] = []
    for first, last in sorted(i for i in intervals if i[0] <= i[1]):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return tuple(merged)


@record
class IntervalSet:
    """A set of integers stored as sorted, disjoint, non-adjacent inclusive intervals."""

    intervals: tuple[Interval, ...] = ()

    @classmethod
    def of(cls, *intervals: Interval) -> IntervalSet:
        return cls(intervals=_normalise(intervals))

    @classmethod
    def empty(cls) -> IntervalSet:
        return cls()

    def is_empty(self) -> bool:
        return not self.intervals

    def __bool__(self) -> bool:
        return bool(self.intervals)

    def union(self, other: IntervalSet) -> IntervalSet:
        if not other.intervals or self.intervals == other.intervals:
            return self
        if not self.intervals:
            return other
        return IntervalSet(intervals=_normalise(self.intervals + other.intervals))

    def intersection(self, other: IntervalSet) -> IntervalSet:
        if not self.intervals or self.intervals == other.intervals:
            return self
        if not other.intervals:
            return other
        found: list[Interval] = []
        i = j = 0
        while i < len(self.intervals) and j < len(other.intervals):
            (a, b), (c, d) = self.intervals[i], other.intervals[j]
            if max(a, c) <= min(b, d):
                found.append((max(a, c), min(b, d)))
            if b < d:
                i += 1
            else:
                j += 1
        return IntervalSet(intervals=tuple(found))

    def difference(self, other: IntervalSet) -> IntervalSet:
        if not self.intervals or not other.intervals:
            return self
        found: list[Interval] = []
        for first, last in self.intervals:
            start = first
            for c, d in other.intervals:
                if d < start or c > last:
                    continue
                if c > start:
                    found.append((start, c - 1))
                start = max(start, d + 1)
            if start <= last:
                found.append((start, last))
        return IntervalSet(intervals=_normalise(found))

    def __or__(self, other: IntervalSet) -> IntervalSet:
        return self.union(other)

    def __and__(self, other: IntervalSet) -> IntervalSet:
        return self.intersection(other)

    def __sub__(self, other: IntervalSet) -> IntervalSet:
        return self.difference(other)

    def contains(self, value: int) -> bool:
        return any(first <= value <= last for first, last in self.intervals)

    def covers(self, other: IntervalSet) -> bool:
        """Every member of `other` is a member of this set."""
        return other.difference(self).is_empty()

    def size(self) -> int:
        return sum(last - first + 1 for first, last in self.intervals)


# ---- addresses ------------------------------------------------------------------------------
# IPv4 and IPv6 share one line of integers: IPv4 addresses are 0 to 2**32-1 and IPv6 addresses
# follow, shifted by IPV6_BASE. The families never overlap, so one interval set holds both, and
# an atom (see network.py) always lies in one family.
IPV6_BASE = 2**32
ADDRESS_MAX = IPV6_BASE + 2**128 - 1
Family = Literal["IPv4", "IPv6"]


@lru_cache(maxsize=4096)
def parse_cidr(cidr: str) -> Interval | None:
    """The inclusive address range of an IPv4 or IPv6 CIDR; None for anything unparsable (a
    prefix list id in a route's destination, an empty string)."""
    try:
        net = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return None
    base = 0 if net.version == 4 else IPV6_BASE
    return base + int(net.network_address), base + int(net.broadcast_address)


def family(first: int) -> Family:
    """The family of an address on the shared line."""
    return "IPv4" if first < IPV6_BASE else "IPv6"


def addresses(*cidrs: str) -> IntervalSet:
    """The set of addresses in these CIDRs (unparsable text is ignored)."""
    return IntervalSet.of(*(r for r in map(parse_cidr, cidrs) if r is not None))


def family_addresses(name: Family) -> IntervalSet:
    """Every address of one family."""
    return addresses("0.0.0.0/0" if name == "IPv4" else "::/0")


def every_address() -> IntervalSet:
    return IntervalSet.of((0, ADDRESS_MAX))


NOT_ON_THE_INTERNET = (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4",
)  # fmt: skip
"""IANA special-purpose blocks (RFC 6890: private, shared, loopback, link-local, multicast,
reserved) that no packet arriving from the internet through an internet gateway comes from."""
IPV6_INTERNET = "2000::/3"
"""IPv6 global unicast (RFC 4291): the only IPv6 addresses the internet sends from."""


def public_addresses() -> IntervalSet:
    """Every address the internet can send from: IPv4 but the special-purpose blocks, and IPv6
    global unicast."""
    return addresses("0.0.0.0/0", IPV6_INTERNET) - addresses(*NOT_ON_THE_INTERNET)


def to_cidrs(addrs: IntervalSet) -> list[str]:
    """The fewest CIDR blocks that cover exactly this address set (IPv4 first, then IPv6)."""
    found: list[str] = []
    for first, last in addrs.intervals:
        for low, high in _split_families(first, last):
            if low < IPV6_BASE:
                blocks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network] = (
                    ipaddress.summarize_address_range(
                        ipaddress.IPv4Address(low), ipaddress.IPv4Address(high)
                    )
                )
            else:
                blocks = ipaddress.summarize_address_range(
                    ipaddress.IPv6Address(low - IPV6_BASE), ipaddress.IPv6Address(high - IPV6_BASE)
                )
            found.extend(str(block) for block in blocks)
    return found


def _split_families(first: int, last: int) -> list[Interval]:
    if first < IPV6_BASE <= last:
        return [(first, IPV6_BASE - 1), (IPV6_BASE, last)]
    return [(first, last)]


# ---- ports per protocol ---------------------------------------------------------------------
_UNIVERSES = {p: IntervalSet.of((0, PORT_MAX)) for p in PROTOCOLS}
"""ICMP's "ports" are (type, code) pairs encoded type×256+code (PortRange.icmp): 0-65535 too."""


def _universe(protocol: str) -> IntervalSet:
    found = _UNIVERSES.get(protocol)
    return IntervalSet.of((0, PORT_MAX)) if found is None else found


def ports_text(protocol: str, ports: IntervalSet) -> str:
    """`tcp/443`, `tcp/80,443`, `tcp/3300-3310`, `udp/all`; ICMP as `icmp`, `icmp/8` (type 8,
    any code) or `icmp/3:4` (type 3, code 4)."""
    if ports == _universe(protocol):
        return "icmp" if protocol == "icmp" else f"{protocol}/all"
    if protocol == "icmp":
        return "icmp/" + ",".join(_icmp_parts(ports))
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in ports.intervals]
    return f"{protocol}/{','.join(parts)}"


def _icmp_parts(ports: IntervalSet) -> list[str]:
    """Whole types as `8` or `0-8`; the rest as `type:code` or `type:first-last`."""
    parts: list[str] = []
    for first, last in ports.intervals:
        while first <= last:
            icmp_type, code = divmod(first, ICMP_CODES)
            type_end = icmp_type * ICMP_CODES + ICMP_CODES - 1
            if code == 0 and last >= type_end:
                whole_last = (last + 1) // ICMP_CODES - 1
                parts.append(
                    str(icmp_type) if whole_last == icmp_type else f"{icmp_type}-{whole_last}"
                )
                first = (whole_last + 1) * ICMP_CODES
                continue
            end = min(last, type_end)
            codes = str(code) if end == first else f"{code}-{end % ICMP_CODES}"
            parts.append(f"{icmp_type}:{codes}")
            first = end + 1
    return parts


@record
class Services:
    """A set of (protocol, port) pairs: one port set per tracked protocol.

    ICMP has no ports; its "ports" are (type, code) pairs, encoded type×256+code.
    """

    tcp: IntervalSet = IntervalSet()
    udp: IntervalSet = IntervalSet()
    icmp: IntervalSet = IntervalSet()

    @classmethod
    def none(cls) -> Services:
        return _NONE

    @classmethod
    def every(cls) -> Services:
        return _EVERY

    @classmethod
    def of(cls, protocol: Protocol | str, ports: PortRange | None = None) -> Services:
        """The traffic a rule for (protocol, ports) matches; `all` ignores ports, as AWS does."""
        return _services_of(protocol, ports)

    def get(self, protocol: str) -> IntervalSet:
        found: IntervalSet = getattr(self, protocol)
        return found

    def __hash__(self) -> int:
        """Computed once: proofs look traffic sets up in caches many times."""
        found: int | None = self.__dict__.get("_hash")
        if found is None:
            found = hash((self.tcp.intervals, self.udp.intervals, self.icmp.intervals))
            object.__setattr__(self, "_hash", found)
        return found

    def union(self, other: Services) -> Services:
        if self is other or other is _NONE:
            return self
        return Services(
            tcp=self.tcp | other.tcp, udp=self.udp | other.udp, icmp=self.icmp | other.icmp
        )

    def intersection(self, other: Services) -> Services:
        if self is other or other is _EVERY:
            return self
        return Services(
            tcp=self.tcp & other.tcp, udp=self.udp & other.udp, icmp=self.icmp & other.icmp
        )

    def difference(self, other: Services) -> Services:
        if other is _NONE:
            return self
        return Services(
            tcp=self.tcp - other.tcp, udp=self.udp - other.udp, icmp=self.icmp - other.icmp
        )

    def __or__(self, other: Services) -> Services:
        return self.union(other)

    def __and__(self, other: Services) -> Services:
        return self.intersection(other)

    def __sub__(self, other: Services) -> Services:
        return self.difference(other)

    def is_empty(self) -> bool:
        return not (self.tcp.intervals or self.udp.intervals or self.icmp.intervals)

    def __bool__(self) -> bool:
        return not self.is_empty()

    def contains(self, protocol: str, port: int) -> bool:
        return protocol in PROTOCOLS and self.get(protocol).contains(port)

    def covers(self, other: Services) -> bool:
        return other.difference(self).is_empty()

    def protocols(self) -> tuple[str, ...]:
        return tuple(p for p in PROTOCOLS if self.get(p))

    def only(self, protocols: Iterable[str]) -> Services:
        """The part of this set on the given protocols."""
        keep = set(protocols)
        return Services(**{p: self.get(p) for p in PROTOCOLS if p in keep})

    def to_text(self) -> list[str]:
        """One entry per protocol, e.g. ["tcp/80,443"]; ["all"] for every protocol and port.

        Computed once per set: a matrix writes the same few sets in thousands of cells."""
        found: tuple[str, ...] | None = self.__dict__.get("_text")
        if found is None:
            if self == _EVERY:
                found = ("all",)
            else:
                found = tuple(ports_text(p, self.get(p)) for p in self.protocols())
            object.__setattr__(self, "_text", found)
        return list(found)

    def __str__(self) -> str:
        return " ".join(self.to_text()) or "nothing"


_NONE = Services()
_EVERY = Services(tcp=_universe("tcp"), udp=_universe("udp"), icmp=_universe("icmp"))


@lru_cache(maxsize=1024)
def _services_of(protocol: str, ports: PortRange | None) -> Services:
    if protocol == "all":
        return _EVERY
    if protocol not in PROTOCOLS:
        return _NONE
    universe = _universe(protocol)
    span = universe if ports is None else IntervalSet.of((ports.first, ports.last))
    return Services(**{protocol: span & universe})


ASKED_PROTOCOLS = ("tcp", "udp", "icmp", "all")
"""What a question about reachability may name: `reach --protocol`, `awsarch.reach(protocol=)`."""


def services_asked(protocol: str | None, port: int | None) -> Services | None:
    """The services a question names; None asks which of all get through. A port is tcp unless
    the protocol says otherwise; for icmp it is the type (any code)."""
    if port is None and protocol in (None, "all"):
        return None
    ports = None
    if port is not None:
        ports = PortRange.icmp(port) if protocol == "icmp" else PortRange.single(port)
    return Services.of(protocol or "tcp", ports)
