"""What `reach` text says beyond the verdict: the blueprint's promises about a pair, and names.

Pure. Colour in `reach` means the promise, as in the pictures (promise_flows.py): traffic a
blueprint intent forbids that gets through, or traffic it promises that does not, is a broken
promise; traffic an intent promises, or blocks, as it says is a kept one; traffic no intent is
about is neither. On a live model, ids the stack owns are shown with their blueprint names
(`web (sg-0abc…)`, from the `awsarch:name` tag); unowned ids stay bare.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from awsarch.analysis import (
    Cells,
    Endpoint,
    Network,
    Placement,
    parse_intent,
    prove,
    resolve,
)
from awsarch.analysis.endpoints import UnknownEndpointError, known_names, unknown_endpoint
from awsarch.analysis.intents import Intent
from awsarch.analysis.matrix import Matrix, Standing
from awsarch.analysis.sets import Services
from awsarch.analysis.verdict import PathResult, Rename, Verdict
from awsarch.errors import InputError
from awsarch.model import Architecture
from awsarch.record import record

__all__ = [
    "Promise",
    "Standing",
    "id_names",
    "live_endpoint",
    "matrix_promises",
    "path_standing",
    "promises_about",
    "standing",
    "verdict_promises",
]

ENDPOINT_KINDS = ("instance", "sg", "db", "lb")
"""Logical kinds a person may name as an end of a flow (`instance/web-1`, `web-1`)."""


@record
class Promise:
    """A network intent about a pair of ends, and whether it holds there."""

    intent: Intent
    holds: bool

    def about(self, query: Services | None) -> bool:
        """The intent speaks of some of the traffic asked about (None: every protocol, port)."""
        wanted = self.intent.services
        return query is None or wanted is None or not (wanted & query).is_empty()


def _direct(intents: Iterable[str]) -> list[Intent]:
    """The network intents of direct traffic (a `via` intent speaks of the load balancer's
    path, not of the pair's cell); permission intents and unreadable lines are skipped."""
    found = []
    for text in intents:
        try:
            intent = parse_intent(text)
        except InputError:  # a permission intent, or one `check` reports
            continue
        if not intent.via:
            found.append(intent)
    return found


def _ends(arch: Architecture, intent: Intent) -> tuple[Endpoint, Endpoint] | None:
    try:
        return resolve(arch, intent.source), resolve(arch, intent.destination)
    except InputError:  # names something this model lacks (e.g. a blueprint name, live)
        return None


def _same(a: Endpoint, b: Endpoint) -> bool:
    """Two names for the same interfaces (`main` and `db/main`)."""
    return a.placements == b.placements


def promises_about(
    net: Network, intents: Iterable[str], source: Endpoint, destination: Endpoint
) -> list[Promise]:
    """The intents whose ends are these two endpoints, each proved."""
    found = []
    for intent in _direct(intents):
        ends = _ends(net.arch, intent)
        if ends and _same(ends[0], source) and _same(ends[1], destination):
            found.append(Promise(intent=intent, holds=prove(net.arch, intent, net).holds))
    return found


def standing(promises: Iterable[Promise]) -> Standing:
    """Broken when one is broken, kept when some are and none is broken, else none made."""
    found = [p.holds for p in promises]
    if not found:
        return ""
    return "held" if all(found) else "violated"


def matrix_promises(m: Matrix, intents: Sequence[str]) -> dict[tuple[str, str], Standing]:
    """Each cell a direct intent is about: kept or broken (every intent about the pair)."""
    if m.network is None or not intents:
        return {}
    net = m.network
    cells = m.proved or Cells(net)
    by_name = {e.name: e for e in m.endpoints}
    same: dict[tuple[Placement, ...], list[Endpoint]] = {}
    for endpoint in m.endpoints:
        same.setdefault(endpoint.placements, []).append(endpoint)
    by_cell: dict[tuple[str, str], list[Promise]] = {}
    for intent in _direct(intents):
        ends = _matrix_ends(m, by_name, intent)
        if ends is None:
            continue
        sources, destinations = same.get(ends[0].placements), same.get(ends[1].placements)
        if not (sources and destinations):
            continue
        holds = _holds(cells, sources[0], destinations[0], intent)
        for cell in ((s.name, d.name) for s in sources for d in destinations if s is not d):
            by_cell.setdefault(cell, []).append(Promise(intent=intent, holds=holds))
    return {cell: standing(found) for cell, found in by_cell.items()}


def _matrix_ends(
    m: Matrix, by_name: dict[str, Endpoint], intent: Intent
) -> tuple[Endpoint, Endpoint] | None:
    """The intent's ends: the matrix's own endpoints when it names them as the matrix does
    (no second resolution of a server group of many instances), else resolved."""
    source, destination = by_name.get(intent.source), by_name.get(intent.destination)
    if source is not None and destination is not None:
        return source, destination
    assert m.network is not None
    return _ends(m.network.arch, intent)


def _holds(cells: Cells, source: Endpoint, destination: Endpoint, intent: Intent) -> bool:
    """Whether a direct intent holds, as `prove` says, read from the pair's cell where the cell
    decides it: each class of placements is proved once for the whole matrix, not once per
    intent (a wide blueprint has hundreds).

    A cell carries `reach_endpoints`' verdict and ports. `-/->` holds when no path carries the
    traffic and none is `unknown`: the ports are empty and the verdict is not `unknown`. `->`
    holds when every path carries all of the traffic, fully: the verdict is `reachable` (every
    path gets through, none partly), which is "all of it" when the traffic is one port (or any
    traffic at all). With an instance's other interfaces (alternatives), or several ports,
    only the paths decide: `prove`."""
    cell = cells.cell(source, destination, intent.services)
    if intent.expect == "unreachable":
        return cell.reachable.is_empty() and cell.verdict != "unknown"
    wanted = intent.services
    several = wanted is not None and sum(wanted.get(p).size() for p in wanted.protocols()) != 1
    secondary = any(p.secondary for end in (source, destination) for p in end.placements)
    if several or secondary:
        return prove(cells.net.arch, intent, cells.net).holds
    return cell.verdict == "reachable"


def path_standing(path: PathResult, promises: Iterable[Promise]) -> Standing:
    """Whether one placement pair keeps the promises: it breaks a `-/->` when it carries
    (or may carry, `unknown`) the forbidden traffic, and a `->` that fails when it does not
    carry all of it (when the `->` holds, a failing path is an instance's other interface)."""
    kept = broken = False
    for promise in promises:
        wanted = promise.intent.services or Services.every()
        if promise.intent.expect == "unreachable":
            carries = not (path.allowed & wanted).is_empty() or path.unknown_at is not None
            broken, kept = broken or carries, kept or not carries
        elif not path.partial and path.allowed.covers(wanted):
            kept = True
        elif not promise.holds:
            broken = True
    return "violated" if broken else "held" if kept else ""


def verdict_promises(net: Network, intents: Sequence[str], verdict: Verdict) -> list[Promise]:
    """The promises about a verdict's ends that speak of the traffic it asked about."""
    if not intents:
        return []
    arch = net.arch
    ends = resolve(arch, verdict.source), resolve(arch, verdict.destination)
    query = verdict.query if verdict.port_given else None
    return [p for p in promises_about(net, intents, *ends) if p.about(query)]


def id_names(arch: Architecture) -> Rename | None:
    """Shows each id the stack owns with its blueprint name: `web (sg-0abc…)`,
    `public-a (subnet-0abc…)`; None when the model owns nothing under another name."""
    names = {
        aws: logical.partition("/")[2] or logical
        for aws, logical in arch.logical_ids
        if aws != logical
    }
    if not names:
        return None
    ids = "|".join(re.escape(i) for i in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.-])({ids})(?![\w-])")

    def rename(text: str) -> str:
        return pattern.sub(lambda found: f"{names[found[1]]} ({found[1]})", text)

    return rename


def live_endpoint(arch: Architecture, name: str) -> str:
    """An end of a live flow as a person names it: what the live model resolves stays
    (`web`, `main`, `i-0abc…`); a blueprint name of something the stack owns (`instance/web-1`,
    `web-1`, `sg/web`, `db/main`) becomes its AWS id; anything else stays, for `resolve` to
    refuse with the names it knows."""
    try:
        resolve(arch, name)
        return name
    except InputError:
        pass
    by_logical = {logical: aws for aws, logical in arch.logical_ids}
    if name in by_logical:
        return by_logical[name]
    bare = [
        aws
        for logical, aws in by_logical.items()
        if logical.partition("/")[0] in ENDPOINT_KINDS and logical.partition("/")[2] == name
    ]
    if len(bare) == 1:
        return bare[0]
    raise UnknownEndpointError(unknown_endpoint(name, live_names(arch), arch))


def live_names(arch: Architecture) -> list[str]:
    """What a live flow's end may be named: the blueprint's names for what the stack owns
    (`sg/web`, `web-1`), AWS ids for the rest."""
    logical = dict(arch.logical_ids)
    names = [logical.get(known, known) for known in known_names(arch)]
    names += [
        name.partition("/")[2] for _, name in arch.logical_ids if name.startswith("instance/")
    ]
    return list(dict.fromkeys(names))
