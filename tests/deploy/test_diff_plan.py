"""Drift and plans: what `plan` and `up` will do to a live stack, and in which order."""

from __future__ import annotations

import dataclasses

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text
from awsarch.deploy.diff import diff, duplicates
from awsarch.deploy.normalize import translate
from awsarch.deploy.plan import make_plan
from awsarch.model import Architecture, NetworkInterface, Peer, PortRange, SecurityGroupRule


def _desired(text: str | None = None) -> Architecture:
    return expand(load_text(text or seed_text(), file="b.yaml").blueprint)


def _as_deployed(arch: Architecture) -> Architecture:
    """The same architecture as discovery would see it: AWS ids, logical ids in tags."""
    aws_ids = {r.id: f"{r.id.split('/')[0]}-{i:08x}" for i, r in enumerate(arch.resources())}
    kinds = {
        f.name: translate(getattr(arch, f.name), aws_ids)
        for f in dataclasses.fields(arch)
        if f.name not in ("stack", "region", "origins", "logical_ids")
    }
    logical = tuple((aws, logical) for logical, aws in aws_ids.items())
    return dataclasses.replace(arch, origins=(), logical_ids=logical, **kinds)


def test_nothing_deployed_means_everything_is_created_in_order() -> None:
    """An empty account gets every resource, each after what it depends on."""
    desired = _desired()
    plan = make_plan(
        diff(desired, Architecture(stack="demo", region="ap-northeast-2")),
        stack="demo",
        timestamp="20261129000000",
    )
    keys = [a.key for a in plan.actions]
    assert plan.counts() == {"create": sum(1 for _ in desired.resources()), "update": 1}
    assert keys.index("create vpc/main") < keys.index("create subnet/private-a")
    assert keys.index("create sg/web") < keys.index("create sg/db-main")
    assert keys.index("create dbsubnets/main") < keys.index("create db/main")
    assert keys.index("create db/main") < keys.index("grant role/web")
    assert keys.index("create profile/web") < keys.index("create instance/web-1")
    for action in plan.actions:
        assert all(keys.index(dep) < keys.index(action.key) for dep in action.depends_on)


def test_deployed_as_desired_plans_nothing() -> None:
    """A stack that matches its blueprint has no changes (a second `up` does nothing)."""
    desired = _desired()
    assert diff(desired, _as_deployed(desired)) == []


def _opened_by_hand(desired: Architecture) -> tuple[Architecture, str]:
    """The deployed architecture with MySQL opened to the world on the database's group, by
    hand; and that group's id."""
    live = _as_deployed(desired)
    group = next(g for g in live.security_groups if live.logical_id(g.id) == "sg/db-main")
    opened = SecurityGroupRule(
        protocol="tcp", ports=PortRange.single(3306), peer=Peer.cidr("0.0.0.0/0")
    )
    live = dataclasses.replace(
        live,
        security_groups=tuple(
            dataclasses.replace(g, ingress=(*g.ingress, opened)) if g is group else g
            for g in live.security_groups
        ),
    )
    return live, group.id


def test_rule_added_by_hand_is_drift_to_update() -> None:
    """A rule added by hand to the database's group shows as an in-place update of its rules."""
    desired = _desired()
    live, group_id = _opened_by_hand(desired)
    (change,) = diff(desired, live)
    assert (change.kind, change.logical_id) == ("update", "sg/db-main")
    assert [f.field for f in change.fields] == ["ingress"]
    assert change.live_id == group_id


def test_an_interface_attached_by_hand_is_no_drift() -> None:
    """An extra network interface on a web server (its own subnet, group and Elastic IP) is
    not the blueprint's business: no update, no replacement."""
    desired = _desired()
    live = _as_deployed(desired)
    web = next(i for i in live.instances if live.logical_id(i.id) == "instance/web-1")
    other = next(s for s in live.subnets if s.id != web.subnet_id)
    extra = NetworkInterface(
        id="eni-0abc",
        subnet_id=other.id,
        security_group_ids=(live.security_groups[0].id,),
        has_public_ip=True,
    )
    live = dataclasses.replace(
        live,
        instances=tuple(
            dataclasses.replace(i, secondary_interfaces=(extra,)) if i is web else i
            for i in live.instances
        ),
    )
    assert diff(desired, live) == []


def test_subnet_cidr_change_is_a_replacement_with_its_reason() -> None:
    """Changing a subnet's CIDR replaces it, and the plan says why."""
    live = _as_deployed(_desired())
    text = seed_text().replace(
        "private: private", "private: {kind: private, cidrs: [10.0.20.0/24, 10.0.9.0/24]}"
    )
    changes = {c.logical_id: c for c in diff(_desired(text), live)}
    assert changes["subnet/private-a"].kind == "replace"
    assert "cidr cannot change in place" in changes["subnet/private-a"].reason


def test_removing_the_database_destroys_data_with_a_final_snapshot() -> None:
    """Deleting a database is marked as destroying data and names its final snapshot."""
    live = _as_deployed(_desired())
    text = seed_text().split("databases:")[0].replace("read_secrets: [main]", "read_secrets: []")
    plan = make_plan(diff(_desired(text), live), stack="demo", timestamp="20261129120000")
    (loud,) = plan.destroys_data()
    assert loud.key == "delete db/main"
    assert loud.snapshot == "demo-main-final-20261129120000"
    keys = [a.key for a in plan.actions]
    assert keys.index("delete db/main") < keys.index("delete dbsubnets/main")
    assert keys.index("delete db/main") < keys.index("delete sg/db-main")


def test_duplicates_left_by_an_interrupted_run_are_found() -> None:
    """Two live resources with the same awsarch:name: the extra one is deleted."""
    live = _as_deployed(_desired())
    vpc = live.vpcs[0]
    twin = dataclasses.replace(vpc, id="vpc-twin")
    live = dataclasses.replace(
        live, vpcs=(vpc, twin), logical_ids=(*live.logical_ids, ("vpc-twin", "vpc/main"))
    )
    (extra,) = duplicates(live)
    assert (extra.kind, extra.live_id) == ("delete", "vpc-twin")


def test_audit_words_drift_as_plan_does() -> None:
    """`audit --blueprint` says what drifted, not only which field: the rule opened by hand, as
    `plan` shows the change `up` would make."""
    from awsarch.cli.audit import drift_lines

    desired = _desired()
    live, _ = _opened_by_hand(desired)
    (line,) = drift_lines(diff(desired, live))
    assert line.startswith("drift: ~ update sg/db-main: ingress: - "), line
    assert "3306" in line and "0.0.0.0/0" in line, line
