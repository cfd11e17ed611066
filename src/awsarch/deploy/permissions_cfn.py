"""The deployer policy of `up/plan/down --engine cloudformation`, read off the template.

With no service role, CloudFormation acts with the caller's credentials
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html): the
caller needs the change-set calls on the stack and every permission the handlers of the
template's resource types use. AWS publishes those per type in the resource provider schemas
(`handlers.create/read/update/delete.permissions`,
https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html).
Each handler permission is either granted here, for the resource types the synthesized template
holds, or named in `NOT_GRANTED` with the property whose absence makes the handler skip it;
tests/iam/test_cloudformation_policy.py checks both against the schemas cfn-lint ships and the
templates `synth` writes, so a new resource type cannot slip in ungranted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from awsarch.cfn.resources_default_group import CUSTOM_TYPE
from awsarch.cfn.synth import synthesize
from awsarch.deploy.permissions import (
    AMI_PARAMETERS,
    DATABASES,
    ROLES,
    SUBNET_GROUPS,
    USERS,
    Grant,
    Need,
    deployer_policy,
    policy_document,
    statement,
)
from awsarch.model import Architecture

CLOUDFORMATION_ACTIONS = (
    "cloudformation:CreateChangeSet",
    "cloudformation:DeleteChangeSet",
    "cloudformation:DeleteStack",
    "cloudformation:DescribeChangeSet",
    "cloudformation:DescribeStackEvents",
    "cloudformation:DescribeStacks",
    "cloudformation:ExecuteChangeSet",
    "cloudformation:ListStackResources",
    "cloudformation:UpdateTerminationProtection",
)
"""The calls of `awsarch.cfn.stacks` (tests/iam/test_cloudformation_policy.py reads them there).
Each is authorized on the `stack` resource type (Service Authorization Reference), whose ARN is
arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID."""
_STACK = "arn:aws:cloudformation:{region}:*:stack/{stack}/*"
_ELB = "AWS::ElasticLoadBalancingV2::"
_ASG = "AWS::AutoScaling::AutoScalingGroup"
SERVICE_LINKED_ROLES: dict[str, tuple[str, str]] = {
    f"{_ELB}LoadBalancer": (
        "elasticloadbalancing.amazonaws.com",
        "AWSServiceRoleForElasticLoadBalancing",
    ),
    _ASG: ("autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling"),
}
"""A fresh account's first load balancer and Auto Scaling group make the service create its
service-linked role as the caller
(https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-service-linked-roles.html,
https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html):
that role only, for that service only."""

TEMPLATE_GRANTS: dict[str, tuple[Grant, ...]] = {
    # Instances launch from a launch template (IMDSv2) and read the AMI through an SSM
    # parameter type; RunInstances is authorized on the launch template too.
    "AWS::EC2::LaunchTemplate": (
        Grant(
            sid="TemplateLaunchTemplatesTagged",
            actions=("ec2:CreateLaunchTemplate",),
            condition="request-tag",
        ),
        Grant(
            sid="TemplateOwnLaunchTemplates",
            actions=(
                "ec2:CreateLaunchTemplateVersion",
                "ec2:DeleteLaunchTemplate",
                "ec2:RunInstances",
            ),
            condition="resource-tag",
        ),
        Grant(
            sid="TemplateAmiParameter", actions=("ssm:GetParameters",), resources=(AMI_PARAMETERS,)
        ),
    ),
    "AWS::EC2::SecurityGroup": (
        Grant(
            sid="TemplateOwnRuleDescriptions",
            actions=(
                "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
                "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
            ),
            condition="resource-tag",
        ),
    ),
    "AWS::IAM::Role": (
        Grant(
            sid="TemplateOwnRoleUpdates",
            actions=(
                "iam:UntagRole",
                "iam:UpdateAssumeRolePolicy",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
            ),
            resources=(ROLES,),
        ),
    ),
    "AWS::IAM::User": (
        Grant(sid="TemplateOwnUserTags", actions=("iam:UntagUser",), resources=(USERS,)),
    ),
    # The function that empties the default security group, and its role.
    "AWS::Lambda::Function": (
        Grant(
            sid="TemplateFunctionsTagged",
            actions=("lambda:CreateFunction", "lambda:TagResource"),
            condition="request-tag",
        ),
        Grant(
            sid="TemplateOwnFunctions",
            actions=(
                "lambda:DeleteFunction",
                "lambda:GetFunction",
                "lambda:ListTags",
                "lambda:TagResource",
                "lambda:UntagResource",
                "lambda:UpdateFunctionCode",
                "lambda:UpdateFunctionConfiguration",
            ),
            condition="resource-tag",
        ),
        Grant(
            sid="PassOwnRoleToLambda",
            actions=("iam:PassRole",),
            resources=(ROLES,),
            condition="passed-to-lambda",
        ),
    ),
    # CloudFormation invokes a custom resource's function with the caller's credentials.
    CUSTOM_TYPE: (
        Grant(
            sid="TemplateInvokeOwnFunctions",
            actions=("lambda:InvokeFunction",),
            condition="resource-tag",
        ),
    ),
    "AWS::RDS::DBInstance": (
        Grant(
            sid="TemplateOwnDatabaseUpdates",
            actions=("rds:RebootDBInstance", "rds:RemoveTagsFromResource"),
            resources=(DATABASES,),
        ),
    ),
    "AWS::RDS::DBSubnetGroup": (
        Grant(
            sid="TemplateOwnSubnetGroupTags",
            actions=("rds:RemoveTagsFromResource",),
            resources=(SUBNET_GROUPS,),
        ),
    ),
    # Elastic Load Balancing authorizes creation by the request's tags and everything after by
    # the resource's (Service Authorization Reference, Elastic Load Balancing V2); tagging on
    # create needs AddTags too. A listener is created on its load balancer, tagged ours.
    f"{_ELB}LoadBalancer": (
        Grant(
            sid="TemplateLoadBalancersTagged",
            actions=("elasticloadbalancing:AddTags", "elasticloadbalancing:CreateLoadBalancer"),
            condition="request-tag",
        ),
        Grant(
            sid="TemplateOwnLoadBalancers",
            actions=(
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:RemoveTags",
                "elasticloadbalancing:SetSecurityGroups",
                "elasticloadbalancing:SetSubnets",
            ),
            condition="resource-tag",
        ),
    ),
    f"{_ELB}Listener": (
        Grant(
            sid="TemplateListenersTagged",
            actions=("elasticloadbalancing:AddTags",),
            condition="request-tag",
        ),
        Grant(
            sid="TemplateOwnListeners",
            actions=(
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:ModifyListenerAttributes",
                "elasticloadbalancing:RemoveTags",
            ),
            condition="resource-tag",
        ),
        # The handler reads a user pool's client for an authenticate-cognito action, which no
        # template of ours writes: only the stack's own (tagged) user pools, of which it has none.
        Grant(
            sid="TemplateOwnUserPoolClients",
            actions=("cognito-idp:DescribeUserPoolClient",),
            condition="resource-tag",
        ),
    ),
    f"{_ELB}TargetGroup": (
        Grant(
            sid="TemplateTargetGroupsTagged",
            actions=("elasticloadbalancing:AddTags", "elasticloadbalancing:CreateTargetGroup"),
            condition="request-tag",
        ),
        Grant(
            sid="TemplateOwnTargetGroups",
            actions=(
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:DeregisterTargets",
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:RegisterTargets",
                "elasticloadbalancing:RemoveTags",
            ),
            condition="resource-tag",
        ),
    ),
    # Auto Scaling authorizes a group's creation by the request's tags and every later call by
    # the group's (Service Authorization Reference, Amazon EC2 Auto Scaling). The group checks
    # that the caller may launch from its launch template: ec2:RunInstances and iam:PassRole of
    # the instance profile's role to EC2 come with the instances
    # (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html).
    _ASG: (
        Grant(
            sid="TemplateScalingGroupsTagged",
            actions=("autoscaling:CreateAutoScalingGroup", "autoscaling:CreateOrUpdateTags"),
            condition="request-tag",
        ),
        Grant(
            sid="TemplateOwnScalingGroups",
            actions=(
                "autoscaling:AttachLoadBalancerTargetGroups",
                "autoscaling:AttachTrafficSources",
                "autoscaling:CancelInstanceRefresh",
                "autoscaling:CreateOrUpdateTags",
                "autoscaling:DeleteAutoScalingGroup",
                "autoscaling:DeleteTags",
                "autoscaling:DetachLoadBalancerTargetGroups",
                "autoscaling:DetachTrafficSources",
                "autoscaling:ResumeProcesses",
                "autoscaling:StartInstanceRefresh",
                "autoscaling:SuspendProcesses",
                "autoscaling:UpdateAutoScalingGroup",
            ),
            condition="resource-tag",
        ),
        Grant(
            sid="TemplateScalingGroupAmiParameters",
            actions=("ssm:Get*",),
            resources=(AMI_PARAMETERS,),
        ),
        # AWS's schema lists these for the handlers without naming the property they serve;
        # CloudFormation alone may make them, on the caller's behalf.
        Grant(
            sid="TemplateScalingGroupHandlerCalls",
            actions=(
                "cloudwatch:PutMetricAlarm",
                "managed-fleets:CreateAutoScalingGroup",
                "managed-fleets:DeleteAutoScalingGroup",
                "managed-fleets:DeregisterAutoScalingGroup",
                "managed-fleets:RegisterAutoScalingGroup",
                "managed-fleets:UpdateAutoScalingGroup",
            ),
            condition="via-cloudformation",
        ),
    ),
}
"""Changes the direct engine never makes but the types' handlers do, on this stack's resources."""

TEMPLATE_READS: dict[str, tuple[str, ...]] = {
    "AWS::EC2::Instance": (
        "ec2:DescribeIamInstanceProfileAssociations",
        "ec2:DescribeInstanceAttribute",
        "ec2:DescribeInstanceCreditSpecifications",
        "ec2:DescribeKeyPairs",
        "ec2:DescribeNetworkInterfaces",
        "ssm:DescribeAssociation",
        "ssm:ListAssociations",
    ),
    "AWS::EC2::LaunchTemplate": (
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:DescribeLaunchTemplates",
    ),
    "AWS::EC2::PrefixList": ("ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries"),
    "AWS::EC2::Route": ("ec2:DescribeNetworkInterfaces",),
    # Rules of two groups that name each other stand alone (cfn/resources_security.py).
    "AWS::EC2::SecurityGroupEgress": ("ec2:DescribeSecurityGroupRules",),
    "AWS::EC2::SecurityGroupIngress": ("ec2:DescribeSecurityGroupRules",),
    "AWS::EC2::VPC": ("ec2:DescribeVpcEncryptionControls",),
    "AWS::EC2::VPCGatewayAttachment": ("ec2:DescribeVpnGateways",),
    "AWS::IAM::ManagedPolicy": ("iam:ListEntitiesForPolicy",),
    "AWS::IAM::User": (
        "iam:GetUserPolicy",
        "iam:ListAttachedUserPolicies",
        "iam:ListUserPolicies",
        "iam:ListUserTags",
    ),
    "AWS::Lambda::Function": (
        "ec2:DescribeNetworkInterfaces",
        "lambda:GetCodeSigningConfig",
        "lambda:GetFunctionCodeSigningConfig",
        "lambda:GetFunctionRecursionConfig",
        "lambda:GetFunctionScalingConfig",
        "lambda:GetLayerVersion",
        "lambda:GetRuntimeManagementConfig",
    ),
    "AWS::RDS::DBInstance": (
        "ec2:DescribeAccountAttributes",
        "rds:DescribeDBClusterSnapshots",
        "rds:DescribeDBClusters",
        "rds:DescribeDBEngineVersions",
        "rds:DescribeDBInstanceAutomatedBackups",
        "rds:DescribeDBParameterGroups",
        "rds:DescribeDBSnapshots",
        "rds:DescribeEvents",
    ),
    "AWS::RDS::DBSubnetGroup": ("rds:ListTagsForResource",),
    f"{_ELB}LoadBalancer": (
        "ec2:DescribeIpamPools",
        "elasticloadbalancing:DescribeCapacityReservation",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTags",
    ),
    f"{_ELB}Listener": (
        "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeTags",
    ),
    f"{_ELB}TargetGroup": (
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
    ),
    _ASG: (
        "autoscaling:Describe*",
        "ec2:Describe*",
        "ec2:Get*",
        "elasticloadbalancing:Describe*",
        "managed-fleets:Get*",
    ),
}
"""Reads the handlers make beyond discovery's: granted only through CloudFormation."""


@dataclass(frozen=True)
class NotGranted:
    """Handler permissions left out: the handler calls them only for properties our templates
    never set (the test checks the properties are absent from every synthesized resource)."""

    resource_type: str
    actions: tuple[str, ...]
    properties: tuple[str, ...]
    why: str


NOT_GRANTED: tuple[NotGranted, ...] = (
    NotGranted(
        "AWS::EC2::EIP",
        ("ec2:AcceptAddressTransfer", "ec2:AssociateAddress", "ec2:DisassociateAddress"),
        ("TransferAddress", "InstanceId"),
        "addresses go to NAT gateways, which take them by allocation id and let them go",
    ),
    NotGranted(
        "AWS::EC2::Instance",
        (
            "ec2:AttachVolume",
            "ec2:DetachVolume",
            "ec2:DisassociateIamInstanceProfile",
            "ec2:ReplaceIamInstanceProfileAssociation",
            "ec2:ModifyInstanceCreditSpecification",
            "ec2:ModifyInstanceMaintenanceOptions",
            "ec2:ModifyInstancePlacement",
            "ec2:ModifyPrivateDnsNameOptions",
            "ec2:MonitorInstances",
            "ec2:UnmonitorInstances",
            "ssm:CreateAssociation",
            "ssm:DeleteAssociation",
        ),
        (
            "Volumes",
            "IamInstanceProfile",
            "CreditSpecification",
            "MaintenanceOptions",
            "Affinity",
            "HostId",
            "PrivateDnsNameOptions",
            "Monitoring",
            "SsmAssociations",
        ),
        "volumes and the instance profile come from the launch template",
    ),
    NotGranted(
        _ASG,
        (
            "autoscaling:AttachLoadBalancers",
            "autoscaling:DetachLoadBalancers",
            "autoscaling:PutLifecycleHook",
            "autoscaling:DeleteLifecycleHook",
            "autoscaling:PutNotificationConfiguration",
            "autoscaling:DeleteNotificationConfiguration",
            "autoscaling:EnableMetricsCollection",
            "autoscaling:DisableMetricsCollection",
            "vpc-lattice:DeregisterTargets",
            "vpc-lattice:GetTargetGroup",
            "vpc-lattice:ListTargets",
            "vpc-lattice:RegisterTargets",
        ),
        (
            "LoadBalancerNames",
            "LifecycleHookSpecificationList",
            "NotificationConfiguration",
            "NotificationConfigurations",
            "MetricsCollection",
            "TrafficSources",
        ),
        "groups register with target groups only; no hooks, notifications, metrics or Lattice",
    ),
    NotGranted(
        "AWS::EC2::NatGateway",
        (
            "ec2:AssignPrivateNatGatewayAddress",
            "ec2:AssociateNatGatewayAddress",
            "ec2:DisassociateNatGatewayAddress",
            "ec2:UnassignPrivateNatGatewayAddress",
        ),
        ("SecondaryAllocationIds", "SecondaryPrivateIpAddresses"),
        "one address per NAT gateway",
    ),
    NotGranted(
        f"{_ELB}LoadBalancer",
        (
            "elasticloadbalancing:ModifyCapacityReservation",
            "elasticloadbalancing:ModifyIpPools",
            "elasticloadbalancing:SetIpAddressType",
        ),
        ("MinimumLoadBalancerCapacity", "Ipv4IpamPoolId", "IpAddressType"),
        "IPv4 addresses from AWS, no reserved capacity",
    ),
    NotGranted(
        "AWS::EC2::Subnet",
        ("ec2:AssociateSubnetCidrBlock", "ec2:DisassociateSubnetCidrBlock"),
        ("Ipv6CidrBlock", "Ipv6CidrBlocks"),
        "a blueprint asks for no IPv6 block",
    ),
    NotGranted(
        "AWS::EC2::VPC",
        ("ec2:CreateVpcEncryptionControl", "ec2:ModifyVpcTenancy"),
        ("VpcEncryptionControl", "InstanceTenancy"),
        "default tenancy, no encryption control",
    ),
    NotGranted(
        "AWS::EC2::VPCGatewayAttachment",
        ("ec2:AttachVpnGateway", "ec2:DetachVpnGateway"),
        ("VpnGatewayId",),
        "only internet gateways are attached",
    ),
    NotGranted(
        "AWS::IAM::Group",
        ("iam:PutGroupPolicy", "iam:UpdateGroup"),
        ("Policies",),
        "groups get managed policies; their path is the stack's and never changes",
    ),
    NotGranted(
        "AWS::IAM::ManagedPolicy",
        ("iam:AttachUserPolicy", "iam:DetachUserPolicy"),
        ("Users",),
        "policies attach to groups and roles",
    ),
    NotGranted(
        "AWS::IAM::Role",
        ("iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"),
        ("PermissionsBoundary",),
        "no permissions boundary",
    ),
    NotGranted(
        "AWS::IAM::User",
        (
            "iam:AttachUserPolicy",
            "iam:DetachUserPolicy",
            "iam:PutUserPolicy",
            "iam:DeleteUserPolicy",
            "iam:CreateLoginProfile",
            "iam:UpdateLoginProfile",
            "iam:DeleteUserPermissionsBoundary",
            "iam:PutUserPermissionsBoundary",
            "iam:UpdateUser",
        ),
        ("ManagedPolicyArns", "Policies", "LoginProfile", "PermissionsBoundary"),
        "people get their permissions from groups and set their own password",
    ),
    NotGranted(
        "AWS::Lambda::Function",
        (
            "kms:CreateGrant",
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "s3:GetObject",
            "s3:GetObjectVersion",
            "elasticfilesystem:DescribeMountTargets",
            "s3files:ListMountTargets",
            "lambda:AssociateRuntimeAlias",
            "lambda:PassCapacityProvider",
            "lambda:PutFunctionScalingConfig",
            "lambda:PutFunctionCodeSigningConfig",
            "lambda:DeleteFunctionCodeSigningConfig",
            "lambda:PutFunctionConcurrency",
            "lambda:DeleteFunctionConcurrency",
            "lambda:PublishVersion",
            "lambda:PutFunctionRecursionConfig",
            "lambda:PutRuntimeManagementConfig",
        ),
        (
            "KmsKeyArn",
            "Environment",
            "FileSystemConfigs",
            "CapacityProviderConfig",
            "CodeSigningConfigArn",
            "ReservedConcurrentExecutions",
            "SnapStart",
            "RecursiveLoop",
            "RuntimeManagementConfig",
            "Layers",
        ),
        "the code is inline (Code.ZipFile), not in S3; no key, file system or tuning",
    ),
    NotGranted(
        "AWS::RDS::DBInstance",
        (
            "kms:CreateGrant",
            "rds:AddRoleToDBInstance",
            "rds:RemoveRoleFromDBInstance",
            "rds:CreateDBInstanceReadReplica",
            "rds:PromoteReadReplica",
            "rds:RestoreDBInstanceFromDBSnapshot",
            "rds:RestoreDBInstanceToPointInTime",
            "rds:StartDBInstanceAutomatedBackupsReplication",
            "rds:StopDBInstanceAutomatedBackupsReplication",
        ),
        (
            "KmsKeyId",
            "MasterUserSecret",
            "AssociatedRoles",
            "SourceDBInstanceIdentifier",
            "DBSnapshotIdentifier",
            "RestoreTime",
            "UseLatestRestorableTime",
            "AutomaticBackupReplicationRegion",
        ),
        "AWS managed keys, no roles, no replicas, no restores",
    ),
)


def template_types(arch: Architecture) -> frozenset[str]:
    """The resource types of the template `synth` writes for this architecture."""
    return frozenset(r["Type"] for r in synthesize(arch)["Resources"].values())


def cloudformation_deployer_policy(
    arch: Architecture, *, operators: bool | None = None
) -> dict[str, Any]:
    """The change-set and stack calls on this stack only, the direct engine's resource
    permissions (the template tags every resource `awsarch:stack`, so their tag conditions
    hold), and what the handlers of the template's types need beyond them."""
    types = sorted(template_types(arch))
    also: frozenset[Need] = frozenset({"roles"} if "AWS::IAM::Role" in types else ())
    direct = deployer_policy(arch, operators=operators, also=also)
    stack = {
        "Sid": "ThisStacksChangeSets",
        "Effect": "Allow",
        "Action": list(CLOUDFORMATION_ACTIONS),
        "Resource": [_STACK.format(stack=arch.stack, region=arch.region)],
    }
    grants = [g for t in types for g in TEMPLATE_GRANTS.get(t, ())]
    reads = sorted({a for t in types for a in TEMPLATE_READS.get(t, ())})
    through = Grant(
        sid="ReadsCloudFormationMakes", actions=tuple(reads), condition="via-cloudformation"
    )
    statements = [statement(g, stack=arch.stack, region=arch.region) for g in (*grants, through)]
    linked = [
        _service_linked_role(*SERVICE_LINKED_ROLES[t]) for t in types if t in SERVICE_LINKED_ROLES
    ]
    return policy_document([stack, *direct["Statement"], *statements, *linked])


def _service_linked_role(service: str, role: str) -> dict[str, Any]:
    name = role.removeprefix("AWSServiceRoleFor")
    return {
        "Sid": f"Let{name}CreateItsServiceLinkedRole",
        "Effect": "Allow",
        "Action": ["iam:CreateServiceLinkedRole"],
        "Resource": [f"arn:aws:iam::*:role/aws-service-role/{service}/{role}"],
        "Condition": {"StringEquals": {"iam:AWSServiceName": service}},
    }
