"""scaling_launches, instance_refresh and load_balancer_protection: an Auto Scaling group
launches as its launch template says across its zones, an instance refresh replaces its
instances, and a protected load balancer is not deleted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import botocore.exceptions
import pytest

from awsarch.adapters.emulator.behaviours.instance_refresh import AWS_SECONDS
from tests.adapters.emulator.support import (
    REGION,
    Pair,
    client,
    error_code,
    image,
    pair,
    trust,
    unique,
)


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("scaling_launches", "instance_refresh", "load_balancer_protection")


def _network(ec2: Any, octet: int) -> tuple[str, list[str]]:
    vpc = ec2.create_vpc(CidrBlock=f"10.{octet}.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"10.{octet}.{i}.0/24", AvailabilityZone=f"{REGION}{zone}"
        )["Subnet"]["SubnetId"]
        for i, zone in enumerate("ab")
    ]
    return vpc, subnets


def _group(running: Any, octet: int) -> tuple[str, list[str]]:
    """A group of two over two subnets, from a template with a profile and IMDSv2."""
    ec2, iam = client(running, "ec2"), client(running, "iam")
    _, subnets = _network(ec2, octet)
    name = unique("app")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}))
    iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name)
    data = {
        "ImageId": image(ec2),
        "InstanceType": "t3.micro",
        "IamInstanceProfile": {"Name": name},
        "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"},
    }
    ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData=data)
    client(running, "autoscaling").create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchTemplate={"LaunchTemplateName": name, "Version": "$Default"},
        MinSize=2,
        MaxSize=4,
        DesiredCapacity=2,
        VPCZoneIdentifier=",".join(subnets),
    )
    return name, subnets


def _instances(running: Any, group: str) -> list[dict[str, Any]]:
    (found,) = client(running, "autoscaling").describe_auto_scaling_groups(
        AutoScalingGroupNames=[group]
    )["AutoScalingGroups"]
    ids = [i["InstanceId"] for i in found["Instances"]]
    reservations = client(running, "ec2").describe_instances(InstanceIds=ids)["Reservations"]
    return [i for r in reservations for i in r["Instances"]]


def test_a_group_spreads_over_its_zones_with_its_template_s_profile(emulators: Pair) -> None:
    """AWS: one instance per zone, each with the template's instance profile and IMDSv2;
    moto: both in the first subnet, neither."""
    group, subnets = _group(emulators.on, 81)
    launched = _instances(emulators.on, group)
    assert sorted(i["SubnetId"] for i in launched) == sorted(subnets)
    assert all(i["MetadataOptions"]["HttpTokens"] == "required" for i in launched)
    assert all(i["IamInstanceProfile"]["Arn"].endswith(f"/{group}") for i in launched)
    group, subnets = _group(emulators.off, 82)
    assert {i["SubnetId"] for i in _instances(emulators.off, group)} == {subnets[0]}


def test_an_instance_refresh_replaces_the_instances_once_at_a_time(emulators: Pair) -> None:
    """StartInstanceRefresh replaces every instance; a second refresh is refused while the first
    is InProgress; it reads Successful once done. (moto implements neither call: a 500.)"""
    group, _ = _group(emulators.on, 83)
    before = {i["InstanceId"] for i in _instances(emulators.on, group)}
    autoscaling = client(emulators.on, "autoscaling")
    refresh = autoscaling.start_instance_refresh(AutoScalingGroupName=group)["InstanceRefreshId"]
    after = {i["InstanceId"] for i in _instances(emulators.on, group)}
    assert len(after) == 2 and not before & after
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        autoscaling.start_instance_refresh(AutoScalingGroupName=group)
    assert error_code(refused) == "InstanceRefreshInProgress"
    (listed,) = autoscaling.describe_instance_refreshes(AutoScalingGroupName=group)[
        "InstanceRefreshes"
    ]
    assert (listed["InstanceRefreshId"], listed["Status"]) == (refresh, "InProgress")
    emulators.clock.advance(AWS_SECONDS)
    (listed,) = autoscaling.describe_instance_refreshes(AutoScalingGroupName=group)[
        "InstanceRefreshes"
    ]
    assert listed["Status"] == "Successful"


def test_a_protected_load_balancer_is_not_deleted(emulators: Pair) -> None:
    """AWS refuses DeleteLoadBalancer while deletion protection is on (OperationNotPermitted);
    moto deletes it."""
    _, subnets = _network(client(emulators.on, "ec2"), 84)
    elbv2 = client(emulators.on, "elbv2")
    arns = []
    for _ in range(2):
        arn = elbv2.create_load_balancer(Name=unique("lb"), Subnets=subnets)["LoadBalancers"][0][
            "LoadBalancerArn"
        ]
        protection = [{"Key": "deletion_protection.enabled", "Value": "true"}]
        elbv2.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=protection)
        arns.append(arn)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        elbv2.delete_load_balancer(LoadBalancerArn=arns[0])
    assert error_code(refused) == "OperationNotPermitted"
    client(emulators.off, "elbv2").delete_load_balancer(LoadBalancerArn=arns[1])
    remaining = {b["LoadBalancerArn"] for b in elbv2.describe_load_balancers()["LoadBalancers"]}
    assert arns[0] in remaining and arns[1] not in remaining
