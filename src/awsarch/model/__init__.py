"""The typed model of an AWS architecture (pure: no I/O)."""

from awsarch.model.architecture import Architecture, Path
from awsarch.model.compute import (
    ENGINE_PORTS,
    Database,
    DbSubnetGroup,
    Instance,
    NetworkInterface,
)
from awsarch.model.iam import Group, InstanceProfile, Policy, Role, Statement, User
from awsarch.model.network import (
    AclEntry,
    ElasticIp,
    InternetGateway,
    NatGateway,
    NetworkAcl,
    PortRange,
    Protocol,
    Route,
    RouteTable,
    Subnet,
    SubnetKind,
    Vpc,
    VpcPeering,
    allow_all_acl_entries,
)
from awsarch.model.security import (
    ALLOW_ALL_EGRESS,
    Peer,
    PrefixList,
    SecurityGroup,
    SecurityGroupRule,
)

__all__ = [
    "ALLOW_ALL_EGRESS",
    "ENGINE_PORTS",
    "AclEntry",
    "Architecture",
    "Database",
    "DbSubnetGroup",
    "ElasticIp",
    "Group",
    "Instance",
    "InstanceProfile",
    "InternetGateway",
    "NatGateway",
    "NetworkAcl",
    "NetworkInterface",
    "Path",
    "Peer",
    "Policy",
    "PortRange",
    "PrefixList",
    "Protocol",
    "Role",
    "Route",
    "RouteTable",
    "SecurityGroup",
    "SecurityGroupRule",
    "Statement",
    "Subnet",
    "SubnetKind",
    "User",
    "Vpc",
    "VpcPeering",
    "allow_all_acl_entries",
]
