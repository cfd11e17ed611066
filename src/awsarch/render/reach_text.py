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
from dataclasses import dataclass

from awsarch.analysis import Endpoint, Network, parse_intent, prove, resolve
from awsarch.analysis.intents import Intent
from awsarch.analysis.matrix import Matrix, Standing
from awsarch.analysis.sets import Services
from awsarch.analysis.verdict import PathResult, Rename, Verdict
from awsarch.errors import InputError
from awsarch.model import Architecture

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


@dataclass(frozen=True, kw_only=True)
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
    by_cell: dict[tuple[str, str], list[Promise]] = {}
    for intent in _direct(intents):
        ends = _ends(net.arch, intent)
        if ends is None:
            continue
        sources = [e.name for e in m.endpoints if _same(e, ends[0])]
        destinations = [e.name for e in m.endpoints if _same(e, ends[1])]
        holds = prove(net.arch, intent, net).holds
        for cell in ((s, d) for s in sources for d in destinations if s != d):
            by_cell.setdefault(cell, []).append(Promise(intent=intent, holds=holds))
    return {cell: standing(found) for cell, found in by_cell.items()}


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
    return bare[0] if len(bare) == 1 else name
