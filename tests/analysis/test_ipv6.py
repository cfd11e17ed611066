"""IPv6 end to end on the blueprint model: blocks, addresses, `::/0` routes to an internet
gateway or an egress-only one, IPv6 rules in groups and ACLs, and an `internet` endpoint that
covers both families and says which reached."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsarch.analysis import Services, matrix, reach
from awsarch.analysis.matrix import Matrix
from awsarch.analysis.sets import addresses, family
from awsarch.analysis.verdict import Verdict, addresses_text, format_text
from awsarch.model import Architecture, Peer, PortRange, Route, SecurityGroupRule

from .build import entry, replace_by_id, seed, tcp, with_acl, with_group

VPC_BLOCK = "2600:1f18:abcd:ef00::/56"
SUBNET_BLOCKS = {
    "subnet/public-a": "2600:1f18:abcd:ef00::/64",
    "subnet/public-b": "2600:1f18:abcd:ef01::/64",
    "subnet/private-a": "2600:1f18:abcd:ef02::/64",
    "subnet/private-b": "2600:1f18:abcd:ef03::/64",
}
IGW6 = Route(destination="::/0", target="internet-gateway", target_id="igw/main")
EIGW6 = Route(destination="::/0", target="egress-only-gateway", target_id="eigw-0abc")


def _add_routes(arch: Architecture, table: str, *extra: Route) -> Architecture:
    found = next(t for t in arch.route_tables if t.id == table)
    tables = replace_by_id(arch.route_tables, table, routes=found.routes + extra)
    return replace(arch, route_tables=tables)


@cache
def dual_stack() -> Architecture:
    """The seed with an IPv6 block in the VPC and every subnet, addresses on every instance,
    `::/0` to the internet gateway from public subnets and to an egress-only gateway from
    private ones, and web open on 443 over IPv6."""
    arch = seed()
    arch = replace(arch, vpcs=tuple(replace(v, ipv6_cidrs=(VPC_BLOCK,)) for v in arch.vpcs))
    arch = replace(
        arch,
        subnets=tuple(
            replace(s, ipv6_cidr=SUBNET_BLOCKS[s.id], assign_ipv6=True) for s in arch.subnets
        ),
        instances=tuple(
            replace(i, ipv6_addresses=(SUBNET_BLOCKS[i.subnet_id].replace("::/64", "::10"),))
            for i in arch.instances
        ),
    )
    arch = _add_routes(_add_routes(arch, "rtb/public", IGW6), "rtb/private", EIGW6)
    v6_entries = tuple(entry(101, egress=egress, cidr="::/0") for egress in (False, True))
    acls = tuple(replace(a, entries=a.entries + v6_entries) for a in arch.network_acls)
    arch = replace(arch, network_acls=acls)
    web = next(g for g in arch.security_groups if g.id == "sg/web")
    v6 = tuple(
        replace(r, peer=Peer.cidr("::/0")) for r in web.ingress if r.peer.value == "0.0.0.0/0"
    )
    return with_group(arch, "sg/web", ingress=web.ingress + v6)


def _families(verdict: Verdict) -> set[str]:
    """The families of the internet addresses for which some placement pair got through."""
    return {family(first) for p in verdict.paths for first, _ in p.addresses.intervals}


def _without_v6_rules(arch: Architecture, group: str) -> Architecture:
    found = next(g for g in arch.security_groups if g.id == group)
    kept = tuple(r for r in found.ingress if ":" not in r.peer.value)
    return with_group(arch, group, ingress=kept)


def test_the_internet_reaches_web_over_both_families_and_says_so() -> None:
    verdict = reach(dual_stack(), "internet", "web", tcp(443))
    assert verdict.verdict == "reachable"
    assert _families(verdict) == {"IPv4", "IPv6"}
    text = format_text(verdict)
    assert "every public IPv4 address" in text
    assert "every public IPv6 address except 2600:1f18:abcd:ef00::/56" in text


def test_an_ipv4_only_rule_reaches_over_ipv4_only() -> None:
    """Before IPv6 was modelled, both families looked the same; now the verdict says which."""
    verdict = reach(_without_v6_rules(dual_stack(), "sg/web"), "internet", "web", tcp(443))
    assert verdict.verdict == "reachable"
    assert _families(verdict) == {"IPv4"}


def test_a_rule_from_ipv6_only_reaches_web_over_ipv6_only() -> None:
    arch = dual_stack()
    web = next(g for g in arch.security_groups if g.id == "sg/web")
    only_v6 = tuple(r for r in web.ingress if r.peer.value == "::/0")
    verdict = reach(with_group(arch, "sg/web", ingress=only_v6), "internet", "web", tcp(443))
    assert verdict.verdict == "reachable"
    assert _families(verdict) == {"IPv6"}
    assert reach(
        with_group(seed(), "sg/web", ingress=only_v6), "internet", "web", tcp(443)
    ).verdict == ("unreachable"), "without IPv6 addresses a rule from ::/0 admits no one"


def test_without_an_ipv6_route_to_the_gateway_only_ipv4_arrives() -> None:
    arch = dual_stack()
    table = next(t for t in arch.route_tables if t.id == "rtb/public")
    routes = tuple(r for r in table.routes if r != IGW6)
    arch = replace(arch, route_tables=replace_by_id(arch.route_tables, "rtb/public", routes=routes))
    verdict = reach(arch, "internet", "web", tcp(443))
    assert _families(verdict) == {"IPv4"}


def test_an_interface_without_an_ipv6_address_is_not_reached_over_ipv6() -> None:
    arch = dual_stack()
    arch = replace(arch, instances=tuple(replace(i, ipv6_addresses=()) for i in arch.instances))
    assert _families(reach(arch, "internet", "web", tcp(443))) == {"IPv4"}


def test_an_egress_only_gateway_lets_private_subnets_out_and_nobody_in() -> None:
    arch = dual_stack()
    out = reach(arch, "private", "internet", tcp(443))
    assert out.verdict == "reachable"
    assert _families(out) == {"IPv4", "IPv6"}
    table = next(t for t in arch.route_tables if t.id == "rtb/private")
    v6_only = replace_by_id(arch.route_tables, "rtb/private", routes=(*table.routes[:1], EIGW6))
    out = reach(replace(arch, route_tables=v6_only), "private", "internet", tcp(443))
    assert _families(out) == {"IPv6"}
    assert any(
        h.kind == "egress-only-gateway" and h.decision == "allow" for p in out.paths for h in p.hops
    )
    inbound = reach(arch, "internet", "private", tcp(443))
    assert inbound.verdict == "unreachable"
    reasons = [h.reason for p in inbound.paths for h in p.hops if h.decision == "deny"]
    assert any("egress-only internet gateway lets no connection in" in r for r in reasons)


def test_ipv4_only_subnets_reach_out_over_ipv4_through_the_nat_only() -> None:
    out = reach(seed(), "private", "internet", tcp(443))
    assert out.verdict == "reachable"
    assert not any(h.kind == "egress-only-gateway" for p in out.paths for h in p.hops)


@pytest.mark.parametrize(
    ("entries", "families"),
    [
        ((entry(100, egress=False), entry(100, egress=True)), {"IPv4"}),
        (
            (
                entry(100, egress=False),
                entry(100, egress=True),
                entry(101, egress=False, cidr="::/0"),
                entry(101, egress=True, cidr="::/0"),
            ),
            {"IPv4", "IPv6"},
        ),
        (
            (
                entry(90, egress=False, allow=False, protocol="tcp", ports=(443, 443), cidr="::/0"),
                entry(100, egress=False),
                entry(100, egress=True),
                entry(101, egress=False, cidr="::/0"),
                entry(101, egress=True, cidr="::/0"),
            ),
            {"IPv4"},
        ),
    ],
    ids=["ipv4-entries-only", "ipv6-entries-allow", "ipv6-deny-first"],
)
def test_network_acl_entries_decide_per_family(entries: tuple, families: set[str]) -> None:  # type: ignore[type-arg]
    arch = with_acl(dual_stack(), ("subnet/public-a", "subnet/public-b"), *entries)
    assert _families(reach(arch, "internet", "web", tcp(443))) == families


def test_web_reaches_the_database_over_ipv4_while_it_has_no_ipv6_address() -> None:
    """RDS without dual-stack mode has IPv4 addresses only: web's IPv6 changes nothing inside."""
    verdict = reach(dual_stack(), "web", "main", tcp(3306))
    assert verdict.verdict == "reachable"


def test_addresses_text_names_each_family() -> None:
    v4 = addresses("198.51.100.0/24")
    v6 = addresses("2001:db8::/32")
    assert addresses_text(v4 | v6) == "198.51.100.0/24; 2001:db8::/32"


# ---- Hypothesis -------------------------------------------------------------------------------
ipv6_peers = st.sampled_from(["::/0", "2000::/3", "2600:1f18:abcd:ef00::/56", "2001:db8::/32"])


@settings(max_examples=30, deadline=None)
@given(peer=ipv6_peers, port=st.integers(0, 65535), group=st.sampled_from(["sg/web", "sg/db-main"]))
def test_ipv6_rules_never_change_an_ipv4_only_estate(peer: str, port: int, group: str) -> None:
    """On the IPv4-only seed an IPv6 rule admits no one: the matrix is unchanged."""
    found = next(g for g in seed().security_groups if g.id == group)
    extra = SecurityGroupRule(protocol="tcp", ports=PortRange.single(port), peer=Peer.cidr(peer))
    edited = with_group(seed(), group, ingress=(*found.ingress, extra))
    assert _cells(matrix(edited)) == _cells(matrix(seed()))


@settings(max_examples=30, deadline=None)
@given(peer=ipv6_peers, port=st.integers(0, 65535), group=st.sampled_from(["sg/web", "sg/db-main"]))
def test_an_ipv6_rule_never_removes_a_flow_and_never_gives_unknown(
    peer: str, port: int, group: str
) -> None:
    base = dual_stack()
    found = next(g for g in base.security_groups if g.id == group)
    extra = SecurityGroupRule(protocol="tcp", ports=PortRange.single(port), peer=Peer.cidr(peer))
    edited = with_group(base, group, ingress=(*found.ingress, extra))
    before, after = _cells(matrix(base)), _cells(matrix(edited))
    for key, allowed in before.items():
        assert after[key][0].covers(allowed[0])
    assert all(verdict != "unknown" for _, verdict in after.values())


Cells = dict[tuple[str, str], tuple[Services, str]]


def _cells(result: Matrix) -> Cells:
    return {(v.source, v.destination): (v.reachable, v.verdict) for v in result.cells}


# ---- across a VPC peering ---------------------------------------------------------------------
MAIN6, PEER6 = "2600:1f18:abcd:ef00::/56", "2600:1f18:abcd:1200::/56"


def _dual_stack_peering(*, v4_routes: bool) -> Architecture:
    """The peering estate with an IPv6 block on both VPCs, subnets and instances, routes for the
    peer's IPv6 block on both sides, and (when `v4_routes` is false) no IPv4 route to the peer."""
    from .peered import PCX, PEER, peered, to_pcx

    arch = peered()
    blocks = {"vpc/main": MAIN6, "vpc/peer": PEER6}
    subnet_blocks = {**SUBNET_BLOCKS, "subnet/peer-a": "2600:1f18:abcd:1200::/64"}
    arch = replace(
        arch,
        vpcs=tuple(
            replace(v, ipv6_cidrs=(blocks[v.id],)) if v.id in blocks else v for v in arch.vpcs
        ),
        subnets=tuple(
            replace(s, ipv6_cidr=subnet_blocks[s.id], assign_ipv6=True)
            if s.id in subnet_blocks
            else s
            for s in arch.subnets
        ),
        instances=tuple(
            replace(i, ipv6_addresses=(subnet_blocks[i.subnet_id].replace("::/64", "::10"),))
            if i.subnet_id in subnet_blocks
            else i
            for i in arch.instances
        ),
        vpc_peerings=tuple(
            replace(
                p,
                requester_cidrs=(*p.requester_cidrs, MAIN6),
                accepter_cidrs=(*p.accepter_cidrs, PEER6),
            )
            if p.id == PCX
            else p
            for p in arch.vpc_peerings
        ),
        network_acls=tuple(
            replace(
                a,
                entries=a.entries + tuple(entry(101, egress=e, cidr="::/0") for e in (False, True)),
            )
            for a in arch.network_acls
        ),
    )
    web = next(g for g in arch.security_groups if g.id == "sg/web")
    v6_out = tuple(replace(r, peer=Peer.cidr("::/0")) for r in web.egress)
    arch = with_group(arch, "sg/web", egress=web.egress + v6_out)  # as AWS gives a dual-stack VPC
    for table, extra in (("rtb/public", to_pcx(PEER6)), ("rtb/peer", to_pcx(MAIN6))):
        found = next(t for t in arch.route_tables if t.id == table)
        kept = (
            found.routes
            if v4_routes or table != "rtb/public"
            else tuple(r for r in found.routes if r.destination != PEER)
        )
        arch = replace(
            arch, route_tables=replace_by_id(arch.route_tables, table, routes=(*kept, extra))
        )
    return arch


def test_a_peering_carries_ipv6_when_both_sides_route_the_blocks_to_it() -> None:
    """With no IPv4 route to the peer, web still reaches peer-1 over IPv6 through the peering."""
    arch = _dual_stack_peering(v4_routes=False)
    verdict = reach(arch, "web", "instance/peer-1", tcp(5432))
    assert verdict.verdict == "reachable", format_text(verdict)
    assert any(
        h.kind == "vpc-peering" and h.decision == "allow" for p in verdict.paths for h in p.hops
    )


def test_without_ipv6_addresses_the_ipv6_routes_to_a_peering_carry_nothing() -> None:
    arch = _dual_stack_peering(v4_routes=False)
    arch = replace(arch, instances=tuple(replace(i, ipv6_addresses=()) for i in arch.instances))
    assert reach(arch, "web", "instance/peer-1", tcp(5432)).verdict == "unreachable"
