"""One handler per resource type: how each is created, updated and deleted through the API."""

from __future__ import annotations

from awsarch.aws.resources.balancing import LoadBalancerHandler, TargetGroupHandler
from awsarch.aws.resources.base import Handler
from awsarch.aws.resources.compute import DatabaseHandler, DbSubnetGroupHandler, InstanceHandler
from awsarch.aws.resources.iam import InstanceProfileHandler, RoleHandler
from awsarch.aws.resources.iam_people import GroupHandler, UserHandler
from awsarch.aws.resources.network import (
    ElasticIpHandler,
    InternetGatewayHandler,
    NatGatewayHandler,
    NetworkAclHandler,
    RouteTableHandler,
    SubnetHandler,
    VpcHandler,
)
from awsarch.aws.resources.prefix_lists import PrefixListHandler
from awsarch.aws.resources.scaling import AutoScalingGroupHandler, LaunchTemplateHandler
from awsarch.aws.resources.security import SecurityGroupHandler

HANDLERS: dict[str, Handler] = {
    "Vpc": VpcHandler(),
    "Subnet": SubnetHandler(),
    "InternetGateway": InternetGatewayHandler(),
    "ElasticIp": ElasticIpHandler(),
    "NatGateway": NatGatewayHandler(),
    "RouteTable": RouteTableHandler(),
    "NetworkAcl": NetworkAclHandler(),
    "PrefixList": PrefixListHandler(),
    "SecurityGroup": SecurityGroupHandler(),
    "Role": RoleHandler(),
    "InstanceProfile": InstanceProfileHandler(),
    "Instance": InstanceHandler(),
    "DbSubnetGroup": DbSubnetGroupHandler(),
    "Database": DatabaseHandler(),
    "TargetGroup": TargetGroupHandler(),
    "LoadBalancer": LoadBalancerHandler(),
    "LaunchTemplate": LaunchTemplateHandler(),
    "AutoScalingGroup": AutoScalingGroupHandler(),
    "Group": GroupHandler(),
    "User": UserHandler(),
}
"""Keyed by the model class name (`Change.resource_type`)."""
