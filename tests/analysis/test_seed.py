"""The seed blueprint's promises, proved: the site is public, the database is not."""

from __future__ import annotations

import pytest

from awsarch.analysis import (
    UnknownEndpointError,
    format_text,
    parse_intent,
    prove,
    reach,
    resolve,
    to_json,
)

from .build import seed, tcp


def test_internet_reaches_web_on_443() -> None:
    """`internet -> web:443` holds for every web server."""
    result = prove(seed(), parse_intent("internet -> web:443"))
    assert result.holds and result.counterexample is None
    assert result.verdict.verdict == "reachable"
    assert len(result.verdict.paths) == 2


def test_internet_never_reaches_the_database() -> None:
    """`internet -/-> main` holds on every port, and names the first hop that blocks."""
    result = prove(seed(), parse_intent("internet -/-> main"))
    assert result.holds
    document = to_json(result.verdict)
    assert document["verdict"] == "unreachable" and document["ports"] == []
    assert len(document["blocked_by"]) == 2
    assert {b["resource"] for b in document["blocked_by"]} == {"db/main"}
    assert {b["kind"] for b in document["blocked_by"]} == {"public-address"}


def test_web_reaches_database_in_both_placements() -> None:
    """`web -> main:3306` holds from each web server to the primary and the standby subnet."""
    result = prove(seed(), parse_intent("web -> main:3306"))
    assert result.holds
    placements = {p.destination.subnet_id for p in result.verdict.paths}
    assert placements == {"subnet/private-a", "subnet/private-b"}
    assert all(
        p.hops[4].reason.startswith("sg/db-main ingress tcp/3306 from sg/web")
        for p in result.verdict.paths
    )


def test_private_tier_reaches_internet_through_nat() -> None:
    """`private -> internet:443` holds, and the path goes through the NAT gateway."""
    result = prove(seed(), parse_intent("private -> internet:443"))
    assert result.holds
    for path in result.verdict.paths:
        assert "nat/a" in [h.resource for h in path.hops]


def test_web_reaches_database_only_on_its_port() -> None:
    """With no port asked, the answer is the set that gets through: tcp/3306 only."""
    verdict = reach(seed(), "web", "main")
    assert verdict.reachable.to_text() == ["tcp/3306"]


def test_failed_intent_carries_a_counterexample() -> None:
    """A false claim comes back with the path that disproves it."""
    result = prove(seed(), parse_intent("internet -/-> web"))
    assert not result.holds
    assert result.counterexample is not None and result.counterexample.reachable
    result = prove(seed(), parse_intent("internet -> main:3306"))
    assert not result.holds
    assert result.counterexample is not None
    assert result.counterexample.blocked_by is not None


def test_json_contract_is_exact() -> None:
    """The JSON verdict has exactly the documented keys at every level."""
    document = to_json(reach(seed(), "internet", "web", tcp(443)))
    assert list(document) == [
        "verdict",
        "source",
        "destination",
        "ports",
        "paths",
        "blocked_by",
        "unknown_at",
    ]
    assert document["ports"] == ["tcp/443"]
    path = document["paths"][0]
    assert list(path) == ["placement", "verdict", "families", "hops"]
    assert path["families"] == ["IPv4"]
    assert list(path["hops"][0]) == ["resource", "kind", "decision", "reason"]
    assert {h["decision"] for h in path["hops"]} == {"allow"}


def test_text_reads_like_a_traceroute() -> None:
    """The text form numbers each hop and ends a blocked path with the fix."""
    text = format_text(reach(seed(), "internet", "main", tcp(3306)))
    assert text.splitlines()[0] == "internet -> main (tcp/3306): unreachable (0 of 2 placements)"
    assert "   1  deny   db/main" in text
    assert "blocked by db/main: to allow it, set publicly_accessible" in text


def test_endpoints_by_security_group_and_tier() -> None:
    """`sg/web`, the group's name and a tier all resolve to placements."""
    assert reach(seed(), "sg/web", "sg/db-main", tcp(3306)).verdict == "reachable"
    assert reach(seed(), "public", "main", tcp(3306)).verdict == "unreachable"
    assert len(resolve(seed(), "public").placements) == 2


def test_unknown_endpoint_lists_the_known_ones() -> None:
    """A typo is an input error naming every endpoint that exists."""
    with pytest.raises(UnknownEndpointError) as caught:
        reach(seed(), "internet", "wbe")
    assert "'wbe'" in str(caught.value)
    for name in ("internet", "public", "private", "web", "main", "sg/db-main"):
        assert name in str(caught.value)
    assert "did you mean 'web'?" in str(caught.value)


def test_an_instance_is_named_bare_as_on_the_live_account() -> None:
    """`web-1` is the instance `instance/web-1`, as `--to web-1` names it live."""
    bare = reach(seed(), "internet", "web-1", tcp(443))
    assert bare.verdict == "reachable" and len(bare.paths) == 1
    qualified = reach(seed(), "internet", "instance/web-1", tcp(443))
    assert [p.verdict for p in bare.paths] == [p.verdict for p in qualified.paths]
    with pytest.raises(UnknownEndpointError, match="did you mean 'web-1'"):
        reach(seed(), "internet", "wbe-1")
