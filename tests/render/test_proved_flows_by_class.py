"""The diagram's flows, proved once per class of instances, are the flows proved one by one."""

from __future__ import annotations

import dataclasses

import pytest

from awsarch.analysis import reach
from awsarch.model import Architecture, NetworkInterface, Peer, PortRange, SecurityGroupRule
from awsarch.render.balanced_flows import balancer_flows
from awsarch.render.diagram import Flow
from awsarch.render.proved_flows import ports_label, proved_flows

from .support import balanced, bench_blueprint, seed, three_tier


def one_by_one(arch: Architecture) -> list[Flow]:
    """Every instance proved on its own against the internet and every database."""
    flows = []
    for inst in arch.instances:
        verdict = reach(arch, "internet", inst.id)
        if verdict.reachable:
            label = ports_label(verdict.reachable)
            flows.append(Flow(source_id="internet", destination_id=inst.id, label=label))
    flows += balancer_flows(arch)
    for db in arch.databases:
        for inst in arch.instances:
            verdict = reach(arch, inst.id, db.id)
            if verdict.verdict == "reachable":
                label = ports_label(verdict.reachable)
                flows.append(Flow(source_id=inst.id, destination_id=db.id, label=label))
    return flows


def _open_database_to_the_vpc(arch: Architecture) -> Architecture:
    """The database's groups also admit 3306 from the VPC's range: every instance may reach."""
    db_groups = {g for db in arch.databases for g in db.security_group_ids}
    rule = SecurityGroupRule(
        protocol="tcp", ports=PortRange.single(3306), peer=Peer.cidr("10.0.0.0/16")
    )
    groups = tuple(
        dataclasses.replace(g, ingress=(*g.ingress, rule)) if g.id in db_groups else g
        for g in arch.security_groups
    )
    return dataclasses.replace(arch, security_groups=groups)


def _second_interface(arch: Architecture) -> Architecture:
    """The first instance (public, in g0) gets a second interface in a private subnet in g1,
    which the database admits: through it alone, that instance reaches the database."""
    first, *rest = arch.instances
    nic = NetworkInterface(
        id="eni-second", subnet_id="subnet/private-b", security_group_ids=("sg/g1",)
    )
    first = dataclasses.replace(first, secondary_interfaces=(nic,))
    return dataclasses.replace(arch, instances=(first, *rest))


CASES = {
    "seed": seed,
    "three_tier": three_tier,
    "balanced": balanced,
    "bench_6x3": lambda: bench_blueprint(6, 3, azs=2),
    "database_open_to_the_vpc": lambda: _open_database_to_the_vpc(bench_blueprint(6, 3, azs=2)),
    "second_interface": lambda: _second_interface(bench_blueprint(6, 3, azs=2)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_flows_by_class_are_the_flows_one_by_one(name: str) -> None:
    """Whatever the groups, addresses and interfaces, no arrow appears or goes by classing."""
    arch = CASES[name]()
    expected = one_by_one(arch)
    got = proved_flows(arch)
    assert got[: len(expected)] == expected
    if name == "second_interface":
        assert Flow(source_id="instance/g0-1", destination_id="db/db0", label="3306") in got
    assert all(f.source_id.startswith(("subnet/", "nat/")) for f in got[len(expected) :])
