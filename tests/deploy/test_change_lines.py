"""Change sets people can read: values as the blueprint names them, totals that add up."""

from __future__ import annotations

import dataclasses

from awsarch.deploy.diff import Change, FieldChange, diff
from awsarch.deploy.plan import make_plan
from awsarch.model import Architecture, Peer, PortRange, Route, SecurityGroupRule
from awsarch.render.changes import field_line, plan_lines, totals_line
from awsarch.render.findings import summary_line
from awsarch.render.tree import architecture_tree
from awsarch.render.words import plural
from awsarch.rules.base import Finding
from tests.deploy.test_diff_plan import _as_deployed, _desired


def _plan(changes: list[Change]) -> list[str]:
    return plan_lines(make_plan(changes, stack="demo", timestamp="20261129000000"))


def test_a_new_stack_is_all_creations() -> None:
    """A new stack's plan creates everything and updates nothing: the role's grant once the
    database exists is a step of creating the role, marked + and not counted again."""
    desired = _desired()
    lines = _plan(diff(desired, Architecture(stack="demo", region="ap-northeast-2")))
    count = sum(1 for _ in desired.resources())
    assert lines[-1] == f"plan: {count} to create, 0 to update, 0 to replace, 0 to delete"
    assert all(line.startswith("  + ") for line in lines[:-1])
    grant = next(line for line in lines if "grant role/web" in line)
    assert grant.endswith("(grant access to the database secrets)")


def test_a_missing_route_reads_as_the_blueprint_writes_it() -> None:
    """A route deleted by hand shows as `routes: + 0.0.0.0/0 → nat/a`, never as a repr."""
    desired = _desired()
    live = _as_deployed(desired)
    table = next(t for t in live.route_tables if live.logical_id(t.id) == "rtb/private")
    live = dataclasses.replace(
        live,
        route_tables=tuple(
            dataclasses.replace(t, routes=t.routes[:1]) if t is table else t
            for t in live.route_tables
        ),
    )
    lines = _plan(diff(desired, live))
    assert " ".join(lines[0].split()) == "~ update rtb/private routes: + 0.0.0.0/0 → nat/a"
    assert lines[-1] == "plan: 0 to create, 1 to update, 0 to replace, 0 to delete"


def test_rules_and_scalars_are_written_whole() -> None:
    """A rule reads as protocol, port and peer; a changed scalar as old → new; no value is a
    Python repr or cut with an ellipsis, however long the list."""
    ssh = SecurityGroupRule(protocol="tcp", ports=PortRange.single(22), peer=Peer.cidr("0.0.0.0/0"))
    everything = SecurityGroupRule(protocol="all", ports=PortRange.every(), peer=Peer.cidr("::/0"))
    routes = tuple(
        Route(destination=f"10.{i}.0.0/16", target="peering", target_id=f"pcx/{i}")
        for i in range(12)
    )
    lines = [
        field_line(FieldChange(field="ingress", observed=(ssh,), desired=(everything,))),
        field_line(FieldChange(field="instance_type", observed="t3.micro", desired="t3.small")),
        field_line(FieldChange(field="routes", observed=(), desired=routes)),
        field_line(FieldChange(field="imdsv2_required", observed=False, desired=True)),
        field_line(FieldChange(field="user_data", observed="#!/bin/sh\n" * 20, desired="")),
    ]
    assert lines[0] == "ingress: + all traffic ::/0, - tcp 22 0.0.0.0/0"
    assert lines[1] == "instance_type: t3.micro → t3.small"
    assert "+ 10.11.0.0/16 → pcx/11" in lines[2]
    assert lines[3] == "imdsv2_required: false → true"
    assert lines[4] == "user_data: changed (200 → 0 characters)"
    assert not any("Route(" in line or "…" in line or "'" in line for line in lines)


def test_a_replaced_database_counts_once_and_is_shouted() -> None:
    """Replacing a database is one replacement, and the totals say a database is destroyed."""
    desired = _desired()
    live = _as_deployed(desired)
    live = dataclasses.replace(
        live, databases=tuple(dataclasses.replace(d, port=5432) for d in live.databases)
    )
    plan = make_plan(diff(desired, live), stack="demo", timestamp="20261129000000")
    assert totals_line(plan) == (
        "plan: 0 to create, 0 to update, 1 to replace, 0 to delete;"
        " 1 database DESTROYED (final snapshot first)"
    )


def test_a_replaced_database_shows_why_beside_the_data_warning() -> None:
    """The line that destroys a database still says which attribute forces it (`engine: mysql →
    mariadb`), after the loud warning and its snapshot, as the JSON does."""
    desired = _desired()
    live = _as_deployed(desired)
    live = dataclasses.replace(
        live, databases=tuple(dataclasses.replace(d, engine="mariadb") for d in live.databases)
    )
    line = next(line for line in _plan(diff(desired, live)) if "db/" in line)
    assert line.lstrip().startswith("± ")
    assert "!! DESTROYS DATA: final snapshot " in line
    assert line.endswith("engine cannot change in place: engine: mariadb → mysql")


def test_counts_are_in_good_english() -> None:
    """One of a thing is singular, several plural: `1 NAT gateway`, `1 warning`, `2 VPCs`."""
    assert [plural(1, "NAT gateway"), plural(2, "NAT gateway"), plural(2, "VPC")] == [
        "1 NAT gateway",
        "2 NAT gateways",
        "2 VPCs",
    ]
    assert plural(0, "policy") == "0 policies" and plural(3, "address") == "3 addresses"
    tree = architecture_tree(_desired())
    assert "1 NAT gateway," in tree[-1] and "1 VPC," in tree[-1] and "1 database" in tree[-1]
    warning = Finding(rule_id="X", severity="warning", resource_id="vpc/main", message="m")
    assert summary_line([warning]) == "0 errors, 1 warning"
