"""Prefix lists in diff and plan: a list is created before the group whose rule names it and
deleted only after that rule is gone; a rule is the same rule whether or not its list's entries
were read, and an AWS-managed list's id is the name the blueprint wrote."""

from __future__ import annotations

import dataclasses

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.deploy.diff import Change, diff
from awsarch.deploy.plan import make_plan
from awsarch.model import Architecture, Peer, SecurityGroupRule

BLUEPRINT = """\
stack: demo
region: ap-northeast-2
network: {nat: none, tiers: {public: public}}
prefix_lists:
  office: [203.0.113.0/24]
servers:
  web:
    count: 0
    role: none
    allow:
      - {ports: [22], from: office}
      - {ports: [80], from: com.amazonaws.global.cloudfront.origin-facing}
"""
CLOUDFRONT = "com.amazonaws.global.cloudfront.origin-facing"
OURS = ("vpc/", "prefix-list/", "sg/")
"""What `_live` builds; the rest of the network is left out of these diffs."""


def _desired(text: str = BLUEPRINT) -> Architecture:
    return expand(load_text(text, file="b.yaml").blueprint)


def _live(desired: Architecture) -> Architecture:
    """What discovery reads once `desired` is deployed: AWS ids, tags naming the logical ids,
    the AWS-managed list by id, entries as read."""
    ids = {r.id: f"aws-{i}" for i, r in enumerate(desired.resources())}
    ids["prefix-list/office"] = "pl-0office00001"

    def peer(p: Peer) -> Peer:
        if p.value == CLOUDFRONT:
            return Peer(kind="prefix-list", value="pl-0cloudfront01", entries=("13.0.0.0/8",))
        return dataclasses.replace(p, value=ids.get(p.value, p.value))

    def rule(r: SecurityGroupRule) -> SecurityGroupRule:
        return dataclasses.replace(r, peer=peer(r.peer), description="")

    groups = tuple(
        dataclasses.replace(
            g,
            id=ids[g.id],
            vpc_id=ids[g.vpc_id],
            ingress=tuple(rule(r) for r in g.ingress),
            egress=tuple(rule(r) for r in g.egress),
        )
        for g in desired.security_groups
    )
    lists = tuple(dataclasses.replace(p, id=ids[p.id]) for p in desired.prefix_lists)
    vpcs = tuple(dataclasses.replace(v, id=ids[v.id]) for v in desired.vpcs)
    return Architecture(
        stack="demo",
        region=desired.region,
        vpcs=vpcs,
        prefix_lists=lists,
        security_groups=groups,
        logical_ids=tuple(
            (aws, logical) for logical, aws in ids.items() if logical.startswith(OURS)
        ),
        aws_prefix_lists=(("pl-0cloudfront01", CLOUDFRONT),),
    )


def _keys(changes: list[Change]) -> dict[str, tuple[str, ...]]:
    plan = make_plan(changes, stack="demo", timestamp="20260101000000")
    return {a.key: a.depends_on for a in plan.actions}


def test_the_group_waits_for_its_list() -> None:
    changes = diff(_desired(), Architecture(stack="demo", region="ap-northeast-2"))
    assert "create prefix-list/office" in _keys(changes)["create sg/web"]


def test_a_deployed_list_and_its_rules_are_no_drift() -> None:
    """Entries read on the live rule, and the AWS-managed list's id, match what was written."""
    desired = _desired()
    changes = diff(desired, _live(desired))
    assert [(c.kind, c.logical_id) for c in changes if c.logical_id.startswith(OURS[1:])] == []


def test_changed_cidrs_update_the_list_in_place() -> None:
    desired = _desired()
    moved = _desired(BLUEPRINT.replace("203.0.113.0/24", "198.51.100.0/24"))
    changes = [c for c in diff(moved, _live(desired)) if c.logical_id.startswith(OURS[1:])]
    assert [(c.kind, c.logical_id, [f.field for f in c.fields]) for c in changes] == [
        ("update", "prefix-list/office", ["cidrs"])
    ]


def test_a_list_is_deleted_after_the_rule_that_names_it() -> None:
    desired = _desired()
    without = BLUEPRINT.split("prefix_lists:")[0] + "servers: {web: {count: 0, role: none}}\n"
    changes = diff(_desired(without), _live(desired))
    keys = _keys([c for c in changes if c.logical_id.startswith(OURS[1:])])
    assert "update sg/web" in keys["delete prefix-list/office"]
