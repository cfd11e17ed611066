"""Verdicts: what is reachable, by which path, and what blocks the rest.

`to_json` is a stable contract; `format_text` reads like a traceroute, one numbered line per hop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import field
from itertools import product
from typing import Any, Literal

from awsarch.analysis.endpoints import Placement, owner_of
from awsarch.analysis.hops import Hop
from awsarch.analysis.sets import (
    Family,
    IntervalSet,
    Services,
    family,
    family_addresses,
    public_addresses,
    to_cidrs,
)
from awsarch.record import record
from awsarch.words import of_total

VerdictName = Literal["reachable", "partially-reachable", "unreachable", "unknown"]
"""`unknown`: a path meets something awsarch does not model; it claims neither way."""
Rename = Callable[[str], str]
"""Shows the ids in a text with their names (see `format_text`)."""


@record
class PathResult:
    """One placement pair: the traffic that gets through and the hops of a representative path."""

    source: Placement
    destination: Placement
    allowed: Services
    hops: tuple[Hop, ...]
    addresses: IntervalSet = field(default_factory=IntervalSet.empty)
    """For internet flows: the internet addresses for which the traffic gets through."""
    via: Placement | None = None
    """The load balancer node the path goes through (`via` intents); None for a direct path."""

    @property
    def placement(self) -> str:
        if self.via is not None:
            return f"{self.source.label} -> {self.via.label} -> {self.destination.label}"
        return f"{self.source.label} -> {self.destination.label}"

    @property
    def reachable(self) -> bool:
        return not self.allowed.is_empty()

    @property
    def unknown_at(self) -> Hop | None:
        """The hop awsarch could not judge, for a path it could not follow to the end."""
        if self.reachable or not self.hops or self.hops[-1].decision != "unknown":
            return None
        return self.hops[-1]

    @property
    def partial(self) -> bool:
        """Reachable for some connections only: a hop lets part of them through."""
        return self.reachable and any(h.decision == "partial" for h in self.hops)

    @property
    def verdict(self) -> VerdictName:
        if not self.reachable:
            return "unknown" if self.unknown_at is not None else "unreachable"
        return "partially-reachable" if self.partial else "reachable"

    @property
    def families(self) -> tuple[str, ...]:
        """For internet flows: the address families (IPv4, IPv6) over which traffic got through."""
        return tuple(sorted({family(first) for first, _ in self.addresses.intervals}))

    @property
    def blocked_by(self) -> Hop | None:
        """The first hop that blocks, for an unreachable pair."""
        if self.reachable or not self.hops or self.hops[-1].decision != "deny":
            return None
        return self.hops[-1]


@record
class Verdict:
    """What reaches from a source to a destination, pair by pair."""

    verdict: VerdictName
    source: str
    destination: str
    query: Services
    """The traffic asked about (every protocol and port when no port was given)."""
    port_given: bool
    reachable: Services
    """The traffic that gets through for at least one placement pair."""
    paths: tuple[PathResult, ...]
    via: str = ""
    """The load balancer the traffic goes through (`via` intents); "" for direct traffic."""

    @property
    def blocked(self) -> tuple[PathResult, ...]:
        return tuple(p for p in self.paths if not p.reachable)


def classify(paths: tuple[PathResult, ...]) -> VerdictName:
    """`unknown` as soon as one pair of ends is: no `reachable` or `unreachable` claim rests
    on a guess. An instance is reachable when some interface is (`alternatives`)."""
    if not _with_secondary(paths):
        return all_of([p.verdict for p in paths])
    return all_of(
        [_any_of([all_of([p.verdict for p in w]) for w in ways]) for ways in alternatives(paths)]
    )


def _with_secondary(paths: tuple[PathResult, ...]) -> bool:
    """Some end is an instance's secondary interface: only then are paths alternatives."""
    return any(p.source.secondary or p.destination.secondary for p in paths)


Ways = tuple[tuple[PathResult, ...], ...]
"""The ways one end reaches another; each way is the paths that must all hold (a database's
primary and standby subnets, a tier's subnets)."""


def alternatives(paths: tuple[PathResult, ...]) -> tuple[Ways, ...]:
    """The paths grouped by the pair of ends they join (instances, databases, tiers): an
    instance with several network interfaces reaches, or is reached, through any one of them
    (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html), so its interfaces'
    paths are alternatives. Without such an instance every path is a pair of its own."""
    if not _with_secondary(paths):
        return tuple(((p,),) for p in paths)
    sources = _owners(p.source for p in paths)
    targets = _owners(p.destination for p in paths)
    several_s = {o for o, members in sources.items() if len(members) > 1}
    several_d = {o for o, members in targets.items() if len(members) > 1}
    if not several_s and not several_d:
        return tuple(((p,),) for p in paths)
    single_s = _with_single_end((p.source for p in paths), several_s)
    single_d = _with_single_end((p.destination for p in paths), several_d)
    found: list[Ways] = [
        ((p,),) for p in paths if id(p.source) in single_s and id(p.destination) in single_d
    ]
    index = {(id(p.source), id(p.destination)): n for n, p in enumerate(paths)}
    for s_shape, s_owners in _by_shape(sources).items():
        for d_shape, d_owners in _by_shape(targets).items():
            if not (several_s & set(s_owners) or several_d & set(d_owners)):
                continue  # single ends on both sides: their paths are above
            if len(s_owners) == 1 and s_owners == d_owners:
                continue  # an instance talking to itself is no flow
            ways = [
                tuple(paths[n] for n in sorted(index[k] for k in product(sp, dp) if k in index))
                for sp in s_shape
                for dp in d_shape
            ]
            if any(ways):
                found.append(tuple(w for w in ways if w))
    return tuple(found)


def _with_single_end(placements: Iterable[Placement], several: set[str]) -> set[int]:
    """The placements (by identity) holding some end that is not an instance of several
    interfaces: a path between two such placements is a pair of its own."""
    distinct = {id(p): p for p in placements}
    return {
        key
        for key, placement in distinct.items()
        if any(owner_of(m) not in several for m in placement.members)
    }


Shape = frozenset[frozenset[int]]
"""For one end: the placements each of its members sits in (a member per interface)."""


def _owners(placements: Iterable[Placement]) -> dict[str, dict[str, set[int]]]:
    """owner → member → the placements (by identity) that member sits in."""
    found: dict[str, dict[str, set[int]]] = {}
    distinct = {id(p): p for p in placements}  # a class meets every class of the other end
    for key, placement in distinct.items():
        for member in placement.members:
            found.setdefault(owner_of(member), {}).setdefault(member, set()).add(key)
    return found


def _by_shape(owners: dict[str, dict[str, set[int]]]) -> dict[Shape, list[str]]:
    """Owners whose members sit in the same placements have the same ways to every other end:
    each shape is worked out once, however many instances share it."""
    found: dict[Shape, list[str]] = {}
    for owner, members in owners.items():
        found.setdefault(frozenset(frozenset(m) for m in members.values()), []).append(owner)
    return found


def all_of(verdicts: list[VerdictName]) -> VerdictName:
    """Every one must hold: unknown if one is, reachable if all are, partial if one passes."""
    if "unknown" in verdicts:
        return "unknown"
    if verdicts and all(v == "reachable" for v in verdicts):
        return "reachable"
    passing = any(v in ("reachable", "partially-reachable") for v in verdicts)
    return "partially-reachable" if passing else "unreachable"


def _any_of(verdicts: list[VerdictName]) -> VerdictName:
    """One is enough: reachable if one is; else unknown if one is (it may be reachable)."""
    order: tuple[VerdictName, ...] = ("reachable", "unknown", "partially-reachable")
    for wanted in order:
        if wanted in verdicts:
            return wanted
    return "unreachable"


def _hop_json(hop: Hop) -> dict[str, str]:
    return {
        "resource": hop.resource,
        "kind": hop.kind,
        "decision": hop.decision,
        "reason": hop.reason,
    }


def to_json(verdict: Verdict) -> dict[str, Any]:
    """The stable JSON form of a verdict."""
    blocked = []
    for path in verdict.blocked:
        hop = path.blocked_by
        if hop is not None:
            blocked.append({"placement": path.placement, **_hop_json(hop), "fix": hop.fix})
    through = {"via": verdict.via} if verdict.via else {}
    return {
        "verdict": verdict.verdict,
        "source": verdict.source,
        "destination": verdict.destination,
        **through,
        "ports": verdict.reachable.to_text(),
        "paths": [
            {
                "placement": p.placement,
                "verdict": p.verdict,
                "families": list(p.families),
                "hops": [_hop_json(h) for h in p.hops],
            }
            for p in verdict.paths
        ],
        "blocked_by": blocked,
        "unknown_at": [
            {"placement": p.placement, **_hop_json(hop)}
            for p in verdict.paths
            if (hop := p.unknown_at) is not None
        ],
    }


def _via(verdict: Verdict) -> str:
    return f" via {verdict.via}" if verdict.via else ""


def _asked(verdict: Verdict) -> str:
    """`tcp/22`; every port of a protocol reads as the whole question does: `udp, any port`
    beside `any port` (never `udp/all`), and `icmp, any type`."""
    if not verdict.port_given or verdict.query.to_text() == ["all"]:
        return "any port"
    return "; ".join(_one_asked(text) for text in verdict.query.to_text())


def _one_asked(text: str) -> str:
    """`udp, any port`; ICMP has types, not ports: `icmp, any type`."""
    if text == "icmp":
        return "icmp, any type"
    return f"{text.removesuffix('/all')}, any port" if text.endswith("/all") else text


def format_text(verdict: Verdict, name: Rename | None = None) -> str:
    """A traceroute for people: a headline, then each placement pair hop by hop.

    `name` shows the ids in a text with their names (live reach: `web (sg-0abc…)`); without it
    the text is the ids alone."""
    passing = sum(1 for p in verdict.paths if p.reachable)
    show = name or _same
    lines = [
        f"{show(verdict.source)} -> {show(verdict.destination)}{_via(verdict)}"
        f" ({_asked(verdict)}): {verdict.verdict}"
        f" ({of_total(passing, len(verdict.paths), 'placement')})",
    ]
    if verdict.reachable:
        lines.append(f"  reachable: {verdict.reachable}")
    for path in verdict.paths:
        lines.append("")
        lines.extend(_path_lines(path, name))
    return "\n".join(lines)


def _same(text: str) -> str:
    return text


def _placement_text(path: PathResult, name: Rename | None) -> str:
    """`i-0abc (subnet-1) -> …`, or with names `web-1 (i-0abc) in public-a (subnet-1) -> …`."""
    if name is None:
        return path.placement
    ends = (path.source, path.via, path.destination)
    return " -> ".join(_placed(p, name) for p in ends if p is not None)


def _placed(placement: Placement, name: Rename) -> str:
    if placement.is_internet:
        return placement.label
    members = ", ".join(name(m) for m in placement.members)
    return f"{members} in {name(placement.subnet_id)}"


def addresses_text(addrs: IntervalSet, *, limit: int = 4) -> str:
    """A short description of an address set, per family (so it says whether IPv4, IPv6 or
    both got through): its CIDRs, or every public address of the family except a few."""
    parts = []
    for name in ("IPv4", "IPv6"):
        universe = family_addresses(name)
        if addrs & universe:
            parts.append(_family_text(name, addrs & universe, public_addresses() & universe, limit))
    return "; ".join(parts)


def _family_text(name: Family, addrs: IntervalSet, public: IntervalSet, limit: int) -> str:
    shown = to_cidrs(addrs)
    missing = to_cidrs(public - addrs)
    if len(missing) < len(shown):
        every = f"every public {name} address"
        if not missing:
            return every
        return f"{every} except " + ", ".join(missing[:limit]) + _more(missing, limit)
    return ", ".join(shown[:limit]) + _more(shown, limit)


def _more(items: list[str], limit: int) -> str:
    return f" (+{len(items) - limit} more)" if len(items) > limit else ""


def _path_lines(path: PathResult, name: Rename | None = None) -> list[str]:
    show = name or _same
    head = f"{_placement_text(path, name)}: {path.verdict}"
    if path.reachable:
        head += f" on {path.allowed}"
    lines = [head]
    if path.addresses and path.reachable:
        lines.append(f"  internet addresses: {addresses_text(path.addresses)}")
    resources = [show(h.resource) for h in path.hops]
    width = max((len(r) for r in resources), default=0)
    for number, (hop, shown) in enumerate(zip(path.hops, resources, strict=True), start=1):
        resource = shown.ljust(width)
        reason = show(hop.reason)
        lines.append(f"  {number:>2}  {hop.decision:<5}  {resource}  {hop.kind:<22}  {reason}")
    if path.unknown_at is not None:
        lines.append(
            f"      not known past {show(path.unknown_at.resource)}: not modelled by awsarch"
        )
    blocker = path.blocked_by
    if blocker is not None and blocker.fix:
        lines.append(f"      blocked by {show(blocker.resource)}: to allow it, {show(blocker.fix)}")
    for hop in path.hops:
        if hop.decision == "partial" and hop.fix:
            lines.append(
                f"      partly blocked by {show(hop.resource)}: for every connection,"
                f" {show(hop.fix)}"
            )
    return lines
