"""Plans for three tiers: what waits for what when the load balancer, the target group, the
launch template and the Auto Scaling group are built and taken down, and what the group's own
instances never are (created, diffed or deleted one by one)."""

from __future__ import annotations

import dataclasses

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import three_tier_text
from awsarch.deploy.diff import diff
from awsarch.deploy.plan import Plan, make_plan
from awsarch.model import Architecture


def _desired(text: str = "") -> Architecture:
    return expand(load_text(text or three_tier_text(), file="three.yaml").blueprint)


def _deployed(arch: Architecture) -> Architecture:
    """The same architecture as discovery would read it once deployed (ids as logical ids)."""
    owned = tuple((r.id, r.id) for r in arch.resources() if "/" in r.id)
    return dataclasses.replace(arch, logical_ids=owned)


def _plan(desired: Architecture, observed: Architecture) -> Plan:
    return make_plan(diff(desired, observed), stack="shop", timestamp="20260101000000")


def _waits(plan: Plan) -> dict[str, set[str]]:
    return {a.key: set(a.depends_on) for a in plan.actions}


def test_the_group_s_instances_are_never_planned_one_by_one() -> None:
    """Creating, comparing and deleting: the launch template and the group stand for them."""
    desired = _desired()
    built = _plan(desired, Architecture(stack="shop", region=desired.region))
    assert not [a for a in built.actions if a.change.resource_type == "Instance"]
    assert "create lt/app" in _waits(built)
    gone = _plan(Architecture(stack="shop", region=desired.region), _deployed(desired))
    assert not [a for a in gone.actions if a.change.resource_type == "Instance"]
    assert _plan(desired, _deployed(desired)).empty


def test_creation_order_of_the_three_tiers() -> None:
    """Target group after the VPC; load balancer after its subnets (and their route table), its
    group and the target group; the group after its template, subnets and target group; the
    template after the group's security group and instance profile."""
    desired = _desired()
    waits = _waits(_plan(desired, Architecture(stack="shop", region=desired.region)))
    assert waits["create tg/front"] == {"create vpc/main"}
    assert {
        "create subnet/public-a",
        "create subnet/public-b",
        "create sg/lb-front",
        "create tg/front",
        "create rtb/public",
    } <= waits["create lb/front"]
    assert {
        "create lt/app",
        "create subnet/app-a",
        "create subnet/app-b",
        "create tg/front",
        "create rtb/app",
    } <= waits["create asg/app"]
    assert {"create sg/app", "create profile/app"} <= waits["create lt/app"]


def test_groups_that_name_each_other_get_those_rules_once_both_exist() -> None:
    """The load balancer's group and the app group name each other: neither create waits for
    the other, and a `rules` action after both adds the rules naming the other."""
    desired = _desired()
    plan = _plan(desired, Architecture(stack="shop", region=desired.region))
    waits = _waits(plan)
    assert "create sg/app" not in waits["create sg/lb-front"]
    assert "create sg/lb-front" not in waits["create sg/app"]
    assert waits["rules sg/app"] == {"create sg/app", "create sg/lb-front"}
    assert {a.key for a in plan.actions if a.defer_groups} == {
        "create sg/app",
        "create sg/lb-front",
    }


def test_down_takes_the_load_balancer_and_the_group_first() -> None:
    """The load balancer before its target group, its group and the internet gateway; the Auto
    Scaling group before its template, target group and subnets; the template before the app
    group and the instance profile."""
    desired = _desired()
    waits = _waits(_plan(Architecture(stack="shop", region=desired.region), _deployed(desired)))
    assert "delete lb/front" in waits["delete tg/front"]
    assert "delete lb/front" in waits["delete sg/lb-front"]
    assert "delete lb/front" in waits["delete igw/main"]
    for after in ("delete lt/app", "delete tg/front", "delete subnet/app-a", "delete igw/main"):
        assert "delete asg/app" in waits[after], after
    assert "delete lt/app" in waits["delete sg/app"]
    assert "delete lt/app" in waits["delete profile/app"]


def test_a_new_instance_type_changes_the_launch_template_only() -> None:
    """The group's instances run t3.micro; the blueprint says t3.small: one update of the
    template (a new version and an instance refresh), nothing else."""
    observed = _deployed(_desired())
    wanted = _desired(three_tier_text().replace("type: t3.micro", "type: t3.small"))
    (action,) = _plan(wanted, observed).actions
    assert (action.key, [f.field for f in action.change.fields]) == (
        "update lt/app",
        ["instance_type"],
    )


def test_drift_in_the_listener_and_the_desired_size_is_planned() -> None:
    desired = _desired()
    (lb,) = desired.load_balancers
    (asg,) = desired.auto_scaling_groups
    changed = dataclasses.replace(
        desired,
        load_balancers=(dataclasses.replace(lb, listeners=lb.listeners[:1]),),
        auto_scaling_groups=(dataclasses.replace(asg, desired=3),),
    )
    plan = _plan(desired, _deployed(changed))
    fields = {a.key: [f.field for f in a.change.fields] for a in plan.actions}
    assert fields == {"update lb/front": ["listeners"], "update asg/app": ["desired"]}
