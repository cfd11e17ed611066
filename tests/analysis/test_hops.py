"""Every hop kind, table-driven: an edit that lets traffic pass, and one that blocks it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from awsarch.analysis import Services, reach
from awsarch.model import Architecture, Peer, PortRange, Route, SecurityGroupRule

from .build import entry, replace_by_id, rule, seed, tcp, with_acl, with_group

Edit = Callable[[Architecture], Architecture]
PRIVATE = ("subnet/private-a", "subnet/private-b")
PUBLIC = ("subnet/public-a", "subnet/public-b")


def same(arch: Architecture) -> Architecture:
    return arch


@dataclass(frozen=True)
class Case:
    id: str
    edit: Edit
    source: str
    destination: str
    services: Services | None
    verdict: str
    blocked_kind: str = ""


def web_egress(*rules: object) -> Edit:
    return lambda a: with_group(a, "sg/web", egress=tuple(rules))  # type: ignore[arg-type]


def web_ingress(*rules: object) -> Edit:
    return lambda a: with_group(a, "sg/web", ingress=tuple(rules))  # type: ignore[arg-type]


def db_ingress(*rules: object) -> Edit:
    return lambda a: with_group(a, "sg/db-main", ingress=tuple(rules))  # type: ignore[arg-type]


def private_acl(*entries: object) -> Edit:
    return lambda a: with_acl(a, PRIVATE, *entries)  # type: ignore[arg-type]


def routes(table: str, *extra: Route, subnets: tuple[str, ...] | None = None) -> Edit:
    def edit(a: Architecture) -> Architecture:
        rt = next(t for t in a.route_tables if t.id == table)
        changes: dict[str, object] = {"routes": rt.routes + extra}
        if subnets is not None:
            changes["subnet_ids"] = subnets
        return replace(a, route_tables=replace_by_id(a.route_tables, table, **changes))

    return edit


def main_table_with_igw(a: Architecture) -> Architecture:
    """Public subnets lose their explicit table; the main table routes to the gateway."""
    a = routes("rtb/public", subnets=())(a)
    igw = Route(destination="0.0.0.0/0", target="internet-gateway", target_id="igw/main")
    return routes("rtb/main", igw)(a)


WEB_TO_DB = ("web", "main", tcp(3306))
PL = Peer(kind="prefix-list", value="pl-0abc")


def listed(*cidrs: str) -> Peer:
    """A prefix list whose entries were read."""
    return Peer(kind="prefix-list", value="pl-0def", entries=cidrs)


def icmp_rule(icmp_type: int, code: int = -1) -> SecurityGroupRule:
    return SecurityGroupRule(
        protocol="icmp", ports=PortRange.icmp(icmp_type, code), peer=Peer.cidr("0.0.0.0/0")
    )


def icmp(icmp_type: int, code: int = -1) -> Services:
    return Services.of("icmp", PortRange.icmp(icmp_type, code))


SG = Peer.group
CIDR = Peer.cidr

CASES = [
    # security group egress: CIDR, group reference, nothing
    Case(
        "egress-cidr-allows",
        web_egress(rule("tcp", 3306, 3306, CIDR("10.0.0.0/16"))),
        *WEB_TO_DB,
        "reachable",
    ),
    Case(
        "egress-cidr-elsewhere-blocks",
        web_egress(rule("tcp", 3306, 3306, CIDR("192.168.0.0/16"))),
        *WEB_TO_DB,
        "unreachable",
        "security-group-egress",
    ),
    Case(
        "egress-group-ref-allows",
        web_egress(rule("tcp", 3306, 3306, SG("sg/db-main"))),
        *WEB_TO_DB,
        "reachable",
    ),
    Case(
        "egress-group-ref-other-blocks",
        web_egress(rule("tcp", 3306, 3306, SG("sg/default"))),
        *WEB_TO_DB,
        "unreachable",
        "security-group-egress",
    ),
    Case("egress-none-blocks", web_egress(), *WEB_TO_DB, "unreachable", "security-group-egress"),
    # security group ingress: group reference, CIDR, self reference, all protocols, port ranges
    Case("ingress-group-ref-allows", same, *WEB_TO_DB, "reachable"),
    Case(
        "ingress-group-ref-other-blocks",
        db_ingress(rule("tcp", 3306, 3306, SG("sg/default"))),
        *WEB_TO_DB,
        "unreachable",
        "security-group-ingress",
    ),
    Case(
        "ingress-cidr-one-subnet-partial",
        db_ingress(rule("tcp", 3306, 3306, CIDR("10.0.0.0/24"))),
        *WEB_TO_DB,
        "partially-reachable",
    ),
    Case(
        "ingress-cidr-vpc-allows",
        db_ingress(rule("tcp", 3306, 3306, CIDR("10.0.0.0/16"))),
        *WEB_TO_DB,
        "reachable",
    ),
    Case(
        "self-reference-allows",
        lambda a: with_group(a, "sg/web", ingress=(rule("tcp", 22, 22, SG("sg/web")),)),
        "web",
        "web",
        tcp(22),
        "reachable",
    ),
    Case(
        "no-self-reference-blocks",
        same,
        "web",
        "web",
        tcp(22),
        "unreachable",
        "security-group-ingress",
    ),
    Case(
        "all-protocols-allow-udp",
        db_ingress(rule("all", 0, 0, SG("sg/web"))),
        "web",
        "main",
        Services.of("udp", None),
        "reachable",
    ),
    Case(
        "tcp-rule-blocks-udp",
        same,
        "web",
        "main",
        Services.of("udp", None),
        "unreachable",
        "security-group-ingress",
    ),
    Case(
        "port-range-contains",
        db_ingress(rule("tcp", 3300, 3310, SG("sg/web"))),
        *WEB_TO_DB,
        "reachable",
    ),
    Case(
        "port-range-misses",
        db_ingress(rule("tcp", 3307, 3310, SG("sg/web"))),
        *WEB_TO_DB,
        "unreachable",
        "security-group-ingress",
    ),
    Case(
        "group-ref-never-matches-internet",
        db_ingress(rule("all", 0, 0, SG("sg/web"))),
        "internet",
        "web",
        tcp(22),
        "unreachable",
        "security-group-ingress",
    ),
    # network ACL order: lowest number first, first match wins, default deny
    Case(
        "acl-deny-90-before-allow-100",
        private_acl(
            entry(90, egress=False, allow=False, protocol="tcp", ports=(3306, 3306)),
            entry(100, egress=False),
            entry(100, egress=True),
        ),
        *WEB_TO_DB,
        "unreachable",
        "network-acl-inbound",
    ),
    Case(
        "acl-allow-90-before-deny-100",
        private_acl(
            entry(90, egress=False, protocol="tcp", ports=(3306, 3306)),
            entry(100, egress=False, allow=False),
            entry(100, egress=True),
        ),
        *WEB_TO_DB,
        "reachable",
    ),
    Case(
        "acl-no-entry-default-deny",
        private_acl(entry(100, egress=True)),
        *WEB_TO_DB,
        "unreachable",
        "network-acl-inbound",
    ),
    Case(
        "acl-outbound-deny",
        lambda a: with_acl(
            a, PUBLIC, entry(100, egress=False), entry(100, egress=True, allow=False)
        ),
        *WEB_TO_DB,
        "unreachable",
        "network-acl-outbound",
    ),
    Case(
        "same-subnet-skips-acl",
        lambda a: with_acl(a, PUBLIC),
        "public",
        "web",
        tcp(443),
        "partially-reachable",
    ),
    # network ACL return traffic on ephemeral ports
    Case(
        "acl-return-ephemeral-allows",
        private_acl(
            entry(100, egress=False, protocol="tcp", ports=(3306, 3306)),
            entry(100, egress=True, protocol="tcp", ports=(1024, 65535)),
        ),
        *WEB_TO_DB,
        "reachable",
    ),
    Case(
        "acl-return-low-ports-blocks",
        private_acl(
            entry(100, egress=False, protocol="tcp", ports=(3306, 3306)),
            entry(100, egress=True, protocol="tcp", ports=(0, 1023)),
        ),
        *WEB_TO_DB,
        "unreachable",
        "network-acl-return",
    ),
    # the return leg needs the client's whole ephemeral range: web runs Linux (al2023), so
    # 32768-60999; a rule for part of it lets only some connections through
    Case(
        "acl-return-linux-range-allows",
        private_acl(
            entry(100, egress=False, protocol="tcp", ports=(3306, 3306)),
            entry(100, egress=True, protocol="tcp", ports=(32768, 60999)),
        ),
        *WEB_TO_DB,
        "reachable",
    ),
    Case(
        "acl-return-part-of-linux-range-partial",
        private_acl(
            entry(100, egress=False, protocol="tcp", ports=(3306, 3306)),
            entry(100, egress=True, protocol="tcp", ports=(49152, 65535)),
        ),
        *WEB_TO_DB,
        "partially-reachable",
        "network-acl-return",
    ),
    Case(
        "acl-return-internet-client-needs-1024-up",
        lambda a: with_acl(
            a,
            PUBLIC,
            entry(100, egress=False, protocol="tcp", ports=(443, 443)),
            entry(100, egress=True, protocol="tcp", ports=(32768, 65535)),
        ),
        "internet",
        "web",
        tcp(443),
        "partially-reachable",
        "network-acl-return",
    ),
    # ICMP rules name a type and a code: echo request (8) admitted, destination unreachable
    # (3) not; type 3 code 4 (fragmentation needed) admitted, code 1 not
    Case(
        "icmp-echo-rule-admits-echo",
        web_ingress(icmp_rule(8)),
        "internet",
        "web",
        icmp(8),
        "reachable",
    ),
    Case(
        "icmp-echo-rule-blocks-unreachable",
        web_ingress(icmp_rule(8)),
        "internet",
        "web",
        icmp(3),
        "unreachable",
        "security-group-ingress",
    ),
    Case(
        "icmp-type-code-rule-admits-that-code",
        web_ingress(icmp_rule(3, 4)),
        "internet",
        "web",
        icmp(3, 4),
        "reachable",
    ),
    Case(
        "icmp-type-code-rule-blocks-another-code",
        web_ingress(icmp_rule(3, 4)),
        "internet",
        "web",
        icmp(3, 1),
        "unreachable",
        "security-group-ingress",
    ),
    # what awsarch does not model is `unknown`, never a guess: a route to a transit gateway, a
    # rule naming a prefix list (unless another rule decides)
    Case(
        "route-to-transit-gateway-elsewhere-decided",
        routes(
            "rtb/private", Route(destination="172.16.0.0/12", target="other", target_id="tgw-1")
        ),
        "web",
        "main",
        tcp(3306),
        "reachable",
    ),
    Case(
        "more-specific-route-to-an-appliance-unknown",
        routes("rtb/public", Route(destination="10.0.8.0/23", target="other", target_id="eni-1")),
        *WEB_TO_DB,
        "unknown",
        "route",
    ),
    Case(
        "internet-via-transit-gateway-unknown",
        lambda a: replace(
            a,
            route_tables=replace_by_id(
                a.route_tables,
                "rtb/public",
                routes=(Route(destination="0.0.0.0/0", target="other", target_id="tgw-1"),),
            ),
        ),
        "internet",
        "web",
        tcp(443),
        "unknown",
        "route",
    ),
    Case(
        "prefix-list-rule-alone-unknown",
        web_ingress(SecurityGroupRule(protocol="tcp", ports=PortRange.single(443), peer=PL)),
        "internet",
        "web",
        tcp(443),
        "unknown",
        "security-group-ingress",
    ),
    Case(
        "prefix-list-rule-beside-a-cidr-rule-decided",
        web_ingress(
            SecurityGroupRule(protocol="tcp", ports=PortRange.single(443), peer=PL),
            rule("tcp", 443, 443, CIDR("0.0.0.0/0")),
        ),
        "internet",
        "web",
        tcp(443),
        "reachable",
    ),
    Case(
        "prefix-list-read-admits-its-cidrs",
        web_ingress(
            SecurityGroupRule(protocol="tcp", ports=PortRange.single(443), peer=listed("0.0.0.0/0"))
        ),
        "internet",
        "web",
        tcp(443),
        "reachable",
    ),
    Case(
        "prefix-list-read-with-private-cidrs-blocks",
        web_ingress(
            SecurityGroupRule(
                protocol="tcp", ports=PortRange.single(443), peer=listed("10.0.0.0/8")
            )
        ),
        "internet",
        "web",
        tcp(443),
        "unreachable",
        "security-group-ingress",
    ),
    # routing: main vs explicit table, longest prefix, local route
    Case("explicit-table-routes-to-igw", same, "internet", "web", tcp(443), "reachable"),
    Case(
        "main-table-local-only-blocks",
        routes("rtb/public", subnets=()),
        "internet",
        "web",
        tcp(443),
        "unreachable",
        "route",
    ),
    Case(
        "main-table-with-igw-allows", main_table_with_igw, "internet", "web", tcp(443), "reachable"
    ),
    Case(
        "longer-prefix-blackhole-partial",
        routes("rtb/public", Route(destination="10.0.8.0/24", target="blackhole")),
        *WEB_TO_DB,
        "partially-reachable",
    ),
    Case(
        "longer-prefix-local-inside-default",
        routes("rtb/public", Route(destination="10.0.0.0/8", target="blackhole")),
        *WEB_TO_DB,
        "reachable",
    ),
    # internet gateway attached or not, public address or not
    Case(
        "detached-igw-blocks",
        lambda a: replace(
            a, internet_gateways=replace_by_id(a.internet_gateways, "igw/main", vpc_id="")
        ),
        "internet",
        "web",
        tcp(443),
        "unreachable",
        "internet-gateway",
    ),
    Case(
        "missing-public-ip-blocks",
        lambda a: replace(a, instances=tuple(replace(i, has_public_ip=False) for i in a.instances)),
        "internet",
        "web",
        tcp(443),
        "unreachable",
        "public-address",
    ),
    Case(
        "private-db-never-public", same, "internet", "main", None, "unreachable", "public-address"
    ),
    # NAT: needs an Elastic IP and a subnet routed to an attached internet gateway
    Case("nat-in-public-subnet-allows", same, "private", "internet", tcp(443), "reachable"),
    Case(
        "nat-in-private-subnet-blocks",
        lambda a: replace(
            a, nat_gateways=replace_by_id(a.nat_gateways, "nat/a", subnet_id="subnet/private-a")
        ),
        "private",
        "internet",
        tcp(443),
        "unreachable",
        "route",
    ),
    Case(
        "nat-without-eip-blocks",
        lambda a: replace(
            a, nat_gateways=replace_by_id(a.nat_gateways, "nat/a", has_public_ip=False)
        ),
        "private",
        "internet",
        tcp(443),
        "unreachable",
        "nat-gateway",
    ),
    Case(
        "nat-subnet-acl-blocks",
        lambda a: with_acl(
            a,
            ("subnet/public-a",),
            entry(100, egress=True),
            entry(100, egress=False, cidr="128.0.0.0/1"),
        ),
        "private",
        "internet",
        tcp(443),
        "unreachable",
        "network-acl-inbound",
    ),
    # a database lives in every subnet of its group: a blocked standby is a partial verdict
    Case(
        "standby-subnet-blocked-partial",
        lambda a: with_acl(a, ("subnet/private-b",), entry(100, egress=True)),
        *WEB_TO_DB,
        "partially-reachable",
    ),
    # addresses as sets: split CIDRs that cover the internet, and a private range that does not
    Case(
        "split-cidrs-cover-the-internet",
        web_ingress(
            rule("tcp", 443, 443, CIDR("0.0.0.0/1")), rule("tcp", 443, 443, CIDR("128.0.0.0/1"))
        ),
        "internet",
        "web",
        tcp(443),
        "reachable",
    ),
    Case(
        "rule-open-to-10-slash-8-is-not-the-internet",
        web_ingress(rule("tcp", 443, 443, CIDR("10.0.0.0/8"))),
        "internet",
        "web",
        tcp(443),
        "unreachable",
        "security-group-ingress",
    ),
    Case(
        "missing-internet-gateway-blocks",
        lambda a: replace(a, internet_gateways=()),
        "internet",
        "web",
        tcp(443),
        "unreachable",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hop(case: Case) -> None:
    """Each hop allows or blocks exactly as AWS's rules say, and names itself when it blocks."""
    check_case(case, seed())


def check_case(case: Case, base: Architecture) -> None:
    """The case's edit of `base` gives its verdict, blocked (or left unknown) at its hop kind."""
    verdict = reach(case.edit(base), case.source, case.destination, case.services)
    assert verdict.verdict == case.verdict
    if case.blocked_kind:
        kinds = {p.blocked_by.kind for p in verdict.paths if p.blocked_by is not None}
        kinds |= {h.kind for p in verdict.paths for h in p.hops if h.decision == "partial"}
        kinds |= {p.unknown_at.kind for p in verdict.paths if p.unknown_at is not None}
        assert kinds == {case.blocked_kind}


def test_a_partial_return_fails_the_intent_and_says_which_ports() -> None:
    """`web -> main:3306` does not hold when replies reach only some of web's client ports: the
    text names the ports that fail and the fix."""
    from awsarch.analysis import parse_intent
    from awsarch.analysis.intents import prove
    from awsarch.analysis.verdict import format_text, to_json

    arch = private_acl(
        entry(100, egress=False, protocol="tcp", ports=(3306, 3306)),
        entry(100, egress=True, protocol="tcp", ports=(49152, 65535)),
    )(seed())
    result = prove(arch, parse_intent("web -> main:3306"))
    assert not result.holds
    text = format_text(result.verdict)
    assert "not on tcp/32768-49151" in text
    assert "partly blocked by" in text
    assert to_json(result.verdict)["verdict"] == "partially-reachable"
    assert prove(arch, parse_intent("web -/-> main:3306")).holds is False


def test_unknown_fails_both_arrows_with_the_reason_and_shows_in_the_matrix() -> None:
    """Behind a transit gateway neither `->` nor `-/->` is proved, and the reason names it."""
    from awsarch.analysis import format_matrix, matrix, parse_intent
    from awsarch.analysis.intents import prove
    from awsarch.usecases.proofs import _network_summary

    arch = replace(
        seed(),
        route_tables=replace_by_id(
            seed().route_tables,
            "rtb/public",
            routes=(Route(destination="0.0.0.0/0", target="other", target_id="tgw-1"),),
        ),
    )
    for line in ("internet -> web:443", "internet -/-> web:443"):
        result = prove(arch, parse_intent(line))
        assert not result.holds, line
        assert result.verdict.verdict == "unknown"
    summary = _network_summary(result.verdict, result.holds)
    assert "a transit gateway awsarch does not model" in summary
    table = format_matrix(matrix(arch))
    internet_row = next(r for r in table.splitlines() if r.startswith("internet"))
    assert "?" in internet_row
