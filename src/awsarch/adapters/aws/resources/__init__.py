"""One handler per resource type: how each is created, updated and deleted through the API."""

from __future__ import annotations

from awsarch.adapters.aws.resources.balancing import LoadBalancerHandler, TargetGroupHandler
from awsarch.adapters.aws.resources.base import Handler
from awsarch.adapters.aws.resources.compute import (
    DatabaseHandler,
    DbSubnetGroupHandler,
    InstanceHandler,
)
from awsarch.adapters.aws.resources.iam import InstanceProfileHandler, RoleHandler
from awsarch.adapters.aws.resources.iam_people import GroupHandler, UserHandler
from awsarch.adapters.aws.resources.network import (
    ElasticIpHandler,
    InternetGatewayHandler,
    NatGatewayHandler,
    NetworkAclHandler,
    RouteTableHandler,
    SubnetHandler,
    VpcHandler,
)
from awsarch.adapters.aws.resources.prefix_lists import PrefixListHandler
from awsarch.adapters.aws.resources.scaling import AutoScalingGroupHandler, LaunchTemplateHandler
from awsarch.adapters.aws.resources.security import SecurityGroupHandler

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
