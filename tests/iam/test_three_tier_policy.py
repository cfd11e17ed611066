"""The three-tier lifecycle runs as a user holding only the generated deployer policy, on the
emulator enforcing IAM for Elastic Load Balancing and Auto Scaling as AWS does; every statement
the load balancer and the Auto Scaling group add is needed.

bootstrap (root), then as the deployer: up, up again, drift on the listener and the group's size
repaired, a launch template change rolled out, audit as the viewer, down.
"""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest

from awsarch.adapters.emulator import Emulator
from awsarch.adapters.emulator.behaviours.iam_enforcement import Checked
from awsarch.analysis.iam import evaluate
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text, three_tier_text
from awsarch.deploy.permissions import deployer_policy

from .support import awsarch_cli

REGION = "ap-northeast-2"
DEPLOYER = "awsarch-shop-deployer"
VIEWER = "awsarch-shop-viewer"
DRIFT_ONLY = frozenset(
    {
        "autoscaling:AttachLoadBalancerTargetGroups",
        "autoscaling:DetachLoadBalancerTargetGroups",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:DeregisterTargets",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:RegisterTargets",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
    }
)
"""Granted for repairs this lifecycle does not make (a listener added by hand, the load balancer
moved to other subnets or groups, a target group attached by hand, fixed targets)."""


def blueprint_text(instance_type: str = "t3.micro") -> str:
    """The three-tier blueprint without the intents about the load balancer itself."""
    text = three_tier_text().replace("type: t3.micro", f"type: {instance_type}")
    keep = [line for line in text.splitlines() if not re.match(r"\s+- internet -> ", line)]
    return "\n".join(keep) + "\n"


def _client(endpoint: str, service: str) -> Any:
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION)


def _drift(endpoint: str) -> None:
    """By hand, with the root credentials: port 80 forwards instead of redirecting, and the
    group runs three instances."""
    elbv2 = _client(endpoint, "elbv2")
    (balancer,) = elbv2.describe_load_balancers(Names=["shop-front"])["LoadBalancers"]
    listeners = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    by_port = {x["Port"]: x for x in listeners}
    elbv2.modify_listener(
        ListenerArn=by_port[80]["ListenerArn"], DefaultActions=by_port[443]["DefaultActions"]
    )
    _client(endpoint, "autoscaling").set_desired_capacity(
        AutoScalingGroupName="shop-app", DesiredCapacity=3
    )


@pytest.fixture(scope="module")
def lifecycle(enforcing: Emulator, tmp_path_factory: pytest.TempPathFactory) -> list[Checked]:
    enforcing.reset()
    folder = tmp_path_factory.mktemp("three-tier-policy")
    blueprint = folder / "blueprint.yaml"
    blueprint.write_text(blueprint_text(), encoding="utf-8")
    credentials = folder / "credentials"
    endpoint = enforcing.endpoint_url
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
        for kind in ("", "--viewer"):
            args = ["iam", "bootstrap", str(blueprint), "--credentials-file", str(credentials)]
            result = awsarch_cli(endpoint, *args, *([kind] if kind else []))
            assert result.exit_code == 0, result.output
        for _ in range(2):
            result = awsarch_cli(endpoint, "up", str(blueprint), "--yes", profile=DEPLOYER)
            assert result.exit_code == 0, result.output
        assert "no changes" in result.output, result.output
        _drift(endpoint)
        result = awsarch_cli(endpoint, "up", str(blueprint), "--yes", profile=DEPLOYER)
        assert result.exit_code == 0, result.output
        assert "update lb/front" in result.output and "update asg/app" in result.output
        blueprint.write_text(blueprint_text("t3.small"), encoding="utf-8")
        result = awsarch_cli(endpoint, "up", str(blueprint), "--yes", profile=DEPLOYER)
        assert result.exit_code == 0, result.output
        assert "update lt/app" in result.output, result.output
        result = awsarch_cli(endpoint, "audit", "--blueprint", str(blueprint), profile=VIEWER)
        assert "not authorized" not in result.output, result.output
        result = awsarch_cli(endpoint, "down", str(blueprint), "--yes", profile=DEPLOYER)
        assert result.exit_code == 0, result.output
    return list(enforcing.behaviour("iam_enforcement").checked)


def _policy(text: str) -> dict[str, Any]:
    return deployer_policy(expand(load_text(text, file="b.yaml").blueprint))


def _of(checked: list[Checked], user: str) -> list[Checked]:
    return [c for c in checked if c.principal.endswith(f"/{user}")]


def test_every_call_of_the_three_tier_lifecycle_is_allowed(lifecycle: list[Checked]) -> None:
    """Load balancer, listeners, target group, launch template, Auto Scaling group and the
    instance refresh: every authorization AWS makes for them is allowed by the policy."""
    actions = {c.request.action for c in _of(lifecycle, DEPLOYER)}
    assert {
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:AddTags",
        "autoscaling:CreateAutoScalingGroup",
        "autoscaling:StartInstanceRefresh",
        "ec2:RunInstances",
        "iam:PassRole",
        "iam:CreateServiceLinkedRole",
    } <= actions
    refused = [(c.request.action, c.request.resource) for c in lifecycle if not c.decision.allowed]
    assert refused == []


def test_the_viewer_audits_the_three_tiers_reading_only(lifecycle: list[Checked]) -> None:
    viewer = _of(lifecycle, VIEWER)
    assert any(c.request.action.startswith("elasticloadbalancing:") for c in viewer)
    assert all(
        c.request.action.split(":")[1].startswith(("Describe", "List", "Get", "Generate"))
        for c in viewer
    )


def test_each_balancing_statement_is_needed(lifecycle: list[Checked]) -> None:
    """Every statement the three tiers add to the seed's policy refuses something without it,
    and grants nothing never checked but the repairs this lifecycle does not make."""
    policy = _policy(blueprint_text())
    seeds = {s["Sid"] for s in _policy(seed_text())["Statement"]}
    checked = _of(lifecycle, DEPLOYER)
    added = [s for s in policy["Statement"] if s["Sid"] not in seeds]
    assert len(added) >= 8
    for statement in added:
        without = {**policy, "Statement": [s for s in policy["Statement"] if s is not statement]}
        assert any(not evaluate(c.request, [without]).allowed for c in checked), statement["Sid"]
        unused = set(statement["Action"]) - {c.request.action for c in checked} - DRIFT_ONLY
        assert not unused, f"{statement['Sid']} grants {unused}, never checked"


def test_the_three_tier_policy_launches_no_instance_by_itself() -> None:
    """The Auto Scaling group launches its instances: the deployer gets no RunInstances that
    would create an instance, only launching from the stack's own templates."""
    policy = _policy(blueprint_text())
    sids = {s["Sid"] for s in policy["Statement"]}
    assert "LaunchTagged" not in sids and "ChangeOwnScaling" in sids
    assert "ReadAmiParameter" in sids
