"""VPC peering, table-driven as in test_hops: an edit that lets traffic pass, and one that blocks
it, each naming the hop that decided."""

from __future__ import annotations

from dataclasses import replace

import pytest

from awsarch.analysis import reach
from awsarch.analysis.sets import addresses, public_addresses
from awsarch.analysis.verdict import to_json
from awsarch.model import Architecture, Peer, Route, SecurityGroupRule

from .build import entry, replace_by_id, rule, tcp, with_acl, with_group
from .peered import MAIN, PCX, PEER, peered, to_pcx, with_peer_gateway
from .test_hops import Case, Edit, check_case, routes, same

WEB_TO_PEER = ("web", "peerapp", tcp(5432))
BASICS = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html"


def without_route(table: str, destination: str) -> Edit:
    def edit(a: Architecture) -> Architecture:
        rt = next(t for t in a.route_tables if t.id == table)
        kept = tuple(r for r in rt.routes if r.destination != destination)
        return replace(a, route_tables=replace_by_id(a.route_tables, table, routes=kept))

    return edit


def peering(**changes: object) -> Edit:
    return lambda a: replace(a, vpc_peerings=replace_by_id(a.vpc_peerings, PCX, **changes))


def peer_ingress(*rules: SecurityGroupRule) -> Edit:
    return lambda a: with_group(a, "sg/peer-app", ingress=rules)


def private_to_pcx(a: Architecture) -> Architecture:
    """The private subnets send the internet to the peering instead of their NAT gateway."""
    a = with_peer_gateway(without_route("rtb/private", "0.0.0.0/0")(a))
    return routes("rtb/private", to_pcx("0.0.0.0/0"))(a)


CASES = [
    Case("peering-allows", same, *WEB_TO_PEER, "reachable"),
    Case("peering-allows-the-way-back", same, "peer", "tier/public", tcp(22), "reachable"),
    Case(
        "missing-route-out-blocks",
        without_route("rtb/public", PEER),
        *WEB_TO_PEER,
        "unreachable",
        "route",
    ),
    Case(
        "missing-return-route-blocks",
        without_route("rtb/peer", MAIN),
        *WEB_TO_PEER,
        "unreachable",
        "return-route",
    ),
    Case(
        "return-route-through-another-peering-blocks",
        lambda a: routes(
            "rtb/peer",
            Route(destination="10.0.0.0/17", target="peering", target_id="pcx/peer-third"),
        )(a),
        *WEB_TO_PEER,
        "unreachable",
        "return-route",
    ),
    Case(
        "pending-acceptance-blocks",
        peering(active=False, status="pending-acceptance"),
        *WEB_TO_PEER,
        "unreachable",
        "vpc-peering",
    ),
    Case(
        "transitive-third-vpc-blocks",
        same,
        "web",
        "thirdapp",
        tcp(5432),
        "unreachable",
        "vpc-peering",
    ),
    Case(
        "peer-cidrs-without-the-address-block",
        peering(accepter_cidrs=("10.1.200.0/24",)),
        *WEB_TO_PEER,
        "unreachable",
        "vpc-peering",
    ),
    Case(
        "internet-through-the-peer-s-gateway-blocks",
        private_to_pcx,
        "private",
        "internet",
        tcp(443),
        "unreachable",
        "vpc-peering",
    ),
    Case(
        "replies-through-the-peer-s-gateway-block",
        lambda a: routes("rtb/public", to_pcx("0.0.0.0/0"))(
            with_peer_gateway(without_route("rtb/public", "0.0.0.0/0")(a))
        ),
        "internet",
        "web",
        tcp(443),
        "unreachable",
        "vpc-peering",
    ),
    Case(
        "cross-vpc-group-reference-allows",
        peer_ingress(rule("tcp", 5432, 5432, Peer.group("sg/web"))),
        *WEB_TO_PEER,
        "reachable",
    ),
    Case(
        "cross-vpc-group-reference-other-group-blocks",
        peer_ingress(rule("tcp", 5432, 5432, Peer.group("sg/db-main"))),
        *WEB_TO_PEER,
        "unreachable",
        "security-group-ingress",
    ),
    Case(
        "cidr-rule-for-the-peer-vpc-allows",
        peer_ingress(rule("tcp", 5432, 5432, Peer.cidr(MAIN))),
        *WEB_TO_PEER,
        "reachable",
    ),
    Case(
        "peer-subnet-acl-blocks",
        lambda a: with_acl(a, ("subnet/peer-a",), entry(100, egress=True)),
        *WEB_TO_PEER,
        "unreachable",
        "network-acl-inbound",
    ),
    Case(
        "peer-subnet-acl-return-on-ephemeral-ports-blocks",
        lambda a: with_acl(
            a,
            ("subnet/peer-a",),
            entry(100, egress=False),
            entry(100, egress=True, protocol="tcp", ports=(0, 1023)),
        ),
        *WEB_TO_PEER,
        "unreachable",
        "network-acl-return",
    ),
    Case(
        "route-to-a-peering-not-in-the-model-is-unknown",
        lambda a: routes("rtb/public", to_pcx("10.1.1.0/24", "pcx-0unread"))(a),
        *WEB_TO_PEER,
        "unknown",
        "vpc-peering",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_peering_hop(case: Case) -> None:
    """Each peering hop allows or blocks exactly as AWS's peering rules say, and names itself."""
    check_case(case, peered())


def test_the_path_names_route_connection_and_return_route() -> None:
    """A reachable path across a peering shows the route out, the connection and the route back."""
    answer = to_json(reach(peered(), *WEB_TO_PEER))
    hops = [(h["resource"], h["kind"]) for h in answer["paths"][0]["hops"]]
    assert ("rtb/public", "route") in hops
    assert (PCX, "vpc-peering") in hops
    assert ("rtb/peer", "return-route") in hops


def test_transitive_and_edge_denials_cite_aws_and_say_what_to_fix() -> None:
    """A denial says why (no transitive peering, no edge-to-edge routing) and what to change."""
    third = reach(peered(), "web", "thirdapp", tcp(5432)).paths[0].blocked_by
    assert third is not None and BASICS in third.reason and "transitive" in third.reason
    assert "peer vpc/main with vpc/third directly" in third.fix
    edge = reach(private_to_pcx(peered()), "private", "internet", tcp(443)).paths[0].blocked_by
    assert edge is not None and BASICS in edge.reason and "edge to edge" in edge.reason
    assert "internet gateway" in edge.fix
    pending = peering(active=False, status="pending-acceptance")(peered())
    hop = reach(pending, *WEB_TO_PEER).paths[0].blocked_by
    assert hop is not None and "pending-acceptance" in hop.reason
    assert hop.fix == f"accept {PCX} as the owner of vpc/peer"


def test_internet_addresses_routed_to_a_peering_get_no_answer() -> None:
    """web answers only the half of the internet its table still sends to its own gateway."""
    arch = routes("rtb/public", to_pcx("0.0.0.0/1"))(with_peer_gateway(peered()))
    path = reach(arch, "internet", "web", tcp(443)).paths[0]
    assert path.reachable
    assert (path.addresses & addresses("0.0.0.0/1")).is_empty()
    assert path.addresses == public_addresses() & addresses("128.0.0.0/1")


def test_a_view_of_one_vpc_keeps_the_peerings_that_touch_it() -> None:
    """`audit` narrows a stack's account to the stack's VPC: its peerings stay, others go."""
    from awsarch.model.scope import within_vpc

    assert [p.id for p in within_vpc(peered(), "vpc/main").vpc_peerings] == [PCX]
    assert [p.id for p in within_vpc(peered(), "vpc/third").vpc_peerings] == ["pcx/peer-third"]
