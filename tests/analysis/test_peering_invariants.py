"""Invariants of peering proofs, checked with Hypothesis on three peered VPCs."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from awsarch.analysis import matrix
from awsarch.analysis.sets import parse_cidr
from awsarch.model import Architecture, Route
from awsarch.model.network import RouteTarget

from .build import replace_by_id
from .peered import MAIN, PCX, PCX_THIRD, peered, to_pcx, with_peer_gateway
from .test_hops import routes

GATEWAYS = ("internet-gateway", "nat-gateway", "egress-only-gateway")
"""Targets that never deliver into a VPC's private addresses: a route that takes such addresses
from them diverts nothing that was delivered."""


@cache
def _bases() -> list[Architecture]:
    base = peered()
    table = next(t for t in base.route_tables if t.id == "rtb/peer")
    no_return = replace(
        base,
        route_tables=replace_by_id(
            base.route_tables,
            "rtb/peer",
            routes=tuple(r for r in table.routes if r.destination != MAIN),
        ),
    )
    pending = replace(
        base,
        vpc_peerings=replace_by_id(
            base.vpc_peerings, PCX, active=False, status="pending-acceptance"
        ),
    )
    return [base, no_return, pending, with_peer_gateway(base)]


def _takes_nothing_delivered(arch: Architecture, table_id: str, destination: str) -> bool:
    """The new route is for addresses no route of the table already carried somewhere that
    delivers (a local or peering route at least as wide as it, or one it overlaps)."""
    new = parse_cidr(destination)
    assert new is not None
    table = next(t for t in arch.route_tables if t.id == table_id)
    for route in table.routes:
        old = parse_cidr(route.destination)
        if old is None or route.target in GATEWAYS or old[1] < new[0] or new[1] < old[0]:
            continue
        wider = new[0] <= old[0] and old[1] <= new[1]
        if route.destination == destination or not wider:
            return False
    return True


@settings(max_examples=60, deadline=None)
@given(
    base=st.sampled_from(range(4)),
    table=st.sampled_from(["rtb/public", "rtb/private", "rtb/main", "rtb/peer", "rtb/third"]),
    destination=st.sampled_from(
        ["10.1.0.0/16", "10.1.1.0/25", "10.2.0.0/16", "10.2.1.0/24", "10.0.0.0/8", "10.0.8.0/22"]
    ),
    pcx=st.sampled_from([PCX, PCX_THIRD]),
)
def test_adding_a_peering_route_never_removes_a_flow(
    base: int, table: str, destination: str, pcx: str
) -> None:
    """A route to a peering for addresses the table did not deliver anywhere can open flows,
    never close one; and with every peering in the model, no answer is `unknown`."""
    before_arch = _bases()[base]
    assume(_takes_nothing_delivered(before_arch, table, destination))
    after_arch = routes(table, to_pcx(destination, pcx))(before_arch)
    before, after = matrix(before_arch), matrix(after_arch)
    for old, new in zip(before.cells, after.cells, strict=True):
        assert new.reachable.covers(old.reachable), (old.source, old.destination)
        assert new.verdict != "unknown", "every peering is modelled: every answer is known"
        old_full = before.paths(old.source, old.destination)
        new_full = after.paths(new.source, new.destination)
        assert old_full is not None and new_full is not None
        for old_path, new_path in zip(old_full.paths, new_full.paths, strict=True):
            assert new_path.allowed.covers(old_path.allowed)


@settings(max_examples=30, deadline=None)
@given(
    base=st.sampled_from(range(4)),
    table=st.sampled_from(["rtb/public", "rtb/private", "rtb/peer", "rtb/third"]),
    destination=st.sampled_from(["0.0.0.0/0", "10.1.0.0/16", "10.2.0.0/16", "203.0.113.0/24"]),
    target=st.sampled_from([PCX, PCX_THIRD, "igw/main", "igw/peer"]),
)
def test_modelled_peerings_never_give_unknown(
    base: int, table: str, destination: str, target: str
) -> None:
    """Any route, to a modelled peering or a gateway, in any table: every answer is known."""
    kind: RouteTarget = "peering" if target.startswith("pcx") else "internet-gateway"
    arch = _bases()[base]
    rt = next(t for t in arch.route_tables if t.id == table)
    kept = tuple(r for r in rt.routes if r.destination != destination)
    extra = Route(destination=destination, target=kind, target_id=target)
    arch = replace(
        arch, route_tables=replace_by_id(arch.route_tables, table, routes=(*kept, extra))
    )
    assert all(cell.verdict != "unknown" for cell in matrix(arch).cells)
