"""Intents: one-line claims about reachability, parsed and proved.

    internet -> web:443          reachable on tcp/443 for every placement pair
    web -> main:3306/tcp         the same, protocol spelled out (tcp when left out)
    private -> internet:443
    internet -/-> main           unreachable on every protocol and port
    internet -/-> main:3306      unreachable on tcp/3306
    internet -> app:8080 via front   through the load balancer `front` (see through.py)

`->` holds when the verdict is `reachable` (every placement pair passes the asked traffic; with no
port, some traffic). `-/->` holds when no placement pair passes the asked traffic (with no port:
no protocol and no port at all).
"""

from __future__ import annotations

import re
from typing import Literal

from awsarch.analysis.endpoints import resolve
from awsarch.analysis.network import Network
from awsarch.analysis.reach import reach_endpoints
from awsarch.analysis.sets import PROTOCOLS, Services
from awsarch.analysis.through import reach_through
from awsarch.analysis.verdict import PathResult, Verdict, alternatives
from awsarch.errors import InputError
from awsarch.model import Architecture, PortRange
from awsarch.record import record

Expect = Literal["reachable", "unreachable"]
ARROWS: dict[str, Expect] = {"-/->": "unreachable", "->": "reachable"}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]*\Z")
_VIA = re.compile(r"\s+via(?:\s+|\Z)")
_PORTS = re.compile(r"(?P<first>\d+)(?:-(?P<last>\d+))?(?:/(?P<protocol>[a-z]+))?\Z")


class IntentError(InputError):
    """An intent line cannot be parsed; `line` and `column` (1-based) say where."""


@record
class Intent:
    """A network intent: who should (or should not) reach what, on which ports."""

    source: str
    destination: str
    expect: Expect
    services: Services | None
    """The traffic the intent is about; None means every protocol and port."""
    text: str
    line: int = 0
    via: str = ""
    """The load balancer the traffic goes through; "" for direct traffic."""


@record
class IntentResult:
    """An intent and its verdict: holds or not, with a counterexample."""

    intent: Intent
    holds: bool
    verdict: Verdict
    counterexample: PathResult | None
    """A placement pair that breaks the intent, with its hops; None when the intent holds."""


def _fail(message: str, line: int, column: int) -> IntentError:
    return IntentError(message, line=line, column=column)


def parse_intent(text: str, *, line: int = 0) -> Intent:
    """Parse `SOURCE -> DEST[:PORT[-LAST][/PROTOCOL]] [via LB]` or with `-/->`; IntentError if
    malformed."""
    arrow = next((a for a in ARROWS if a in text), None)
    if arrow is None:
        raise _fail(
            f"no arrow in {text.strip()!r} — write 'SOURCE -> DEST:PORT' or 'SOURCE -/-> DEST'",
            line,
            1,
        )
    at = text.index(arrow)
    source, target = text[:at].strip(), text[at + len(arrow) :]
    target, via = _split_via(target, at + len(arrow), line, text)
    _check_name(source, "source", line, (len(text) - len(text.lstrip()) + 1) if source else 1, text)
    start = at + len(arrow) + len(target) - len(target.lstrip())
    destination, colon, ports = target.strip().partition(":")
    where = start + 1 if destination else at + len(arrow) + 1
    _check_name(destination.strip(), "destination", line, where, text)
    services = None
    if colon:
        port_column = start + len(destination) + 2
        if not ports.strip():
            raise _fail(
                "a ':' must be followed by a port — write one, e.g. 'web:443'",
                line,
                port_column - 1,
            )
        services = _parse_ports(ports.strip(), line, port_column)
    return Intent(
        source=source,
        destination=destination.strip(),
        expect=ARROWS[arrow],
        services=services,
        text=text.strip(),
        line=line,
        via=via,
    )


def _split_via(target: str, start: int, line: int, text: str) -> tuple[str, str]:
    """`app:8080 via front` → (`app:8080`, `front`); no `via`: (target, "")."""
    found = _VIA.search(target)
    if found is None:
        return target, ""
    via = target[found.end() :].strip()
    role = "load balancer after 'via'"
    _check_name(via, role, line, start + found.end() + 1, text)
    return target[: found.start()], via


def _check_name(name: str, role: str, line: int, column: int, text: str) -> None:
    if not name:
        raise _fail(
            f"missing {role} in {text.strip()!r} — write one, e.g. 'internet -> web:443'",
            line,
            column,
        )
    if not _NAME.match(name):
        raise _fail(
            f"bad {role} {name!r} — use an endpoint name such as internet, web, main or sg/web",
            line,
            column,
        )


def icmp_types(first: int, last: int) -> PortRange:
    """ICMP types first..last, every code of each."""
    return PortRange(first=PortRange.icmp(first).first, last=PortRange.icmp(last).last)


def _parse_ports(text: str, line: int, column: int) -> Services:
    found = _PORTS.match(text)
    if found is None:
        raise _fail(
            f"bad port {text!r} — write a port (443), a range (3300-3310), "
            "optionally with a protocol (3306/tcp, 53/udp)",
            line,
            column,
        )
    protocol = found["protocol"] or "tcp"
    if protocol not in PROTOCOLS:
        raise _fail(f"unknown protocol {protocol!r} — use tcp, udp or icmp", line, column)
    first = int(found["first"])
    last = int(found["last"]) if found["last"] else first
    limit = 255 if protocol == "icmp" else 65535
    if first > last or last > limit:
        raise _fail(
            f"bad port range {first}-{last} — write ports from 0 to {limit}, the first no larger"
            " than the last",
            line,
            column,
        )
    if protocol == "icmp":  # ICMP types, any code
        return Services.of(protocol, icmp_types(first, last))
    return Services.of(protocol, PortRange(first=first, last=last))


def parse_intents(text: str) -> list[Intent]:
    """Every intent of a file: one a line; blank lines and `#` comments are skipped."""
    found = []
    for number, raw in enumerate(text.splitlines(), start=1):
        body = raw.split("#", 1)[0]
        if body.strip():
            found.append(parse_intent(body, line=number))
    return found


def prove(arch: Architecture, intent: Intent, network: Network | None = None) -> IntentResult:
    """Does the intent hold on this architecture? A failing intent carries a counterexample.

    Raises UnknownEndpointError (an InputError) when an endpoint name is unknown.
    """
    net = network or Network(arch)
    source, destination = resolve(arch, intent.source), resolve(arch, intent.destination)
    if intent.via:
        verdict = reach_through(net, source, destination, intent.via, intent.services)
    else:
        verdict = reach_endpoints(net, source, destination, intent.services)
    if intent.expect == "reachable":
        breaking = _unproved(verdict, intent.services)
        holds = bool(verdict.paths) and not breaking
    else:  # an unknown path may carry the traffic: the promise is not proved
        breaking = [p for p in verdict.paths if p.reachable or p.unknown_at is not None]
        holds = not breaking
    return IntentResult(
        intent=intent,
        holds=holds,
        verdict=verdict,
        counterexample=breaking[0] if breaking else None,
    )


def _unproved(verdict: Verdict, services: Services | None) -> list[PathResult]:
    """The failing paths of every pair of ends with no way through: one interface of an
    instance that passes is enough for that instance (`alternatives`)."""
    found: dict[int, PathResult] = {}
    for ways in alternatives(verdict.paths):
        if not any(all(_passes(p, services) for p in way) for way in ways):
            found |= {id(p): p for way in ways for p in way if not _passes(p, services)}
    return list(found.values())


def _passes(path: PathResult, services: Services | None) -> bool:
    """Every connection gets through: a path that works only for some client ports does not."""
    if path.partial:
        return False
    if services is None:
        return path.reachable
    return path.allowed.covers(services)
