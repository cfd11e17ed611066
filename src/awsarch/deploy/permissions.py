"""The IAM policies awsarch writes for people: the deployer's, the viewer's and the MFA gate.

The deployer policy is the smallest that lets `up` and `down` run for one blueprint. It is built
from `CALLS`, the API operations the engine makes (the handlers in `awsarch.adapters.aws.resources`
and discovery in `awsarch.adapters.aws.discover`), plus the permissions AWS checks that are not API
calls of ours (iam:PassRole when an instance is launched with a role, the Secrets Manager and tag
permissions behind CreateDBInstance). tests/iam/test_least_privilege.py runs the whole lifecycle as
a user holding only this policy, on the emulator enforcing IAM as AWS does, and shows that every
statement is needed.

Scope, where the service supports it (AWS Service Authorization Reference):
- EC2: creations must tag the new resource `awsarch:stack=<stack>` (`aws:RequestTag`); every
  other change acts only on resources tagged so (`aws:ResourceTag`); Describe* needs `*`.
- IAM: roles, instance profiles, groups and users under the path `/awsarch/<stack>/`.
- RDS: databases `db:<stack>-*`, subnet groups `subgrp:<stack>-*`, snapshots `snapshot:<stack>-*`.
- Elastic Load Balancing and Auto Scaling: created only tagged (`aws:RequestTag`), changed only
  when tagged (`aws:ResourceTag`); tags on create need elasticloadbalancing:AddTags for that
  create action only (`elasticloadbalancing:CreateAction`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Literal

from awsarch.model import Architecture
from awsarch.record import record

Need = Literal[
    "always",
    "instances",
    "images",
    "roles",
    "databases",
    "operators",
    "nat",
    "prefix-lists",
    "list-rules",
    "balancing",
    "scaling",
]
SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
AMI_PARAMETERS = "arn:aws:ssm:{region}::parameter/aws/service/ami-amazon-linux-latest/*"
VERSION = "2012-10-17"


@record
class Grant:
    """One statement of the deployer policy: what, on which ARNs, under which condition, when."""

    sid: str
    actions: tuple[str, ...]
    resources: tuple[str, ...] = ("*",)
    condition: str = ""
    """`request-tag`, `resource-tag`, `passed-to-ec2`, `passed-to-lambda`, `ssm-core-policy`,
    `rds-service`, `elb-service`, `autoscaling-service`, `elb-create`, `own-policy`,
    `via-cloudformation`, or ""."""
    need: Need = "always"


_EC2_READ = (
    "ec2:DescribeAddresses",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeImages",
    "ec2:DescribeInstances",
    "ec2:DescribeInternetGateways",
    # The stack's own prefix lists (by tag) and AWS-managed ones (a blueprint names them).
    "ec2:DescribeManagedPrefixLists",
    "ec2:DescribeNatGateways",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVolumes",
    "ec2:DescribeVpcAttribute",
    "ec2:DescribeVpcPeeringConnections",
    "ec2:DescribeVpcs",
)
ROLES = "arn:aws:iam::*:role/awsarch/{stack}/*"
_PROFILES = "arn:aws:iam::*:instance-profile/awsarch/{stack}/*"
_GROUPS = "arn:aws:iam::*:group/awsarch/{stack}/*"
USERS = "arn:aws:iam::*:user/awsarch/{stack}/*"
_POLICIES = "arn:aws:iam::*:policy/awsarch/{stack}/*"
DATABASES = "arn:aws:rds:{region}:*:db:{stack}-*"
SUBNET_GROUPS = "arn:aws:rds:{region}:*:subgrp:{stack}-*"
_SNAPSHOT = "arn:aws:rds:{region}:*:snapshot:{stack}-*"
ELB_SERVICE_LINKED_ROLE = (
    "arn:aws:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/"
    "AWSServiceRoleForElasticLoadBalancing"
)
AUTOSCALING_SERVICE_LINKED_ROLE = (
    "arn:aws:iam::*:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
)
"""A fresh account's first load balancer and first Auto Scaling group make their service create
its role as the caller (Elastic Load Balancing User Guide, "Service-linked role"; Amazon EC2 Auto
Scaling User Guide, "Service-linked roles")."""
RDS_SERVICE_LINKED_ROLE = (
    "arn:aws:iam::*:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS"
)
"""A fresh account's first database makes RDS create this role as the caller (RDS User Guide,
"Using service-linked roles for Amazon RDS")."""

BALANCING_GRANTS: tuple[Grant, ...] = (
    Grant(
        sid="ReadOwnBalancers",
        actions=(
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DescribeTargetHealth",
            # A deleted load balancer's interfaces are waited for (they hold subnets and groups).
            "ec2:DescribeNetworkInterfaces",
        ),
        need="balancing",
    ),
    Grant(
        sid="CreateBalancersTagged",
        actions=(
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:CreateTargetGroup",
        ),
        condition="request-tag",
        need="balancing",
    ),
    Grant(
        # Tags given on create are authorized as AddTags too, for that create only
        # (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/tagging-resources-during-creation.html).
        sid="TagBalancersOnCreateOnly",
        actions=("elasticloadbalancing:AddTags",),
        condition="elb-create",
        need="balancing",
    ),
    Grant(
        sid="ChangeOwnBalancers",
        actions=(
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:DeregisterTargets",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:RegisterTargets",
            "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets",
        ),
        condition="resource-tag",
        need="balancing",
    ),
    Grant(
        sid="LetElbCreateItsServiceLinkedRole",
        actions=("iam:CreateServiceLinkedRole",),
        resources=(ELB_SERVICE_LINKED_ROLE,),
        condition="elb-service",
        need="balancing",
    ),
    Grant(
        sid="ReadOwnLaunchTemplates",
        actions=("ec2:DescribeLaunchTemplateVersions", "ec2:DescribeLaunchTemplates"),
        need="scaling",
    ),
    Grant(
        sid="CreateScalingTagged",
        actions=("autoscaling:CreateAutoScalingGroup", "ec2:CreateLaunchTemplate"),
        condition="request-tag",
        need="scaling",
    ),
    Grant(
        # Creating or updating a group checks that the caller may launch from its template
        # (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html).
        sid="ChangeOwnScaling",
        actions=(
            "autoscaling:AttachLoadBalancerTargetGroups",
            "autoscaling:DeleteAutoScalingGroup",
            "autoscaling:DetachLoadBalancerTargetGroups",
            "autoscaling:StartInstanceRefresh",
            "autoscaling:UpdateAutoScalingGroup",
            "ec2:CreateLaunchTemplateVersion",
            "ec2:DeleteLaunchTemplate",
            "ec2:ModifyLaunchTemplate",
            "ec2:RunInstances",
        ),
        condition="resource-tag",
        need="scaling",
    ),
    Grant(
        sid="LetAutoScalingCreateItsServiceLinkedRole",
        actions=("iam:CreateServiceLinkedRole",),
        resources=(AUTOSCALING_SERVICE_LINKED_ROLE,),
        condition="autoscaling-service",
        need="scaling",
    ),
)
"""Load balancers, target groups, launch templates and Auto Scaling groups (after the GRANTS
that every stack shares)."""

GRANTS: tuple[Grant, ...] = (
    Grant(
        sid="ReadEverywhereDiscoveryLooks",
        actions=(
            *_EC2_READ,
            # Discovery lists the stack's IAM entities by path; IAM's List* accept only `*`.
            "iam:ListGroups",
            "iam:ListInstanceProfiles",
            "iam:ListRoles",
            "iam:ListUsers",
            "rds:DescribeDBInstances",
            "rds:DescribeDBSubnetGroups",
            # Load balancers, target groups and Auto Scaling groups are listed in every region
            # discovery reads (their Describe calls accept only `*`).
            "autoscaling:DescribeAutoScalingGroups",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeTargetGroups",
        ),
    ),
    Grant(
        sid="CreateOnlyTaggedForThisStack",
        actions=(
            "ec2:AllocateAddress",
            "ec2:CreateInternetGateway",
            "ec2:CreateRouteTable",
            "ec2:CreateSecurityGroup",
            "ec2:CreateSubnet",
            "ec2:CreateTags",
            "ec2:CreateVpc",
        ),
        condition="request-tag",
    ),
    Grant(
        # A subnet someone else made, associated by hand with one of the stack's route tables,
        # is let go: AWS authorizes DisassociateRouteTable on that subnet as well as on the
        # (tagged) route table, and the other subnet carries no tag of ours.
        sid="LetForeignSubnetsGoFromOwnRouteTables",
        actions=("ec2:DisassociateRouteTable",),
        resources=("arn:aws:ec2:{region}:*:subnet/*",),
    ),
    Grant(
        sid="CreateNatTagged",
        actions=("ec2:CreateNatGateway",),
        condition="request-tag",
        need="nat",
    ),
    Grant(
        sid="CreatePrefixListsTagged",
        actions=("ec2:CreateManagedPrefixList",),
        condition="request-tag",
        need="prefix-lists",
    ),
    Grant(
        sid="ChangeOwnPrefixLists",
        actions=("ec2:DeleteManagedPrefixList", "ec2:ModifyManagedPrefixList"),
        condition="resource-tag",
        need="prefix-lists",
    ),
    Grant(
        # Discovery reads the entries of the stack's own lists and of every list a rule names
        # (AWS-managed ones carry no tag of ours): read-only, as the viewer may.
        sid="ReadPrefixListEntries",
        actions=("ec2:GetManagedPrefixListEntries",),
        need="list-rules",
    ),
    Grant(
        sid="LaunchTagged", actions=("ec2:RunInstances",), condition="request-tag", need="instances"
    ),
    Grant(
        sid="LaunchFromPublicImages",
        actions=("ec2:RunInstances",),
        resources=("arn:aws:ec2:{region}::image/*",),
        need="instances",
    ),
    Grant(
        sid="ChangeOnlyThisStacksResources",
        actions=(
            "ec2:AssociateRouteTable",
            "ec2:AttachInternetGateway",
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:CreateRoute",
            # Creating inside the VPC is authorized on the VPC too (Service Authorization
            # Reference: CreateSubnet acts on `subnet` and `vpc`), where no request tag applies.
            "ec2:CreateRouteTable",
            "ec2:CreateSecurityGroup",
            "ec2:CreateSubnet",
            # Drift repair: routes and ACL entries put back as the blueprint says.
            "ec2:CreateNetworkAclEntry",
            "ec2:DeleteNetworkAclEntry",
            "ec2:DeleteRoute",
            "ec2:ReplaceNetworkAclEntry",
            "ec2:ReplaceRoute",
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:DeleteInternetGateway",
            "ec2:DeleteRouteTable",
            "ec2:DeleteSecurityGroup",
            "ec2:DeleteSubnet",
            "ec2:DeleteTags",
            "ec2:DeleteVpc",
            "ec2:DetachInternetGateway",
            "ec2:DisassociateRouteTable",
            "ec2:ModifySubnetAttribute",
            "ec2:ReplaceRouteTableAssociation",
            "ec2:ModifyVpcAttribute",
            "ec2:RevokeSecurityGroupEgress",
            # AWS's default group admits all traffic from itself; awsarch empties it.
            "ec2:RevokeSecurityGroupIngress",
        ),
        condition="resource-tag",
    ),
    Grant(
        sid="ChangeOwnNat",
        # CreateNatGateway is authorized on the subnet and the Elastic IP it uses as well.
        actions=("ec2:CreateNatGateway", "ec2:DeleteNatGateway", "ec2:ReleaseAddress"),
        condition="resource-tag",
        need="nat",
    ),
    Grant(
        sid="ChangeOwnInstances",
        actions=(
            # Drift repair of an instance in place: groups, IMDSv2, its instance profile.
            "ec2:AssociateIamInstanceProfile",
            "ec2:ModifyInstanceAttribute",
            "ec2:ModifyInstanceMetadataOptions",
            "ec2:RunInstances",
            "ec2:StartInstances",
            "ec2:StopInstances",
            "ec2:TerminateInstances",
        ),
        condition="resource-tag",
        need="instances",
    ),
    Grant(
        sid="HoldTheStackLockAndOwnerRecord",
        actions=(
            "ssm:AddTagsToResource",
            "ssm:DeleteParameter",
            "ssm:GetParameter",
            "ssm:PutParameter",
        ),
        resources=("arn:aws:ssm:{region}:*:parameter/stacks/awsarch/{stack}/*",),
    ),
    Grant(
        sid="ReadAmiParameter",
        actions=("ssm:GetParameter",),
        resources=(AMI_PARAMETERS,),
        need="images",
    ),
    Grant(
        sid="ManageOwnRoles",
        actions=(
            "iam:AddRoleToInstanceProfile",
            "iam:CreateInstanceProfile",
            "iam:CreateRole",
            "iam:DeleteInstanceProfile",
            "iam:DeleteRole",
            "iam:DeleteRolePolicy",
            "iam:GetInstanceProfile",
            "iam:GetRole",
            "iam:GetRolePolicy",
            "iam:ListAttachedRolePolicies",
            "iam:ListInstanceProfilesForRole",
            "iam:ListRolePolicies",
            "iam:PutRolePolicy",
            "iam:RemoveRoleFromInstanceProfile",
            "iam:TagInstanceProfile",
            "iam:TagRole",
        ),
        resources=(ROLES, _PROFILES),
        need="roles",
    ),
    Grant(
        sid="AttachOnlySessionManagerPolicy",
        actions=("iam:AttachRolePolicy",),
        resources=(ROLES,),
        condition="ssm-core-policy",
        need="roles",
    ),
    Grant(
        # Drift repair detaches whatever was attached by hand; detaching only takes away.
        sid="DetachAnyPolicyFromOwnRoles",
        actions=("iam:DetachRolePolicy",),
        resources=(ROLES,),
        need="roles",
    ),
    Grant(
        sid="PassOwnRoleToEc2",
        actions=("iam:PassRole",),
        resources=(ROLES,),
        condition="passed-to-ec2",
        need="roles",
    ),
    Grant(
        sid="ManageOwnOperators",
        actions=(
            "iam:AddUserToGroup",
            "iam:CreateGroup",
            "iam:CreateUser",
            "iam:DeactivateMFADevice",
            "iam:DeleteAccessKey",
            "iam:DeleteGroup",
            "iam:DeleteGroupPolicy",
            "iam:DeleteLoginProfile",
            "iam:DeleteUser",
            "iam:DetachGroupPolicy",
            "iam:GetGroup",
            "iam:GetGroupPolicy",
            "iam:GetLoginProfile",
            "iam:GetUser",
            "iam:ListAccessKeys",
            "iam:ListAttachedGroupPolicies",
            "iam:ListGroupPolicies",
            "iam:ListGroupsForUser",
            "iam:ListMFADevices",
            "iam:RemoveUserFromGroup",
            "iam:TagUser",
        ),
        resources=(_GROUPS, USERS),
        need="operators",
    ),
    Grant(
        sid="ManageOwnOperatorsPolicies",
        actions=(
            "iam:CreatePolicy",
            "iam:CreatePolicyVersion",
            "iam:DeletePolicy",
            "iam:DeletePolicyVersion",
            "iam:GetPolicy",
            "iam:GetPolicyVersion",
            "iam:ListPolicyVersions",
        ),
        resources=(_POLICIES,),
        need="operators",
    ),
    Grant(
        # Only the stack's own policies may be attached: never AdministratorAccess.
        sid="AttachOnlyOwnPoliciesToOwnGroups",
        actions=("iam:AttachGroupPolicy",),
        resources=(_GROUPS,),
        condition="own-policy",
        need="operators",
    ),
    Grant(
        sid="DeleteOwnOperatorsMfaDevices",
        actions=("iam:DeleteVirtualMFADevice",),
        resources=("arn:aws:iam::*:mfa/*",),
        need="operators",
    ),
    Grant(
        sid="CreateOwnDatabases",
        actions=("rds:AddTagsToResource", "rds:CreateDBInstance", "rds:CreateDBSubnetGroup"),
        resources=(DATABASES, SUBNET_GROUPS),
        condition="request-tag",
        need="databases",
    ),
    Grant(
        # The final snapshot gets the database's tags (CopyTagsToSnapshot), which since 2024
        # needs AddTagsToResource on it; RDS copies them, so no request tag is relied on.
        sid="TagOwnFinalSnapshots",
        actions=("rds:AddTagsToResource",),
        resources=(_SNAPSHOT,),
        need="databases",
    ),
    Grant(
        sid="LetRdsCreateItsServiceLinkedRole",
        actions=("iam:CreateServiceLinkedRole",),
        resources=(RDS_SERVICE_LINKED_ROLE,),
        condition="rds-service",
        need="databases",
    ),
    Grant(
        sid="LaunchInOwnSubnetGroupWithDefaults",
        actions=("rds:CreateDBInstance",),
        resources=(
            SUBNET_GROUPS,
            "arn:aws:rds:{region}:*:og:default*",
            "arn:aws:rds:{region}:*:pg:default*",
        ),
        need="databases",
    ),
    Grant(
        sid="ChangeOwnDatabases",
        actions=(
            "rds:CreateDBSnapshot",
            "rds:DeleteDBInstance",
            "rds:DeleteDBSubnetGroup",
            "rds:ModifyDBInstance",
            "rds:ModifyDBSubnetGroup",
        ),
        resources=(DATABASES, SUBNET_GROUPS, _SNAPSHOT),
        need="databases",
    ),
    Grant(
        sid="LetRdsManageTheMasterPassword",
        actions=("secretsmanager:CreateSecret", "secretsmanager:TagResource"),
        resources=("arn:aws:secretsmanager:{region}:*:secret:rds!db-*",),
        need="databases",
    ),
    Grant(sid="LetRdsUseTheDefaultSecretsKey", actions=("kms:DescribeKey",), need="databases"),
    *BALANCING_GRANTS,
)


def _needed(arch: Architecture, operators: bool | None) -> frozenset[Need]:
    needs: set[Need] = {"always"}
    if any(not i.scaling_group for i in arch.instances):
        needs |= {"instances", "images"}
    if arch.auto_scaling_groups:
        needs |= {"scaling", "images"}
    if arch.load_balancers or arch.target_groups:
        needs.add("balancing")
    if arch.roles or arch.instance_profiles:
        needs.add("roles")
    if arch.databases:
        needs.add("databases")
    if operators if operators is not None else bool(arch.groups or arch.users):
        needs.add("operators")
    if arch.nat_gateways:
        needs.add("nat")
    if arch.prefix_lists:
        needs.add("prefix-lists")
    if arch.prefix_lists or any(
        rule.peer.kind == "prefix-list"
        for group in arch.security_groups
        for rule in (*group.ingress, *group.egress)
    ):
        needs.add("list-rules")
    return frozenset(needs)


def _condition(kind: str, stack: str) -> dict[str, Any]:
    tag = "awsarch:stack"
    conditions: dict[str, dict[str, Any]] = {
        "": {},
        "request-tag": {"StringEquals": {f"aws:RequestTag/{tag}": stack}},
        "resource-tag": {"StringEquals": {f"aws:ResourceTag/{tag}": stack}},
        "passed-to-ec2": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
        "passed-to-lambda": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
        # Only when CloudFormation makes the call with the caller's credentials
        # (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-calledvia).
        "via-cloudformation": {
            "ForAnyValue:StringEquals": {"aws:CalledVia": ["cloudformation.amazonaws.com"]}
        },
        "ssm-core-policy": {"ArnEquals": {"iam:PolicyARN": SSM_CORE}},
        "rds-service": {"StringEquals": {"iam:AWSServiceName": "rds.amazonaws.com"}},
        "elb-service": {
            "StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}
        },
        "autoscaling-service": {
            "StringEquals": {"iam:AWSServiceName": "autoscaling.amazonaws.com"}
        },
        "elb-create": {
            "StringEquals": {
                "elasticloadbalancing:CreateAction": [
                    "CreateListener",
                    "CreateLoadBalancer",
                    "CreateTargetGroup",
                ],
                f"aws:RequestTag/{tag}": stack,
            }
        },
        "own-policy": {"ArnLike": {"iam:PolicyARN": _POLICIES.format(stack=stack)}},
    }
    return conditions[kind]


def statement(grant: Grant, *, stack: str, region: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "Sid": grant.sid,
        "Effect": "Allow",
        "Action": sorted(grant.actions),
        "Resource": [r.format(stack=stack, region=region) for r in grant.resources],
    }
    condition = _condition(grant.condition, stack)
    if condition:
        entry["Condition"] = condition
    return entry


def deployer_policy(
    arch: Architecture, *, operators: bool | None = None, also: frozenset[Need] = frozenset()
) -> dict[str, Any]:
    """The smallest identity policy that lets `up` and `down` run for this architecture.

    `operators` says whether the stack manages IAM groups and users (default: it has some).
    Managing them is close to administering IAM: whoever may put a group policy and add users to
    the group can grant themselves that policy, so only trusted people should be deployers.
    """
    needs = _needed(arch, operators) | also
    return policy_document(
        statement(g, stack=arch.stack, region=arch.region) for g in GRANTS if g.need in needs
    )


def granted_actions(policy: dict[str, Any]) -> frozenset[str]:
    """Every action an Allow statement of the policy names."""
    return frozenset(
        action
        for entry in policy["Statement"]
        if entry["Effect"] == "Allow"
        for action in entry["Action"]
    )


def policy_document(statements: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": list(statements)}


VIEWER_GRANTS: tuple[Grant, ...] = (
    Grant(
        sid="DescribeWhatDiscoveryReads",
        actions=(
            *_EC2_READ,
            # The CIDRs of a prefix list a security group names (unread: `unknown` verdicts).
            "ec2:GetManagedPrefixListEntries",
            # `audit --org --regions all` lists the regions each account has enabled (an opt-in
            # region it has not enabled refuses every call).
            "ec2:DescribeRegions",
            "iam:ListGroups",
            "iam:ListInstanceProfiles",
            "iam:ListRoles",
            "iam:ListUsers",
            "rds:DescribeDBInstances",
            "rds:DescribeDBSubnetGroups",
            "autoscaling:DescribeAutoScalingGroups",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetHealth",
        ),
    ),
    Grant(
        sid="ReadThisStacksIam",
        actions=(
            "iam:GetGroup",
            "iam:GetGroupPolicy",
            "iam:GetPolicy",
            "iam:GetPolicyVersion",
            "iam:GetRolePolicy",
            "iam:ListAttachedGroupPolicies",
            "iam:ListAttachedRolePolicies",
            "iam:ListGroupPolicies",
            "iam:ListRolePolicies",
        ),
        resources=(ROLES, _GROUPS, _POLICIES),
    ),
    Grant(
        # `audit` judges the account too: root's MFA and keys, users' keys, who is admin.
        sid="ReadAccountHygiene",
        actions=(
            "iam:GenerateCredentialReport",
            "iam:GetAccountSummary",
            "iam:GetCredentialReport",
            "iam:ListEntitiesForPolicy",
        ),
    ),
    Grant(
        # `audit` looks for secrets in user data; only of the stack's own instances.
        sid="ReadThisStacksUserData",
        actions=("ec2:DescribeInstanceAttribute",),
        condition="resource-tag",
    ),
)
"""Read-only on this stack: the Describe/List/Get calls discovery and `audit` make. EC2's
Describe* and the IAM/RDS listings accept only `*` (no resource-level permissions); user data is
read only from instances tagged with the stack."""


def viewer_policy(stack: str, region: str) -> dict[str, Any]:
    return policy_document(statement(g, stack=stack, region=region) for g in VIEWER_GRANTS)


MFA_SETUP_ACTIONS = (
    "iam:ChangePassword",
    "iam:CreateVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:GetAccountPasswordPolicy",
    "iam:GetMFADevice",
    "iam:GetUser",
    "iam:ListMFADevices",
    "iam:ListUsers",
    "iam:ListVirtualMFADevices",
    "iam:ResyncMFADevice",
    "sts:GetSessionToken",
)
_OWN_USER = "arn:aws:iam::*:user/${aws:username}"
_OWN_USER_UNDER_PATH = "arn:aws:iam::*:user/*/${aws:username}"


def require_mfa_policy() -> dict[str, Any]:
    """Deny everything but setting up MFA until the user signs in with MFA.

    AWS's documented example "IAM: Allows IAM users to self-manage an MFA device"
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html):
    a Deny with NotAction and `BoolIfExists aws:MultiFactorAuthPresent = false` (IfExists: long-term
    access keys carry no such key, and are denied too). Added from AWS's "manage their own
    credentials" example: changing the password an administrator set (first sign-in), and
    sts:GetSessionToken for the CLI. Users live under a path, hence both user ARN forms.
    """
    own = [_OWN_USER, _OWN_USER_UNDER_PATH]
    return policy_document(
        [
            {
                "Sid": "AllowListActions",
                "Effect": "Allow",
                "Action": ["iam:ListUsers", "iam:ListVirtualMFADevices"],
                "Resource": ["*"],
            },
            {
                "Sid": "AllowUserToCreateVirtualMFADevice",
                "Effect": "Allow",
                "Action": ["iam:CreateVirtualMFADevice"],
                "Resource": ["arn:aws:iam::*:mfa/*"],
            },
            {
                "Sid": "AllowUserToManageTheirOwnMFAAndPassword",
                "Effect": "Allow",
                "Action": [
                    "iam:ChangePassword",
                    "iam:EnableMFADevice",
                    "iam:GetMFADevice",
                    "iam:GetUser",
                    "iam:ListMFADevices",
                    "iam:ResyncMFADevice",
                ],
                "Resource": own,
            },
            {
                "Sid": "AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA",
                "Effect": "Allow",
                "Action": ["iam:DeactivateMFADevice"],
                "Resource": own,
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            },
            {
                "Sid": "BlockMostAccessUnlessSignedInWithMFA",
                "Effect": "Deny",
                "NotAction": list(MFA_SETUP_ACTIONS),
                "Resource": ["*"],
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            },
        ]
    )


MANAGED_POLICY_LIMIT = 6144
"""IAM's quota on one managed policy, in characters without whitespace
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)."""


def iam_characters(text: str) -> int:
    """A policy's size as IAM counts it: characters, whitespace not counted."""
    return sum(1 for ch in text if not ch.isspace())


def policy_size(document: dict[str, Any]) -> int:
    return iam_characters(json.dumps(document))


def split_policy(
    document: dict[str, Any], limit: int = MANAGED_POLICY_LIMIT
) -> list[dict[str, Any]]:
    """The statements, in order, packed into as few documents as fit IAM's size quota.

    A user or group may have ten managed policies attached; the deployer policy of a large
    blueprint needs two or three.
    """
    documents: list[dict[str, Any]] = []
    for entry in document["Statement"]:
        if (
            documents
            and policy_size(policy_document([*documents[-1]["Statement"], entry])) <= limit
        ):
            documents[-1] = policy_document([*documents[-1]["Statement"], entry])
            continue
        alone = policy_document([entry])
        if policy_size(alone) > limit:
            raise ValueError(f"statement {entry.get('Sid', '')} alone exceeds {limit} characters")
        documents.append(alone)
    return documents
