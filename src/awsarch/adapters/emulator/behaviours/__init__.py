"""AWS's documented behaviours that moto skips, one module each, all on by default.

Each can be switched off alone (`start(without={"nat_deletion"})`) so a test can show that the
engine copes with that one behaviour, or show moto's answer next to AWS's.
"""

from __future__ import annotations

from awsarch.adapters.emulator.behaviours.automated_backups import AutomatedBackups
from awsarch.adapters.emulator.behaviours.cfn_change_sets import CfnChangeSets
from awsarch.adapters.emulator.behaviours.cfn_deletion_protection import CfnDeletionProtection
from awsarch.adapters.emulator.behaviours.cfn_launch_templates import CfnLaunchTemplates
from awsarch.adapters.emulator.behaviours.cfn_role_policies import CfnRolePolicies
from awsarch.adapters.emulator.behaviours.cfn_stack_deletion import CfnStackDeletion
from awsarch.adapters.emulator.behaviours.cfn_stack_set_targets import CfnStackSetTargets
from awsarch.adapters.emulator.behaviours.cfn_termination_protection import CfnTerminationProtection
from awsarch.adapters.emulator.behaviours.client_token import ClientToken
from awsarch.adapters.emulator.behaviours.database_deletion import DatabaseDeletion
from awsarch.adapters.emulator.behaviours.default_security_group_rules import (
    DefaultSecurityGroupRules,
)
from awsarch.adapters.emulator.behaviours.deleted_resources import DeletedResources
from awsarch.adapters.emulator.behaviours.iam_enforcement import IamEnforcement
from awsarch.adapters.emulator.behaviours.iam_path_prefix import IamPathPrefix
from awsarch.adapters.emulator.behaviours.iam_propagation import IamPropagation
from awsarch.adapters.emulator.behaviours.iam_quotas import IamQuotas
from awsarch.adapters.emulator.behaviours.instance_lifecycle import InstanceLifecycle
from awsarch.adapters.emulator.behaviours.instance_refresh import InstanceRefresh
from awsarch.adapters.emulator.behaviours.ipv6_addressing import Ipv6Addressing
from awsarch.adapters.emulator.behaviours.load_balancer_protection import LoadBalancerProtection
from awsarch.adapters.emulator.behaviours.nat_deletion import NatDeletion
from awsarch.adapters.emulator.behaviours.nat_tag_filters import NatTagFilters
from awsarch.adapters.emulator.behaviours.opt_in_regions import OptInRegions
from awsarch.adapters.emulator.behaviours.prefix_list_versions import PrefixListVersions
from awsarch.adapters.emulator.behaviours.rds_versions import RdsVersions
from awsarch.adapters.emulator.behaviours.route_table_association import RouteTableAssociation
from awsarch.adapters.emulator.behaviours.scaling_launches import ScalingLaunches
from awsarch.adapters.emulator.behaviours.security_group_references import SecurityGroupReferences
from awsarch.adapters.emulator.behaviours.sts_assume_role import StsAssumeRole
from awsarch.adapters.emulator.layer import Behaviour

ALL: tuple[type[Behaviour], ...] = (
    OptInRegions,  # a region the account has not enabled refuses the call before anything else
    DefaultSecurityGroupRules,
    SecurityGroupReferences,
    NatTagFilters,
    PrefixListVersions,
    ClientToken,
    NatDeletion,
    InstanceLifecycle,
    DeletedResources,
    DatabaseDeletion,
    AutomatedBackups,
    IamPropagation,
    RdsVersions,
    IamQuotas,
    IamPathPrefix,
    RouteTableAssociation,
    Ipv6Addressing,
    ScalingLaunches,
    IamEnforcement,  # AWS authorizes a call before it answers it: before the two that answer
    StsAssumeRole,
    InstanceRefresh,
    LoadBalancerProtection,
    CfnTerminationProtection,
    CfnLaunchTemplates,
    CfnChangeSets,
    CfnStackSetTargets,
    CfnStackDeletion,
    CfnRolePolicies,
    CfnDeletionProtection,
)
NAMES: tuple[str, ...] = tuple(b.name for b in ALL)
