"""The diagram's arrows coloured by promise: an arrow that breaks an intent is drawn red.

Pure. Colour means "this keeps or breaks what the blueprint promises", not "this is reachable":
a proved `internet -/-> web:22` draws nothing red, while an SSH hole that breaks it turns the
internet → web arrow red. A failed `->` intent (traffic that should get through and does not)
gets a red arrow of its own between its ends, labelled with what is blocked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from awsarch.analysis import parse_intent
from awsarch.analysis import resolve as resolve_endpoint
from awsarch.errors import InputError
from awsarch.model import Architecture
from awsarch.render.flow import EVERY_PORT, INTERNET, Flow
from awsarch.render.proved_flows import ports_label
from awsarch.usecases.proofs import IntentProof

__all__ = ["promise_flows"]


def promise_flows(
    arch: Architecture, flows: Sequence[Flow], proofs: Iterable[IntentProof]
) -> list[Flow]:
    """The flows, those a failed network intent forbids marked broken, plus a broken arrow for
    each failed intent whose traffic should get through and is drawn nowhere."""
    out = list(flows)
    for proof in proofs:
        if proof.kind != "network" or proof.holds:
            continue
        ends = _ends(arch, proof.text)
        if ends is None:
            continue
        sources, destinations, expect, ports = ends
        pairs = [(a, b) for a in sources for b in destinations if a != b]
        if expect == "unreachable":
            out = [_broken(f) if (f.source_id, f.destination_id) in pairs else f for f in out]
            drawn = {(f.source_id, f.destination_id) for f in out}
            out += [_new(a, b, ports) for a, b in pairs if (a, b) not in drawn]
        else:
            out += [_new(a, b, f"{ports} blocked") for a, b in pairs]
    return out


def _broken(flow: Flow) -> Flow:
    return replace(flow, broken=True)


def _new(source: str, destination: str, label: str) -> Flow:
    return Flow(source_id=source, destination_id=destination, label=label, broken=True)


def _ends(arch: Architecture, text: str) -> tuple[list[str], list[str], str, str] | None:
    """The drawn ids at each end of a network intent, what it expects, and its ports' text."""
    try:
        intent = parse_intent(text)
        if intent.via:
            return None
        sources = _drawn(arch, intent.source)
        destinations = _drawn(arch, intent.destination)
    except InputError:
        return None
    ports = ports_label(intent.services) if intent.services else EVERY_PORT
    return sources, destinations, intent.expect, ports


def _drawn(arch: Architecture, name: str) -> list[str]:
    """What an endpoint stands for among the diagram's boxes: instances, databases, load
    balancers, or the internet; tiers and subnets have no single box to point at."""
    endpoint = resolve_endpoint(arch, name)
    found: list[str] = []
    for placement in endpoint.placements:
        for member in placement.members:
            known = member == INTERNET or arch.find(member) is not None
            if known and member not in found:
                found.append(member)
    return found
