"""The matrix proved by classes of placements says what proving each placement pair says.

The brute force is `reach_endpoints` on every ordered pair of endpoints: every placement pair
evaluated one by one, every path kept. Generated architectures have zones that are not alike
(one zone's subnet on a route table or network ACL of its own, a rule whose CIDR covers one
subnet or half of one, an instance with a second interface), so the classes must split.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsarch.analysis import Network, endpoints, matrix, matrix_to_json, reach_endpoints, to_json
from awsarch.analysis.cells import Cells, subnet_class
from awsarch.analysis.sets import Services
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.model import (
    AclEntry,
    Architecture,
    NetworkAcl,
    NetworkInterface,
    Peer,
    PortRange,
    Route,
    SecurityGroupRule,
)

from ..blueprint.golden import THREE_TIER
from .build import entry, replace_by_id, tcp

TIERS = {"public": "public", "app": "private", "data": "isolated"}


def blueprint(azs: int, nat: str, groups: list[tuple[str, int, bool]], dbs: list[int]) -> str:
    """Server groups (tier, count, open on 443) and databases (admitting group number N)."""
    lines = [
        "stack: gen",
        "region: us-east-1",
        "network:",
        f"  {{cidr: 10.0.0.0/16, azs: {azs}, nat: {nat}, tiers: {TIERS}}}".replace("'", ""),
        "servers:",
    ]
    for n, (tier, count, open_443) in enumerate(groups):
        ports = "[443]" if open_443 else "[]"
        lines.append(f"  g{n}: {{count: {count}, tier: {tier}, public_ports: {ports}}}")
    if dbs:
        lines.append("databases:")
        for n, admitted in enumerate(dbs):
            allowed = f"g{admitted % len(groups)}"
            lines.append(f"  d{n}: {{tier: data, allow_from: [{allowed}]}}")
    return "\n".join(lines) + "\n"


def own_route_table(arch: Architecture, subnet_id: str, keep_default: bool) -> Architecture:
    """The subnet on a copy of its route table (without its default route, if asked)."""
    table = arch.route_table_of(subnet_id)
    assert table is not None
    routes = tuple(r for r in table.routes if keep_default or r.destination != "0.0.0.0/0")
    routes += (Route(destination="192.0.2.0/24", target="local"),) if keep_default else ()
    others = tuple(
        replace(t, subnet_ids=tuple(s for s in t.subnet_ids if s != subnet_id))
        for t in arch.route_tables
    )
    own = replace(
        table,
        id=f"rtb/own-{len(arch.route_tables)}",
        name="own",
        routes=routes,
        subnet_ids=(subnet_id,),
        is_main=False,
    )
    return replace(arch, route_tables=(*others, own))


def own_acl(arch: Architecture, subnet_id: str, entries: tuple[AclEntry, ...]) -> Architecture:
    """The subnet on a network ACL of its own."""
    others = tuple(
        replace(a, subnet_ids=tuple(s for s in a.subnet_ids if s != subnet_id))
        for a in arch.network_acls
    )
    vpc_id = arch.subnet(subnet_id).vpc_id
    own = NetworkAcl(
        id=f"acl/own-{len(arch.network_acls)}",
        name="own",
        vpc_id=vpc_id,
        entries=entries,
        subnet_ids=(subnet_id,),
    )
    return replace(arch, network_acls=(*others, own))


def half_of(cidr: str, upper: bool) -> str:
    """The lower or upper half of a block: a rule with it cuts the subnet in two."""
    base, _, bits = cidr.partition("/")
    octets = [int(o) for o in base.split(".")]
    size = 2 ** (32 - int(bits) - 1)
    value = sum(o << (8 * (3 - i)) for i, o in enumerate(octets)) + (size if upper else 0)
    text = ".".join(str((value >> (8 * (3 - i))) & 255) for i in range(4))
    return f"{text}/{int(bits) + 1}"


def with_rule(arch: Architecture, group_id: str, rule: SecurityGroupRule) -> Architecture:
    group = next(g for g in arch.security_groups if g.id == group_id)
    return replace(
        arch,
        security_groups=replace_by_id(
            arch.security_groups, group_id, ingress=(*group.ingress, rule)
        ),
    )


def with_interface(arch: Architecture, instance_id: str, subnet_id: str) -> Architecture:
    instance = next(i for i in arch.instances if i.id == instance_id)
    nic = NetworkInterface(
        id="eni-0gen",
        subnet_id=subnet_id,
        security_group_ids=instance.security_group_ids,
        has_public_ip=False,
    )
    instances = replace_by_id(arch.instances, instance_id, secondary_interfaces=(nic,))
    return replace(arch, instances=instances)


EDITS = ("route-table", "route-table-no-default", "acl", "subnet-rule", "half-rule", "interface")
acl_entries = st.lists(
    st.builds(
        lambda n, egress, allow, port: entry(
            n, egress=egress, allow=allow, protocol="tcp", ports=(port, port)
        ),
        st.integers(1, 99),
        st.booleans(),
        st.booleans(),
        st.sampled_from([22, 443, 3306, 5432]),
    ),
    max_size=3,
)


@st.composite
def architectures(draw: st.DrawFn) -> Architecture:
    azs = draw(st.integers(2, 3))
    nat = draw(st.sampled_from(["single", "per-az"]))
    groups = draw(
        st.lists(
            st.tuples(st.sampled_from(["public", "app"]), st.integers(1, 4), st.booleans()),
            min_size=1,
            max_size=4,
        )
    )
    dbs = draw(st.lists(st.integers(0, 3), max_size=2))
    arch = expand(load_text(blueprint(azs, nat, groups, dbs), file="gen.yaml").blueprint)
    for edit in draw(st.lists(st.sampled_from(EDITS), max_size=3, unique=True)):
        subnet = draw(st.sampled_from([s.id for s in arch.subnets]))
        group = draw(st.sampled_from([g.id for g in arch.security_groups]))
        if edit.startswith("route-table"):
            arch = own_route_table(arch, subnet, keep_default=edit == "route-table")
        elif edit == "acl":
            base = (entry(100, egress=False), entry(100, egress=True))
            arch = own_acl(arch, subnet, (*draw(acl_entries), *base))
        elif edit in ("subnet-rule", "half-rule"):
            cidr = arch.subnet(subnet).cidr
            if edit == "half-rule":
                cidr = half_of(cidr, draw(st.booleans()))
            port = draw(st.sampled_from([22, 443, 3306]))
            rule = SecurityGroupRule(
                protocol="tcp", ports=PortRange.single(port), peer=Peer.cidr(cidr)
            )
            arch = with_rule(arch, group, rule)
        elif arch.instances:
            instance = draw(st.sampled_from([i.id for i in arch.instances]))
            arch = with_interface(arch, instance, subnet)
    return arch


def brute_force(arch: Architecture) -> dict[str, object]:
    """The matrix as proving every placement pair one by one says it (the engine before classes)."""
    net, found = Network(arch), endpoints(arch)
    cells = tuple(
        reach_endpoints(net, src, dst)
        for src in found
        for dst in found
        if src.name != dst.name and not (src.kind == dst.kind == "internet")
    )
    return {
        "endpoints": [e.name for e in found],
        "cells": [
            {
                "source": v.source,
                "destination": v.destination,
                "verdict": v.verdict,
                "ports": v.reachable.to_text(),
            }
            for v in cells
        ],
    }


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arch=architectures())
def test_the_matrix_by_classes_is_the_matrix_pair_by_pair(arch: Architecture) -> None:
    """Every cell's verdict and ports are what proving each placement pair says."""
    assert matrix_to_json(matrix(arch)) == brute_force(arch)


@pytest.mark.soak
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arch=architectures())
def test_the_matrix_by_classes_is_the_matrix_pair_by_pair_at_length(arch: Architecture) -> None:
    """As above, on many more generated architectures."""
    assert matrix_to_json(matrix(arch)) == brute_force(arch)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arch=architectures(), port=st.sampled_from([22, 443, 3306, 5432]))
def test_a_cell_for_one_port_is_the_verdict_for_that_port(arch: Architecture, port: int) -> None:
    """Cells asked about one port agree with `reach_endpoints` on that port."""
    net, found = Network(arch), endpoints(arch)
    cells = Cells(net)
    for src in found:
        for dst in found:
            if src.name == dst.name:
                continue
            cell = cells.cell(src, dst, tcp(port))
            exact = reach_endpoints(net, src, dst, tcp(port))
            assert (cell.verdict, cell.reachable, cell.port_given) == (
                exact.verdict,
                exact.reachable,
                True,
            )


def three_tier() -> Architecture:
    return expand(load_text(THREE_TIER, file="three_tier.yaml").blueprint)


def test_symmetric_zones_are_one_class() -> None:
    """The public subnets of three zones share their route table and ACL: one class."""
    arch = three_tier()
    net = Network(arch)
    public = [s.id for s in arch.subnets if s.tier == "public"]
    assert len(public) == 3
    assert len({subnet_class(net, s) for s in public}) == 1


def test_a_zone_with_its_own_acl_is_a_class_of_its_own() -> None:
    """One zone's ACL denies 443: its web servers drop out, and the matrix says so."""
    arch = three_tier()
    subnet = next(s.id for s in arch.subnets if s.tier == "public")
    deny = entry(50, egress=False, allow=False, protocol="tcp", ports=(443, 443))
    edited = own_acl(arch, subnet, (deny, entry(100, egress=False), entry(100, egress=True)))
    net = Network(edited)
    public = [s.id for s in edited.subnets if s.tier == "public"]
    assert len({subnet_class(net, s) for s in public}) == 2
    cell = matrix(edited).cell("internet", "web")
    assert cell is not None and cell.verdict == "partially-reachable"
    assert matrix_to_json(matrix(edited)) == brute_force(edited)


def test_a_cell_gives_its_paths_when_asked() -> None:
    """The matrix keeps no path; `paths` proves one cell with every path, as `reach` does."""
    arch = three_tier()
    m = matrix(arch)
    cell = m.cell("app", "orders")
    assert cell is not None and cell.paths == ()
    full = m.paths("app", "orders")
    assert full is not None
    net, found = Network(arch), {e.name: e for e in endpoints(arch)}
    assert to_json(full) == to_json(reach_endpoints(net, found["app"], found["orders"]))
    assert to_json(full)["ports"] == cell.reachable.to_text() == ["tcp/5432"]
    assert m.paths("app", "app") is None


def test_every_service_is_the_default_query() -> None:
    """A cell asked about nothing in particular asks about every protocol and port."""
    arch = three_tier()
    found = endpoints(arch)
    cell = Cells(Network(arch)).cell(found[0], found[-1])
    assert cell.query == Services.every() and not cell.port_given


def test_replies_are_judged_on_each_clients_own_ports() -> None:
    """A reply rule that blocks a port inside one client's ephemeral range and not another's
    gives each client its own answer, whichever was asked first on a shared Network."""
    arch = three_tier()
    subnet = next(s.id for s in arch.subnets if s.tier == "app")
    deny = entry(1, egress=True, allow=False, protocol="tcp", ports=(3306, 3306))
    edited = own_acl(arch, subnet, (deny, entry(100, egress=False), entry(100, egress=True)))
    found = {e.name: e for e in endpoints(edited)}
    shared = Network(edited)
    for source in ("public", "web"):  # the tier's clients use 1024-65535, Linux 32768-60999
        cached = reach_endpoints(shared, found[source], found["tier/app"])
        fresh = reach_endpoints(Network(edited), found[source], found["tier/app"])
        assert to_json(cached) == to_json(fresh)
    app = found["tier/app"]
    assert reach_endpoints(shared, found["web"], app).verdict == "reachable"
    assert reach_endpoints(shared, found["public"], app).verdict == "partially-reachable"
