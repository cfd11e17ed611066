"""An index over one architecture for proofs: address atoms, route lookup, ACLs and groups.

Addresses are split into atoms: maximal ranges on which every CIDR in the architecture (VPC,
subnets, routes, ACL entries, security group rules and the prefix lists they name) agrees, so one
evaluation per atom is exact for every address in it. A typical architecture has a handful of atoms.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from awsarch.analysis.sets import (
    ADDRESS_MAX,
    Interval,
    IntervalSet,
    addresses,
    parse_cidr,
    public_addresses,
)
from awsarch.model import AclEntry, Architecture, NetworkAcl, Route, RouteTable, SecurityGroup
from awsarch.record import record

T = TypeVar("T")


@record
class RouteChoice:
    """The route the longest-prefix match picked for an atom, and the table it came from."""

    table: RouteTable | None
    route: Route | None
    implicit_local: bool = False


def contains(cidr: str, atom: Interval) -> bool:
    """The CIDR covers the atom (atoms never straddle a CIDR boundary)."""
    span = parse_cidr(cidr)
    return span is not None and span[0] <= atom[0] and atom[1] <= span[1]


@dataclass(frozen=True)
class Network:
    """Lookups a proof makes many times, computed once per architecture."""

    arch: Architecture

    @cached_property
    def _memo(self) -> dict[tuple[object, ...], Any]:
        return {}

    def remember(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """The value of `compute()` for `key`, computed once per architecture.

        Proofs ask the same question (one ACL, one atom, the same traffic) for many placement
        pairs; every answer here is a pure function of the architecture and the key.
        """
        memo = self._memo
        try:
            found: T = memo[key]
        except KeyError:
            found = memo[key] = compute()
        return found

    @cached_property
    def vpc_addresses(self) -> IntervalSet:
        return addresses(*(c for v in self.arch.vpcs for c in (v.cidr, *v.ipv6_cidrs)))

    @cached_property
    def internet(self) -> IntervalSet:
        """The internet: every public IPv4 and IPv6 address outside the architecture's VPCs (a
        rule open to 10.0.0.0/8 admits no one from the internet)."""
        return public_addresses() - self.vpc_addresses

    @cached_property
    def _cuts(self) -> list[int]:
        cidrs = [c for v in self.arch.vpcs for c in (v.cidr, *v.ipv6_cidrs)]
        cidrs += [c for s in self.arch.subnets for c in (s.cidr, s.ipv6_cidr)]
        cidrs += [r.destination for t in self.arch.route_tables for r in t.routes]
        cidrs += [e.cidr for a in self.arch.network_acls for e in a.entries]
        for group in self.arch.security_groups:
            cidrs += [r.peer.value for r in group.ingress + group.egress if r.peer.kind == "cidr"]
            cidrs += [
                cidr
                for r in group.ingress + group.egress
                if r.peer.kind == "prefix-list"
                for cidr in r.peer.entries or ()
            ]
        points = {0}
        for span in map(parse_cidr, cidrs):
            if span is not None:
                points.update((span[0], span[1] + 1))
        return sorted(p for p in points if p <= ADDRESS_MAX)

    def atoms(self, addrs: IntervalSet) -> list[Interval]:
        """Split a set of addresses into atoms on which every CIDR here agrees."""
        cuts = self._cuts
        found: list[Interval] = []
        for first, last in addrs.intervals:
            start = first
            index = bisect.bisect_right(cuts, start)
            while index < len(cuts) and cuts[index] <= last:
                found.append((start, cuts[index] - 1))
                start = cuts[index]
                index += 1
            found.append((start, last))
        return found

    def subnet_addresses(self, subnet_id: str, *, ipv6: bool = False) -> IntervalSet:
        """The subnet's IPv4 block, and its IPv6 block when asked for interfaces that have an
        IPv6 address."""
        subnet = self.arch.subnet(subnet_id)
        return addresses(subnet.cidr, subnet.ipv6_cidr if ipv6 else "")

    def subnet_atoms(self, subnet_id: str, *, ipv6: bool = False) -> list[Interval]:
        """The atoms of one subnet (the caller must not change the list)."""
        return self.remember(
            ("subnet-atoms", subnet_id, ipv6),
            lambda: self.atoms(self.subnet_addresses(subnet_id, ipv6=ipv6)),
        )

    @cached_property
    def internet_atoms(self) -> list[Interval]:
        return self.atoms(self.internet)

    def vpc_cidrs_of(self, subnet_id: str) -> tuple[str, ...]:
        """The blocks of the subnet's VPC, IPv4 and IPv6: each has a `local` route."""
        vpc_id = self.arch.subnet(subnet_id).vpc_id
        vpc = next((v for v in self.arch.vpcs if v.id == vpc_id), None)
        return () if vpc is None else tuple(c for c in (vpc.cidr, *vpc.ipv6_cidrs) if c)

    def route(self, subnet_id: str, atom: Interval) -> RouteChoice:
        """Longest prefix match in the subnet's table, computed once per subnet and atom."""
        return self.remember(("route", subnet_id, atom), lambda: self._route(subnet_id, atom))

    def _route(self, subnet_id: str, atom: Interval) -> RouteChoice:
        """Longest prefix match in the subnet's table (explicit association, else main).

        Every route table has a `local` route for each of the VPC's CIDRs (IPv4 and IPv6) that
        cannot be removed; a more specific route wins over a less specific one
        (https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html).
        """
        table = self.arch.route_table_of(subnet_id)
        routes = list(table.routes) if table is not None else []
        local = {r.destination for r in routes if r.target == "local"}
        implicit = [c for c in self.vpc_cidrs_of(subnet_id) if c not in local]
        routes += [Route(destination=c, target="local") for c in implicit]
        matching = [r for r in routes if contains(r.destination, atom)]
        if not matching:
            return RouteChoice(table=table, route=None)
        best = max(matching, key=_prefix_length)
        return RouteChoice(
            table=table,
            route=best,
            implicit_local=best.target == "local" and best.destination in implicit,
        )

    def acl(self, subnet_id: str) -> NetworkAcl | None:
        return self.remember(("acl", subnet_id), lambda: self.arch.network_acl_of(subnet_id))

    def acl_entries(self, acl: NetworkAcl, *, egress: bool) -> list[AclEntry]:
        """One direction's entries, lowest rule number first (the order AWS evaluates them)."""
        return sorted((e for e in acl.entries if e.egress == egress), key=lambda e: e.rule_number)

    def group(self, group_id: str) -> SecurityGroup | None:
        return self.remember(("group", group_id), lambda: self._group(group_id))

    def _group(self, group_id: str) -> SecurityGroup | None:
        found = self.arch.find(group_id)
        return found if isinstance(found, SecurityGroup) else None

    def attached(self, igw_id: str) -> bool:
        return igw_id in self.arch.attached_internet_gateway_ids()


def _prefix_length(route: Route) -> int:
    """Longer prefixes are smaller blocks (the routes that match one atom share its family)."""
    span = parse_cidr(route.destination)
    return 0 if span is None else -(span[1] - span[0])
