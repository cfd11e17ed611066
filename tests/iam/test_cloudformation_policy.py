"""`iam deployer-policy --engine cloudformation` grants every CloudFormation call the engine
makes, on this stack only, beside the direct engine's resource permissions, and every permission
the handlers of the template's resource types use (CloudFormation acts with the caller's
credentials when no service role is given): AWS's resource provider schemas, as cfn-lint ships
them, are the list to check against."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import awsarch.cfn.stacks
from awsarch.analysis.iam import Request, evaluate
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text
from awsarch.cfn.resources_default_group import CUSTOM_TYPE
from awsarch.cfn.synth import synthesize
from awsarch.cli.main import cli
from awsarch.deploy.permissions import deployer_policy, granted_actions
from awsarch.deploy.permissions_cfn import NOT_GRANTED, cloudformation_deployer_policy
from tests.cfn.blueprints import BLUEPRINTS, architecture

STACK_ARN = "arn:aws:cloudformation:ap-northeast-2:123456789012:stack/demo/{}"


def _engine_calls() -> set[str]:
    """The CloudFormation operations `awsarch.cfn.stacks` calls, read from its source: the
    session's calls and pages, and the operations its waiters poll."""
    source = Path(awsarch.cfn.stacks.__file__).read_text()
    snake = re.findall(r'session\.(?:call|pages)\(\s*"cloudformation",\s*"(\w+)"', source)
    waited = re.findall(r'mapped_errors\("cloudformation:(\w+)"\)', source)
    camel = {"".join(part.title() for part in name.split("_")) for name in snake}
    return {f"cloudformation:{name}" for name in camel | set(waited)}


def test_the_policy_grants_every_call_the_engine_makes_on_this_stack_only() -> None:
    arch = expand(load_text(seed_text(), file="seed.yaml").blueprint)
    policy = cloudformation_deployer_policy(arch)
    calls = _engine_calls()
    assert "cloudformation:ExecuteChangeSet" in calls and len(calls) >= 8
    for action in sorted(calls):
        assert evaluate(Request(action=action, resource=STACK_ARN.format("x1")), [policy]).allowed
        other = "arn:aws:cloudformation:ap-northeast-2:123456789012:stack/other/x1"
        assert not evaluate(Request(action=action, resource=other), [policy]).allowed, action
    direct = deployer_policy(arch)["Statement"]
    assert policy["Statement"][1 : 1 + len(direct)] == direct
    assert {"ec2:CreateLaunchTemplate", "lambda:CreateFunction"} <= granted_actions(policy)


def test_the_cli_prints_it_with_engine_cloudformation(tmp_path: Path) -> None:
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(seed_text())
    result = CliRunner().invoke(
        cli, ["iam", "deployer-policy", str(blueprint), "--engine", "cloudformation"]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["Statement"][0]["Resource"] == [
        "arn:aws:cloudformation:ap-northeast-2:*:stack/demo/*"
    ]


@cache
def _handler_permissions(resource_type: str) -> frozenset[str]:
    """What AWS says the type's create, read, update and delete handlers may call."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    handlers = schema.get("handlers", {})
    return frozenset(
        permission.lower()
        for handler in ("create", "read", "update", "delete")
        for permission in handlers.get(handler, {}).get("permissions", [])
    )


def _left_out(resource_type: str) -> frozenset[str]:
    return frozenset(
        action.lower()
        for entry in NOT_GRANTED
        if entry.resource_type == resource_type
        for action in entry.actions
    )


@pytest.mark.parametrize("name", sorted(BLUEPRINTS))
def test_every_handler_permission_of_the_templates_types_is_granted_or_reasoned(
    name: str,
) -> None:
    arch = architecture(BLUEPRINTS[name])
    granted = {a.lower() for a in granted_actions(cloudformation_deployer_policy(arch))}
    types = {r["Type"] for r in synthesize(arch)["Resources"].values()}
    assert "AWS::EC2::VPC" in types and len(types) >= 10
    for resource_type in sorted(types - {CUSTOM_TYPE}):
        missing = _handler_permissions(resource_type) - granted - _left_out(resource_type)
        assert not missing, f"{resource_type}: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(BLUEPRINTS))
def test_what_is_left_out_is_only_for_properties_the_template_never_sets(name: str) -> None:
    resources = synthesize(architecture(BLUEPRINTS[name]))["Resources"].values()
    for entry in NOT_GRANTED:
        for resource in resources:
            if resource["Type"] == entry.resource_type:
                used = set(entry.properties) & set(resource.get("Properties", {}))
                assert not used, f"{entry.resource_type} sets {used}: {entry.why}"


def _seed_policy() -> dict[str, Any]:
    return cloudformation_deployer_policy(expand(load_text(seed_text(), file="s").blueprint))


FUNCTION = "arn:aws:lambda:ap-northeast-2:123456789012:function:demo-RestrictDefault-x1"
OWN_ROLE = "arn:aws:iam::123456789012:role/awsarch/demo/demo-RestrictDefaultSecurityGroupRole-x1"


def test_the_default_group_function_is_created_and_invoked_only_tagged_for_this_stack() -> None:
    policy = _seed_policy()

    def allowed(action: str, context: dict[str, Any]) -> bool:
        request = Request(action=action, resource=FUNCTION, context=context, context_complete=True)
        return evaluate(request, [policy]).allowed

    mine, theirs = {"awsarch:stack": "demo"}, {"awsarch:stack": "other"}
    request_tags = {f"aws:RequestTag/{k}": v for k, v in mine.items()}
    assert allowed("lambda:CreateFunction", request_tags)
    assert not allowed("lambda:CreateFunction", {})
    for action in ("lambda:InvokeFunction", "lambda:DeleteFunction", "lambda:GetFunction"):
        assert allowed(action, {f"aws:ResourceTag/{k}": v for k, v in mine.items()})
        assert not allowed(action, {f"aws:ResourceTag/{k}": v for k, v in theirs.items()})


def test_the_functions_role_is_passed_to_lambda_alone_and_only_the_stacks_own() -> None:
    policy = _seed_policy()

    def passes(role: str, service: str) -> bool:
        context = {"iam:PassedToService": service}
        request = Request(action="iam:PassRole", resource=role, context=context)
        return evaluate(request, [policy]).allowed

    assert passes(OWN_ROLE, "lambda.amazonaws.com")
    assert not passes(OWN_ROLE, "glue.amazonaws.com")
    assert not passes("arn:aws:iam::123456789012:role/admin", "lambda.amazonaws.com")


def test_the_handlers_reads_are_granted_only_through_cloudformation() -> None:
    policy = _seed_policy()

    def reads(context: dict[str, Any]) -> bool:
        request = Request(action="rds:DescribeEvents", context=context, context_complete=True)
        return evaluate(request, [policy]).allowed

    assert reads({"aws:CalledVia": ["cloudformation.amazonaws.com"]})
    assert not reads({})


def test_the_default_group_function_takes_its_role_under_the_stacks_path() -> None:
    template = synthesize(expand(load_text(seed_text(), file="s").blueprint))
    roles = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    assert roles and all(r["Properties"]["Path"] == "/awsarch/demo/" for r in roles)
    assert not any("ManagedPolicyArns" in r["Properties"] for r in roles if "Policies" in r)


def _alb_policy() -> dict[str, Any]:
    return cloudformation_deployer_policy(architecture(BLUEPRINTS["alb-three-tier"]))


LOAD_BALANCER = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/x/1"
SCALING_GROUP = (
    "arn:aws:autoscaling:ap-northeast-2:123456789012:autoScalingGroup:1:autoScalingGroupName/x"
)


@pytest.mark.parametrize(
    ("create", "change", "resource"),
    [
        (
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:DeleteLoadBalancer",
            LOAD_BALANCER,
        ),
        ("autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", SCALING_GROUP),
    ],
)
def test_load_balancers_and_scaling_groups_are_created_tagged_and_changed_only_when_ours(
    create: str, change: str, resource: str
) -> None:
    """Creation needs the stack's tag on the request, every later change the stack's tag on
    the resource: another stack's load balancer or group is out of reach."""
    policy = _alb_policy()

    def allowed(action: str, context: dict[str, Any]) -> bool:
        request = Request(action=action, resource=resource, context=context, context_complete=True)
        return evaluate(request, [policy]).allowed

    assert allowed(create, {"aws:RequestTag/awsarch:stack": "shop"})
    assert not allowed(create, {"aws:RequestTag/awsarch:stack": "other"})
    assert allowed(change, {"aws:ResourceTag/awsarch:stack": "shop"})
    assert not allowed(change, {"aws:ResourceTag/awsarch:stack": "other"})


def test_each_service_creates_only_its_own_service_linked_role() -> None:
    """A fresh account's first load balancer and group create their services' roles, nothing
    else: the role's path and iam:AWSServiceName both name the service."""
    policy = _alb_policy()

    def creates(service: str, role: str, named: str) -> bool:
        arn = f"arn:aws:iam::123456789012:role/aws-service-role/{service}/{role}"
        context = {"iam:AWSServiceName": named}
        request = Request(action="iam:CreateServiceLinkedRole", resource=arn, context=context)
        return evaluate(request, [policy]).allowed

    elb = ("elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing")
    asg = ("autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling")
    assert creates(*elb, elb[0]) and creates(*asg, asg[0])
    assert not creates(*elb, "ecs.amazonaws.com")
    assert not creates("ecs.amazonaws.com", "AWSServiceRoleForECS", "ecs.amazonaws.com")
    seed = {s["Sid"] for s in _seed_policy()["Statement"]}
    assert not any("ServiceLinkedRole" in sid and "Rds" not in sid for sid in seed)


def test_down_may_lift_the_deletion_protection_of_the_stacks_own_database_and_balancer() -> None:
    """`down --engine cloudformation` turns it off itself (cfn/unprotect.py): DeleteStack would
    fail on a protected database or load balancer."""
    arch = architecture(BLUEPRINTS["alb-three-tier"])
    policy = cloudformation_deployer_policy(arch)
    db = f"arn:aws:rds:{arch.region}:123456789012:db:{arch.stack}-main"
    other_db = f"arn:aws:rds:{arch.region}:123456789012:db:other-main"
    for action in ("rds:DescribeDBInstances", "rds:ModifyDBInstance"):
        assert evaluate(Request(action=action, resource=db), [policy]).allowed, action
    assert not evaluate(Request(action="rds:ModifyDBInstance", resource=other_db), [policy]).allowed
    balancer = f"arn:aws:elasticloadbalancing:{arch.region}:123456789012:loadbalancer/app/x/1"

    def modify(stack: str) -> bool:
        context = {"aws:ResourceTag/awsarch:stack": stack}
        request = Request(
            action="elasticloadbalancing:ModifyLoadBalancerAttributes",
            resource=balancer,
            context=context,
            context_complete=True,
        )
        return evaluate(request, [policy]).allowed

    assert modify(arch.stack) and not modify("other")
