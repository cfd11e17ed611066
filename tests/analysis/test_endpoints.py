"""Endpoint names resolve to placements; address sets are tracked per internet address."""

from __future__ import annotations

from dataclasses import replace

from awsarch.analysis import reach, resolve
from awsarch.analysis.sets import addresses
from awsarch.model import Route

from .build import replace_by_id, seed, tcp
from .test_scale import big


def test_tier_and_server_group_with_one_name() -> None:
    """A tier and a server group with one name: the bare name is the servers, `tier/` the tier."""
    arch = big()
    assert resolve(arch, "app").kind == "servers"
    assert resolve(arch, "tier/app").kind == "tier"
    assert resolve(arch, "servers/app").placements == resolve(arch, "app").placements
    assert reach(arch, "app", "orders", tcp(5432)).verdict == "reachable"
    assert reach(arch, "tier/app", "orders", tcp(5432)).verdict == "unreachable"


def test_ids_name_one_resource() -> None:
    """A database id, a group id and an instance id are endpoints too."""
    arch = seed()
    assert resolve(arch, "db/main").placements == resolve(arch, "main").placements
    assert resolve(arch, "instance/web-1").placements[0].members == ("instance/web-1",)
    assert reach(arch, "instance/web-2", "db/main", tcp(3306)).verdict == "reachable"


def test_database_has_one_placement_per_subnet() -> None:
    """Primary and standby subnets are both placements of a Multi-AZ database."""
    subnets = [p.subnet_id for p in resolve(seed(), "main").placements]
    assert subnets == ["subnet/private-a", "subnet/private-b"]


def test_public_database_needs_a_routed_subnet() -> None:
    """publicly_accessible alone gives no public address in a subnet without an internet route."""
    arch = seed()
    public_db = replace(
        arch, databases=replace_by_id(arch.databases, "db/main", publicly_accessible=True)
    )
    verdict = reach(public_db, "internet", "main", tcp(3306))
    assert verdict.verdict == "unreachable"
    assert "has no internet route" in verdict.paths[0].hops[0].reason


def test_more_specific_blackhole_removes_only_those_addresses() -> None:
    """Longest prefix: a blackholed /24 is cut out of the internet that reaches web."""
    arch = seed()
    table = next(t for t in arch.route_tables if t.id == "rtb/public")
    hole = Route(destination="203.0.113.0/24", target="blackhole")
    arch = replace(
        arch,
        route_tables=replace_by_id(arch.route_tables, "rtb/public", routes=(*table.routes, hole)),
    )
    verdict = reach(arch, "internet", "web", tcp(443))
    assert verdict.verdict == "reachable"
    reached = verdict.paths[0].addresses
    assert reached.covers(addresses("198.51.100.0/24"))
    assert (reached & addresses("203.0.113.0/24")).is_empty()
