"""The three-tier blueprint on the emulator: `up` builds the load balancer in the public subnets
with its listeners and target group, and the Auto Scaling group in the private ones; a second
`up` changes nothing, drift on the listener or the group's size shows, a launch template change
rolls the instances, and `down` leaves nothing tagged for the stack.

Every intent of the blueprint is proved on what is live, those through the load balancer too.
Every check reads AWS's own describe calls.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from awsarch.adapters.aws.session import AwsSession
from awsarch.adapters.aws.zones import account_zones
from awsarch.adapters.emulator import Emulator
from awsarch.blueprint.load import load_file
from awsarch.blueprint.seed import three_tier_text
from awsarch.deploy.diff import Change
from awsarch.usecases.live import changes_for, expand_in, observe
from tests.live.support import invoke

REGION = "us-west-1"
STACK = "tiers"
STACK_TAG = "awsarch:stack"


def blueprint_text(instance_type: str = "t3.micro") -> str:
    """The three-tier blueprint in this module's region and stack."""
    text = three_tier_text()
    text = re.sub(r"(?m)^stack: \S+", f"stack: {STACK}", text)
    text = re.sub(r"(?m)^region: \S+", f"region: {REGION}", text)
    text = text.replace("type: t3.micro", f"type: {instance_type}")
    return text


@dataclass(frozen=True, kw_only=True)
class Stack:
    emulator: Emulator
    path: Path
    up_output: str

    def client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.emulator.endpoint_url, region_name=REGION)

    def ids(self) -> dict[str, str]:
        """awsarch:name → EC2 id of the stack's tagged EC2 resources."""
        tags = self.client("ec2").describe_tags(
            Filters=[{"Name": "key", "Values": ["awsarch:name", STACK_TAG]}]
        )["Tags"]
        ours = {t["ResourceId"] for t in tags if t["Key"] == STACK_TAG and t["Value"] == STACK}
        return {
            t["Value"]: t["ResourceId"]
            for t in tags
            if t["Key"] == "awsarch:name" and t["ResourceId"] in ours
        }

    def changes(self) -> list[Change]:
        """What `up` would change now (the plan `plan --live` prints)."""
        session = AwsSession(region=REGION, endpoint_url=self.emulator.endpoint_url)
        desired = expand_in(load_file(str(self.path)), account_zones(session))
        return changes_for(desired, observe(session, stack=STACK))

    def balancer(self) -> dict[str, Any]:
        (found,) = self.client("elbv2").describe_load_balancers(Names=[f"{STACK}-front"])[
            "LoadBalancers"
        ]
        return dict(found)

    def group(self) -> dict[str, Any]:
        (found,) = self.client("autoscaling").describe_auto_scaling_groups(
            AutoScalingGroupNames=[f"{STACK}-app"]
        )["AutoScalingGroups"]
        return dict(found)


@pytest.fixture(scope="module")
def stack(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    path = tmp_path_factory.mktemp("three") / "three.yaml"
    path.write_text(blueprint_text())
    result = invoke(emulator, REGION, "up", str(path), "--yes")
    assert result.exit_code == 0, result.output
    yield Stack(emulator=emulator, path=path, up_output=result.output)
    invoke(emulator, REGION, "down", str(path), "--yes")


def test_up_puts_the_load_balancer_in_the_public_subnets_with_its_listeners(stack: Stack) -> None:
    """An internet-facing ALB in both public subnets, in its own group, protected from deletion;
    443 forwards to the target group, 80 redirects to 443."""
    ids, elbv2 = stack.ids(), stack.client("elbv2")
    balancer = stack.balancer()
    assert balancer["Scheme"] == "internet-facing" and balancer["Type"] == "application"
    subnets = {z["SubnetId"] for z in balancer["AvailabilityZones"]}
    assert subnets == {ids["subnet/public-a"], ids["subnet/public-b"]}
    assert balancer["SecurityGroups"] == [ids["sg/lb-front"]]
    arn = balancer["LoadBalancerArn"]
    attributes = elbv2.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]
    assert {"Key": "deletion_protection.enabled", "Value": "true"} in attributes
    listeners = {x["Port"]: x for x in elbv2.describe_listeners(LoadBalancerArn=arn)["Listeners"]}
    (group,) = elbv2.describe_target_groups(Names=[f"{STACK}-front"])["TargetGroups"]
    forward = listeners[443]["DefaultActions"][0]
    assert listeners[443]["Protocol"] == "HTTPS"
    assert (forward["Type"], forward["TargetGroupArn"]) == ("forward", group["TargetGroupArn"])
    redirect = listeners[80]["DefaultActions"][0]
    assert redirect["Type"] == "redirect" and redirect["RedirectConfig"]["Port"] == "443"
    assert (group["Port"], group["HealthCheckPath"], group["VpcId"]) == (
        8080,
        "/health",
        ids["vpc/main"],
    )


def test_up_puts_the_scaling_group_in_the_private_subnets(stack: Stack) -> None:
    """The group spans both app subnets, sends to the target group, and launches its instances
    from the template: IMDSv2, the instance profile, spread over the zones, no public address."""
    ids, group = stack.ids(), stack.group()
    app = {ids["subnet/app-a"], ids["subnet/app-b"]}
    assert set(group["VPCZoneIdentifier"].split(",")) == app
    assert (group["MinSize"], group["DesiredCapacity"], group["MaxSize"]) == (2, 2, 6)
    (target_group,) = group["TargetGroupARNs"]
    assert target_group.endswith(f"targetgroup/{STACK}-front/" + target_group.rsplit("/", 1)[-1])
    members = [i["InstanceId"] for i in group["Instances"]]
    reservations = stack.client("ec2").describe_instances(InstanceIds=members)["Reservations"]
    instances = [i for r in reservations for i in r["Instances"]]
    assert {i["SubnetId"] for i in instances} == app
    for instance in instances:
        assert instance["MetadataOptions"]["HttpTokens"] == "required"
        assert instance["IamInstanceProfile"]["Arn"].endswith(f"/{STACK}-app")
        assert not instance.get("PublicIpAddress")
        assert ids["sg/app"] in {g["GroupId"] for g in instance["SecurityGroups"]} | {
            g["GroupId"] for n in instance["NetworkInterfaces"] for g in n["Groups"]
        }


def test_the_live_proofs_hold_and_a_second_up_changes_nothing(stack: Stack) -> None:
    """`up` proves the intents on what it built; then nothing is left to change."""
    assert "7 of 7 intents hold" in stack.up_output, stack.up_output
    assert "0 drifted" in stack.up_output
    assert stack.changes() == []


def test_plan_shows_drift_on_the_listener_and_the_group_size(stack: Stack) -> None:
    """Someone points port 80 at the target group and scales the group by hand: the plan
    updates the load balancer and the group, and `up` puts both back."""
    elbv2 = stack.client("elbv2")
    arn = stack.balancer()["LoadBalancerArn"]
    listeners = {x["Port"]: x for x in elbv2.describe_listeners(LoadBalancerArn=arn)["Listeners"]}
    forward = listeners[443]["DefaultActions"]
    elbv2.modify_listener(ListenerArn=listeners[80]["ListenerArn"], DefaultActions=forward)
    stack.client("autoscaling").set_desired_capacity(
        AutoScalingGroupName=f"{STACK}-app", DesiredCapacity=3
    )
    drift = {(c.kind, c.logical_id): {f.field for f in c.fields} for c in stack.changes()}
    assert drift == {("update", "lb/front"): {"listeners"}, ("update", "asg/app"): {"desired"}}
    result = invoke(stack.emulator, REGION, "up", str(stack.path), "--yes")
    assert result.exit_code == 0, result.output
    assert stack.changes() == []
    assert stack.group()["DesiredCapacity"] == 2


def test_a_launch_template_change_rolls_the_instances(stack: Stack) -> None:
    """A new instance type: a new default template version, an instance refresh, and the
    group's instances on the new version."""
    before = {i["InstanceId"] for i in stack.group()["Instances"]}
    stack.path.write_text(blueprint_text("t3.small"))
    (change,) = stack.changes()
    assert (change.kind, change.logical_id) == ("update", "lt/app")
    result = invoke(stack.emulator, REGION, "up", str(stack.path), "--yes")
    assert result.exit_code == 0, result.output
    refreshes = stack.client("autoscaling").describe_instance_refreshes(
        AutoScalingGroupName=f"{STACK}-app"
    )["InstanceRefreshes"]
    assert len(refreshes) == 1
    (template,) = stack.client("ec2").describe_launch_templates(
        LaunchTemplateNames=[f"{STACK}-app"]
    )["LaunchTemplates"]
    assert template["DefaultVersionNumber"] == 2
    group = stack.group()
    assert len(group["Instances"]) == 2 and not before & {
        i["InstanceId"] for i in group["Instances"]
    }
    assert {i["InstanceType"] for i in group["Instances"]} == {"t3.small"}
    members = [i["InstanceId"] for i in group["Instances"]]
    tags = stack.client("ec2").describe_tags(
        Filters=[
            {"Name": "resource-id", "Values": members},
            {"Name": "key", "Values": ["aws:ec2launchtemplate:version"]},
        ]
    )["Tags"]
    assert [t["Value"] for t in tags] == ["2", "2"]
    assert stack.changes() == []


def test_down_leaves_nothing(stack: Stack) -> None:
    """`down` deletes the load balancer (its protection turned off, and said), the target group,
    the group with its instances and the launch template: nothing tagged for the stack remains."""
    result = invoke(stack.emulator, REGION, "down", str(stack.path), "--yes")
    assert result.exit_code == 0, result.output
    assert f"turning deletion protection off for {STACK}-front" in result.output
    elbv2, autoscaling = stack.client("elbv2"), stack.client("autoscaling")
    assert elbv2.describe_load_balancers()["LoadBalancers"] == []
    assert elbv2.describe_target_groups()["TargetGroups"] == []
    tagged = [{"Name": f"tag:{STACK_TAG}", "Values": [STACK]}]
    assert autoscaling.describe_auto_scaling_groups(Filters=tagged)["AutoScalingGroups"] == []
    ec2 = stack.client("ec2")
    assert ec2.describe_launch_templates(Filters=tagged)["LaunchTemplates"] == []
    live = ec2.describe_instances(
        Filters=[*tagged, {"Name": "instance-state-name", "Values": ["pending", "running"]}]
    )["Reservations"]
    assert live == []
