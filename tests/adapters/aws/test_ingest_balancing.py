"""Load balancers, target groups and Auto Scaling groups read from discovery's raw JSON."""

from __future__ import annotations

from typing import Any

from awsarch.adapters.aws.ingest import ingest

LB = "arn:aws:elasticloadbalancing:us-west-1:123456789012:loadbalancer/app/shop-front/1"
TG = "arn:aws:elasticloadbalancing:us-west-1:123456789012:targetgroup/shop-front/2"
ASG = "arn:aws:autoscaling:us-west-1:123456789012:autoScalingGroup:3:autoScalingGroupName/shop-app"


def _tags(name: str) -> list[dict[str, str]]:
    return [{"Key": "awsarch:stack", "Value": "shop"}, {"Key": "awsarch:name", "Value": name}]


def _raw() -> dict[str, Any]:
    member = {
        "InstanceId": "i-1",
        "SubnetId": "subnet-a",
        "State": {"Name": "running"},
        "Tags": [
            {"Key": "awsarch:stack", "Value": "shop"},
            {"Key": "awsarch:group", "Value": "app"},
            {"Key": "aws:autoscaling:groupName", "Value": "shop-app"},
        ],
    }
    return {
        "region": "us-west-1",
        "ec2": {
            "Subnets": [
                {"SubnetId": s, "VpcId": "vpc-1", "CidrBlock": c, "AvailabilityZone": "us-west-1a"}
                for s, c in (("subnet-a", "10.0.8.0/24"), ("subnet-p", "10.0.0.0/24"))
            ],
            "Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
            "Reservations": [{"Instances": [member]}],
        },
        "elbv2": {
            "LoadBalancers": [
                {
                    "LoadBalancerArn": LB,
                    "LoadBalancerName": "shop-front",
                    "Scheme": "internet-facing",
                    "Type": "application",
                    "DNSName": "shop-front-1.elb.amazonaws.com",
                    "AvailabilityZones": [{"SubnetId": "subnet-p"}],
                    "SecurityGroups": ["sg-lb"],
                    "Tags": _tags("lb/front"),
                    "Attributes": [{"Key": "deletion_protection.enabled", "Value": "true"}],
                    "Listeners": [
                        {
                            "Port": 443,
                            "Protocol": "HTTPS",
                            "DefaultActions": [{"Type": "forward", "TargetGroupArn": TG}],
                        },
                        {
                            "Port": 80,
                            "Protocol": "HTTP",
                            "DefaultActions": [
                                {"Type": "redirect", "RedirectConfig": {"Port": "443"}}
                            ],
                        },
                    ],
                }
            ],
            "TargetGroups": [
                {
                    "TargetGroupArn": TG,
                    "TargetGroupName": "shop-front",
                    "VpcId": "vpc-1",
                    "Port": 8080,
                    "Protocol": "HTTP",
                    "HealthCheckPath": "/health",
                    "HealthCheckPort": "traffic-port",
                    "Tags": [*_tags("tg/front"), {"Key": "awsarch:group", "Value": "app"}],
                    "TargetHealthDescriptions": [
                        {"Target": {"Id": "i-1"}, "TargetHealth": {"State": "healthy"}},
                        {"Target": {"Id": "i-9"}, "TargetHealth": {"State": "healthy"}},
                    ],
                }
            ],
        },
        "autoscaling": {
            "AutoScalingGroups": [
                {
                    "AutoScalingGroupName": "shop-app",
                    "AutoScalingGroupARN": ASG,
                    "MinSize": 2,
                    "MaxSize": 6,
                    "DesiredCapacity": 2,
                    "VPCZoneIdentifier": "subnet-a",
                    "TargetGroupARNs": [TG],
                    "LaunchTemplate": {"LaunchTemplateName": "shop-app", "Version": "$Default"},
                    "Tags": [*_tags("asg/app"), {"Key": "awsarch:group", "Value": "app"}],
                }
            ]
        },
    }


def test_the_load_balancer_reads_with_its_listeners_and_protection() -> None:
    (lb,) = ingest(_raw(), stack="shop").load_balancers
    assert (lb.id, lb.name, lb.internet_facing, lb.deletion_protection) == (
        LB,
        "shop-front",
        True,
        True,
    )
    assert lb.subnet_ids == ("subnet-p",) and lb.security_group_ids == ("sg-lb",)
    assert [(x.port, x.protocol, x.target_group_id, x.redirect_port) for x in lb.listeners] == [
        (80, "HTTP", "", 443),
        (443, "HTTPS", TG, None),
    ]


def test_a_target_group_s_registrations_leave_out_the_group_s_own_instances() -> None:
    """i-1 was launched by the Auto Scaling group (it registers its own); i-9 was registered
    by hand."""
    (tg,) = ingest(_raw(), stack="shop").target_groups
    assert (tg.port, tg.health_check_path, tg.health_check_port, tg.server_group) == (
        8080,
        "/health",
        None,
        "app",
    )
    assert tg.target_ids == ("i-9",)


def test_the_group_and_its_instances_read_under_the_group_s_logical_id() -> None:
    arch = ingest(_raw(), stack="shop")
    (asg,) = arch.auto_scaling_groups
    assert (asg.id, asg.name, asg.launch_template, asg.target_group_ids) == (
        ASG,
        "shop-app",
        "shop-app",
        (TG,),
    )
    (member,) = arch.instances
    assert member.scaling_group == ASG
    logical = dict(arch.logical_ids)
    assert (logical[ASG], logical[LB], logical[TG]) == ("asg/app", "lb/front", "tg/front")
    assert "i-1" not in logical
