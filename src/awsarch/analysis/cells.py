"""Cells of the matrix by equivalence: what gets from one endpoint to another, without paths.

A cell needs only what gets through (the ports) and the verdict, not the hops. Placements that
behave the same are proved once, whatever endpoint they belong to:

- Subnets behave the same when they share their VPC, routes, network ACL entries and NAT gateways,
  and the same CIDRs of the model (routes, ACL entries, group rules, prefix lists, VPC blocks)
  contain their blocks: every decision of a hop about an address is "does this CIDR contain the
  atom". Zones are usually symmetric, so a tier's subnets in six zones are often one class.
  A subnet that a CIDR of the model cuts in two, or any subnet of a model with VPC peerings, is
  a class of its own.
- Security groups matter by their rules' content, except for rules whose peer is a group: such a
  rule matches only an interface carrying that group (symbolic membership,
  https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html). When no rule of
  one end names a group of the other end, those rules match nothing and the pair's outcome
  depends on the rest alone, so many server groups share one class.

A pair that a group-to-group rule joins, an instance with several interfaces (whose paths are
alternatives, see verdict.alternatives) or an interface meeting itself is proved exactly, one
placement pair at a time (still once per distinct pair of placement keys).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from awsarch.analysis.endpoints import Endpoint, Placement
from awsarch.analysis.network import Network, contains
from awsarch.analysis.reach import evaluate_pair, reach_endpoints
from awsarch.analysis.sets import Interval, Services
from awsarch.analysis.verdict import Verdict, VerdictName, all_of
from awsarch.model import Peer

Outcome = tuple[Services, VerdictName]
"""What gets through, and the verdict."""
GroupRules = tuple[tuple[str, Services], ...]
"""Rules whose peer is a security group: (the group, what the rule admits)."""


@dataclass(frozen=True)
class _End:
    """One placement as the cells see it."""

    placement: Placement
    behaviour: tuple[object, ...]
    """Everything but the rules whose peer is a group (`Cells._behaviour`)."""
    out: GroupRules
    into: GroupRules


@dataclass(frozen=True)
class _Side:
    """One endpoint as the cells see it."""

    endpoint: Endpoint
    ends: tuple[_End, ...]
    distinct: tuple[tuple[str, _End], ...]
    """One end per (behaviour, subnet): the others behave the same towards anything."""
    plain: int
    """`distinct`, interned: two endpoints with the same number behave the same towards any
    endpoint whose groups none of their rules names."""
    groups: frozenset[str]
    refs_out: frozenset[str]
    refs_in: frozenset[str]
    lone: frozenset[str]
    """Members that are an interface alone in their placement (they must not meet themselves)."""
    secondary: bool


class Cells:
    """Cells (verdict and ports, no paths) for pairs of endpoints over one Network.

    `cell` answers one pair; `each` many pairs. Answers are those of `reach_endpoints` (its
    `verdict` and `reachable`), with `paths` empty: ask `reach_endpoints` for one pair's paths.
    """

    def __init__(self, net: Network) -> None:
        self.net = net
        self._sides: dict[int, _Side] = {}
        self._plain: dict[frozenset[tuple[object, str]], int] = {}
        self._subnets: dict[str, object] = {}
        self._ends: dict[tuple[object, ...], tuple[tuple[object, ...], GroupRules, GroupRules]] = {}
        self._cells: dict[Services, dict[tuple[int, int], Outcome]] = {}
        self._pairs: dict[tuple[object, ...], Outcome] = {}

    def cell(
        self, source: Endpoint, destination: Endpoint, services: Services | None = None
    ) -> Verdict:
        """The verdict of `reach_endpoints` for the pair, with its ports, without its paths."""
        return next(self.each([(source, destination)], services))

    def each(
        self, pairs: Iterable[tuple[Endpoint, Endpoint]], services: Services | None = None
    ) -> Iterator[Verdict]:
        """`cell` for every pair, in order."""
        wanted = Services.every() if services is None else services
        given = services is not None
        known = self._cells.setdefault(wanted, {})
        shapes: dict[tuple[int, str], Verdict] = {}  # by the ports' identity: kept alive here
        last, src = None, None
        for source, destination in pairs:
            if source is not last:
                last, src = source, self._side(source)
            assert src is not None
            found = self._outcome(src, self._side(destination), wanted, known)
            shape = shapes.get((id(found[0]), found[1]))
            if shape is None:
                shape = _verdict(source.name, destination.name, wanted, given, found)
                shapes[id(found[0]), found[1]] = shape
            yield _named(shape, source.name, destination.name)

    def _outcome(
        self, src: _Side, dst: _Side, wanted: Services, known: dict[tuple[int, int], Outcome]
    ) -> Outcome:
        if src.secondary or dst.secondary or not src.lone.isdisjoint(dst.lone):
            return self._exact(src.endpoint, dst.endpoint, wanted)
        if not (src.refs_out.isdisjoint(dst.groups) and dst.refs_in.isdisjoint(src.groups)):
            return self._by_placement(src, dst, wanted)
        found = known.get((src.plain, dst.plain))
        if found is None:
            found = known[src.plain, dst.plain] = self._by_class(src, dst, wanted)
        return found

    def _exact(self, source: Endpoint, destination: Endpoint, wanted: Services) -> Outcome:
        """Instances of several interfaces, or an interface on both ends: every path, as
        `reach_endpoints` classifies them."""
        exact = reach_endpoints(self.net, source, destination, wanted)
        return exact.reachable, exact.verdict

    def _by_class(self, src: _Side, dst: _Side, wanted: Services) -> Outcome:
        """No rule of one end names a group of the other: those rules match nothing."""
        return _combine(
            self._pair((s.behaviour, d.behaviour, s_net == d_net, (), ()), s, d, wanted)
            for s_net, s in src.distinct
            for d_net, d in dst.distinct
        )

    def _by_placement(self, src: _Side, dst: _Side, wanted: Services) -> Outcome:
        """Some rule names a group of the other end: each pair with what those rules admit."""
        return _combine(
            self._pair(
                (
                    s.behaviour,
                    d.behaviour,
                    s.placement.subnet_id == d.placement.subnet_id,
                    _matching(s.out, d.placement),
                    _matching(d.into, s.placement),
                ),
                s,
                d,
                wanted,
            )
            for s in src.ends
            for d in dst.ends
        )

    def _pair(self, key: tuple[object, ...], s: _End, d: _End, wanted: Services) -> Outcome:
        """One placement pair's outcome, proved once for every pair with the same key."""
        found = self._pairs.get((*key, wanted))
        if found is None:
            path = evaluate_pair(self.net, s.placement, d.placement, wanted)
            found = self._pairs[(*key, wanted)] = (path.allowed, path.verdict)
        return found

    def _side(self, endpoint: Endpoint) -> _Side:
        found = self._sides.get(id(endpoint))
        if found is None or found.endpoint is not endpoint:
            found = self._sides[id(endpoint)] = self._make_side(endpoint)
        return found

    def _make_side(self, endpoint: Endpoint) -> _Side:
        ends = tuple(self._end(p) for p in endpoint.placements)
        distinct = {(e.behaviour, e.placement.subnet_id): e for e in reversed(ends)}
        plain = self._plain.setdefault(frozenset(distinct), len(self._plain))
        return _Side(
            endpoint=endpoint,
            ends=ends,
            distinct=tuple((subnet, e) for (_, subnet), e in distinct.items()),
            plain=plain,
            groups=frozenset(g for p in endpoint.placements for g in p.group_ids),
            refs_out=frozenset(g for e in ends for g, _ in e.out),
            refs_in=frozenset(g for e in ends for g, _ in e.into),
            lone=frozenset(p.members[0] for p in endpoint.placements if len(p.members) == 1),
            secondary=any(p.secondary for p in endpoint.placements),
        )

    def _end(self, p: Placement) -> _End:
        key = p.key()
        found = self._ends.get(key)
        if found is None:
            found = self._ends[key] = self._behaviour(p)
        return _End(placement=p, behaviour=found[0], out=found[1], into=found[2])

    def _behaviour(self, p: Placement) -> tuple[tuple[object, ...], GroupRules, GroupRules]:
        """What decides a placement's behaviour, and its rules whose peer is a group."""
        out_plain, out = self._rules(p.group_ids, egress=True)
        in_plain, into = self._rules(p.group_ids, egress=False)
        subnet = self._subnets.get(p.subnet_id)
        if subnet is None:
            subnet = self._subnets[p.subnet_id] = subnet_class(self.net, p.subnet_id)
        behaviour = (
            *(p.kind, subnet, p.allow_all, p.public, p.ephemeral, p.ipv6, p.balancer),
            *(bool(p.group_ids), out_plain, in_plain),
        )
        return behaviour, out, into

    def _rules(
        self, group_ids: tuple[str, ...], *, egress: bool
    ) -> tuple[tuple[tuple[Services, Peer], ...], GroupRules]:
        """The groups' rules in one direction, in order: those whose peer is not a group
        (what they admit, and whom), and those whose peer is."""
        plain: list[tuple[Services, Peer]] = []
        named: list[tuple[str, Services]] = []
        for group_id in group_ids:
            group = self.net.group(group_id)
            for rule in (group.egress if egress else group.ingress) if group else ():
                services = Services.of(rule.protocol, rule.ports)
                if rule.peer.kind == "group":
                    named.append((rule.peer.value, services))
                else:
                    plain.append((services, rule.peer))
        return tuple(plain), tuple(named)


def _matching(rules: GroupRules, other: Placement) -> tuple[Services, ...]:
    """What the rules naming a group of `other` admit (a group rule never matches the internet:
    hops._peer_matches)."""
    if other.is_internet:
        return ()
    return tuple(services for group, services in rules if group in other.group_ids)


def _named(shape: Verdict, source: str, destination: str) -> Verdict:
    """A copy of a cell's verdict for another pair of ends. A matrix makes a verdict per cell
    (over 140,000 on a wide model) from a handful of shapes; copying the shape's fields is
    several times cheaper than a frozen dataclass's __init__, which sets each field in turn."""
    if shape.source == source and shape.destination == destination:
        return shape
    copy = object.__new__(Verdict)
    copy.__dict__.update(shape.__dict__, source=source, destination=destination)
    return copy


def _verdict(
    source: str, destination: str, wanted: Services, given: bool, outcome: Outcome
) -> Verdict:
    return Verdict(
        verdict=outcome[1],
        source=source,
        destination=destination,
        query=wanted,
        port_given=given,
        reachable=outcome[0],
        paths=(),
    )


def subnet_class(net: Network, subnet_id: str) -> object:
    """What decides how a subnet's routes, ACL and addresses treat a packet (module docstring)."""
    arch = net.arch
    if not subnet_id:
        return "internet"
    subnet = arch.subnet(subnet_id)
    v4 = net.subnet_atoms(subnet_id)
    both = net.subnet_atoms(subnet_id, ipv6=True)
    if arch.vpc_peerings or len(v4) != 1 or len(both) != (2 if subnet.ipv6_cidr else 1):
        return ("subnet", subnet_id)
    table = arch.route_table_of(subnet_id)
    acl = arch.network_acl_of(subnet_id)
    # A NAT gateway the subnet routes to and that sits in the subnet itself is met without
    # crossing the subnet's ACL (paths._through_nat); a NAT it hosts for others changes nothing.
    routed = {r.target_id for r in table.routes if r.target == "nat-gateway"} if table else set()
    nats = tuple(n.id for n in arch.nat_gateways if n.subnet_id == subnet_id and n.id in routed)
    return (
        "class",
        subnet.vpc_id,
        table.routes if table else None,
        acl.entries if acl else None,
        nats,
        tuple(_containing(net, atom) for atom in both),
    )


def _containing(net: Network, atom: Interval) -> tuple[str, ...]:
    return tuple(c for c in decision_cidrs(net) if contains(c, atom))


def decision_cidrs(net: Network) -> tuple[str, ...]:
    """Every CIDR a hop compares an address with (subnet blocks only make atoms)."""

    def compute() -> tuple[str, ...]:
        arch = net.arch
        cidrs = [c for v in arch.vpcs for c in (v.cidr, *v.ipv6_cidrs)]
        cidrs += [r.destination for t in arch.route_tables for r in t.routes]
        cidrs += [e.cidr for a in arch.network_acls for e in a.entries]
        for group in arch.security_groups:
            for rule in group.ingress + group.egress:
                if rule.peer.kind == "cidr":
                    cidrs.append(rule.peer.value)
                cidrs += rule.peer.entries or ()
        return tuple(sorted(set(cidrs)))

    return net.remember(("decision-cidrs",), compute)


def _combine(outcomes: Iterable[Outcome]) -> Outcome:
    """Every placement pair must hold (verdict.classify without secondary interfaces)."""
    allowed, verdicts = Services.none(), []
    for got, verdict in outcomes:
        allowed |= got
        verdicts.append(verdict)
    return allowed, all_of(verdicts)
