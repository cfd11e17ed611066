"""The hop-by-hop evaluator: is traffic from one endpoint to another allowed, and on what?

For every placement pair (source class × destination class), every source address atom and
every destination address atom, the traffic asked about is pushed through the hops in order; each
hop keeps what it allows. A pair is reachable when some traffic survives every hop.
"""

from __future__ import annotations

from awsarch.analysis.endpoints import Endpoint, Placement, resolve
from awsarch.analysis.hops import Hop
from awsarch.analysis.network import Network
from awsarch.analysis.paths import Leg, run_leg
from awsarch.analysis.sets import Interval, IntervalSet, Services, family
from awsarch.analysis.verdict import PathResult, Verdict, classify
from awsarch.model import Architecture


def reach(
    arch: Architecture, source: str, destination: str, services: Services | None = None
) -> Verdict:
    """The verdict for traffic from `source` to `destination` (endpoint names).

    `services` is the traffic asked about; None asks which protocols and ports get through.
    Raises UnknownEndpointError (an InputError) for an unknown endpoint name.
    """
    net = Network(arch)
    return reach_endpoints(net, resolve(arch, source), resolve(arch, destination), services)


def reach_endpoints(
    net: Network, source: Endpoint, destination: Endpoint, services: Services | None = None
) -> Verdict:
    """As `reach`, with resolved endpoints and a reusable Network (for many proofs at once)."""
    wanted = Services.every() if services is None else services
    paths = tuple(
        evaluate_pair(net, src, dst, wanted)
        for src in source.placements
        for dst in destination.placements
        if not _same_interface(src, dst)
    )
    reachable = Services.none()
    for path in paths:
        reachable |= path.allowed
    return Verdict(
        verdict=classify(paths),
        source=source.name,
        destination=destination.name,
        query=wanted,
        port_given=services is not None,
        reachable=reachable,
        paths=paths,
    )


def _same_interface(src: Placement, dst: Placement) -> bool:
    """A lone interface talking to itself is not a flow."""
    return len(src.members) == 1 and src.members == dst.members and src.key() == dst.key()


def _atoms(net: Network, placement: Placement) -> dict[str, list[Interval]]:
    """The addresses a placement sends from and is reached at, by family: its subnet's IPv4
    block, and its IPv6 block when the interface has an IPv6 address; the internet has both."""
    key = ("atoms", placement.subnet_id, placement.ipv6, placement.is_internet)

    def compute() -> dict[str, list[Interval]]:
        if placement.is_internet:
            found = net.internet_atoms
        else:
            found = net.subnet_atoms(placement.subnet_id, ipv6=placement.ipv6)
        by_family: dict[str, list[Interval]] = {}
        for atom in found:
            by_family.setdefault(family(atom[0]), []).append(atom)
        return by_family

    return net.remember(key, compute)


def _atom_pairs(net: Network, src: Placement, dst: Placement) -> list[tuple[Interval, Interval]]:
    """Source and destination atoms of one family (a packet is IPv4 or IPv6 end to end), listed
    once per pair of subnets."""
    key = ("atom-pairs", src.subnet_id, src.ipv6, dst.subnet_id, dst.ipv6)  # internet: subnet ""

    def compute() -> list[tuple[Interval, Interval]]:
        destinations = _atoms(net, dst)
        return [
            (src_atom, dst_atom)
            for name, sources in _atoms(net, src).items()
            for src_atom in sources
            for dst_atom in destinations.get(name, ())
        ]

    return net.remember(key, compute)


def evaluate_pair(net: Network, src: Placement, dst: Placement, wanted: Services) -> PathResult:
    """Every address atom of the pair; the path shown is the one that got furthest."""
    allowed, addresses = Services.none(), IntervalSet.empty()
    best: tuple[tuple[bool, int], tuple[Hop, ...]] | None = None
    for src_atom, dst_atom in _atom_pairs(net, src, dst):
        leg = Leg(src=src, dst=dst, src_atom=src_atom, dst_atom=dst_atom)
        got, hops = run_leg(net, leg, wanted)
        if got:
            allowed |= got
            internet_atom = src_atom if src.is_internet else dst_atom
            if src.is_internet or dst.is_internet:
                addresses |= IntervalSet.of(internet_atom)
        rank = (not got.is_empty(), len(hops))
        if best is None or rank > best[0]:
            best = (rank, hops)
    return PathResult(
        source=src,
        destination=dst,
        allowed=allowed,
        hops=best[1] if best else (),
        addresses=addresses,
    )
