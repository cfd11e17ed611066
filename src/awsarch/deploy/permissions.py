"""The IAM policies awsarch writes for people: the deployer's, the viewer's and the MFA gate.

The deployer policy is the smallest that lets `up` and `down` run for one blueprint. It is built
from `CALLS`, the API operations the engine makes (the handlers in `awsarch.aws.resources` and
discovery in `awsarch.aws.discover`), plus `IMPLIED`: permissions AWS checks that are not API
calls of ours (iam:PassRole when an instance is launched with a role, the Secrets Manager and tag
permissions behind CreateDBInstance). tests/iam/test_deployer_policy.py records every call of an
emulator `up` and `down` and proves the table exact both ways.

Scope, where the service supports it (AWS Service Authorization Reference):
- EC2: creations must tag the new resource `awsarch:stack=<stack>` (`aws:RequestTag`); every
  other change acts only on resources tagged so (`aws:ResourceTag`); Describe* needs `*`.
- IAM: roles, instance profiles, groups and users under the path `/awsarch/<stack>/`.
- RDS: databases `db:<stack>-*`, subnet groups `subgrp:<stack>-*`, snapshots `snapshot:<stack>-*`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from awsarch.model import Architecture

Need = Literal["always", "instances", "roles", "databases", "operators", "nat"]
SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
AMI_PARAMETERS = "arn:aws:ssm:{region}::parameter/aws/service/ami-amazon-linux-latest/*"
VERSION = "2012-10-17"


@dataclass(frozen=True, kw_only=True)
class Grant:
    """One statement of the deployer policy: what, on which ARNs, under which condition, when."""

    sid: str
    actions: tuple[str, ...]
    resources: tuple[str, ...] = ("*",)
    condition: str = ""
    """`request-tag`, `resource-tag`, `passed-to-ec2`, `ssm-core-policy`, or "" for none."""
    need: Need = "always"


_EC2_READ = (
    "ec2:DescribeAddresses",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeImages",
    "ec2:DescribeInstances",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeNatGateways",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVolumes",
    "ec2:DescribeVpcAttribute",
    "ec2:DescribeVpcs",
)
_ROLES = "arn:aws:iam::*:role/awsarch/{stack}/*"
_PROFILES = "arn:aws:iam::*:instance-profile/awsarch/{stack}/*"
_GROUPS = "arn:aws:iam::*:group/awsarch/{stack}/*"
_USERS = "arn:aws:iam::*:user/awsarch/{stack}/*"
_DB = "arn:aws:rds:{region}:*:db:{stack}-*"
_SUBGRP = "arn:aws:rds:{region}:*:subgrp:{stack}-*"

GRANTS: tuple[Grant, ...] = (
    Grant(
        sid="ReadEverywhereDiscoveryLooks",
        actions=(
            *_EC2_READ,
            "iam:ListInstanceProfiles",
            "iam:ListRoles",
            "rds:DescribeDBInstances",
            "rds:DescribeDBSubnetGroups",
        ),
    ),
    Grant(sid="ReadOperators", actions=("iam:ListGroups", "iam:ListUsers"), need="operators"),
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
        sid="CreateNatTagged",
        actions=("ec2:CreateNatGateway",),
        condition="request-tag",
        need="nat",
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
            "ec2:DeleteInternetGateway",
            "ec2:DeleteRouteTable",
            "ec2:DeleteSecurityGroup",
            "ec2:DeleteSubnet",
            "ec2:DeleteTags",
            "ec2:DeleteVpc",
            "ec2:DetachInternetGateway",
            "ec2:DisassociateRouteTable",
            "ec2:ModifySubnetAttribute",
            "ec2:ModifyVpcAttribute",
            "ec2:RevokeSecurityGroupEgress",
            # AWS's default group admits all traffic from itself; awsarch empties it.
            "ec2:RevokeSecurityGroupIngress",
        ),
        condition="resource-tag",
    ),
    Grant(
        sid="ChangeOwnNat",
        actions=("ec2:DeleteNatGateway", "ec2:ReleaseAddress"),
        condition="resource-tag",
        need="nat",
    ),
    Grant(
        sid="ChangeOwnInstances",
        actions=(
            "ec2:ModifyInstanceAttribute",
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
        sid="NameTheLockHolder",
        actions=("sts:GetCallerIdentity",),  # allowed to everyone anyway; listed to be exact
    ),
    Grant(
        sid="ReadAmiParameter",
        actions=("ssm:GetParameter",),
        resources=(AMI_PARAMETERS,),
        need="instances",
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
        resources=(_ROLES, _PROFILES),
        need="roles",
    ),
    Grant(
        sid="AttachOnlySessionManagerPolicy",
        actions=("iam:AttachRolePolicy", "iam:DetachRolePolicy"),
        resources=(_ROLES,),
        condition="ssm-core-policy",
        need="roles",
    ),
    Grant(
        sid="PassOwnRoleToEc2",
        actions=("iam:PassRole",),
        resources=(_ROLES,),
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
            "iam:GetGroup",
            "iam:GetGroupPolicy",
            "iam:GetLoginProfile",
            "iam:GetUser",
            "iam:ListAccessKeys",
            "iam:ListGroupPolicies",
            "iam:ListGroupsForUser",
            "iam:ListMFADevices",
            "iam:PutGroupPolicy",
            "iam:RemoveUserFromGroup",
            "iam:TagUser",
        ),
        resources=(_GROUPS, _USERS),
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
        resources=(_DB, _SUBGRP),
        condition="request-tag",
        need="databases",
    ),
    Grant(
        sid="LaunchInOwnSubnetGroupWithDefaults",
        actions=("rds:CreateDBInstance",),
        resources=(
            _SUBGRP,
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
        ),
        resources=(_DB, _SUBGRP, "arn:aws:rds:{region}:*:snapshot:{stack}-*"),
        need="databases",
    ),
    Grant(
        sid="LetRdsManageTheMasterPassword",
        actions=("secretsmanager:CreateSecret", "secretsmanager:TagResource"),
        resources=("arn:aws:secretsmanager:{region}:*:secret:rds!db-*",),
        need="databases",
    ),
    Grant(sid="LetRdsUseTheDefaultSecretsKey", actions=("kms:DescribeKey",), need="databases"),
)

IMPLIED: dict[str, tuple[tuple[str, str], ...]] = {
    "iam:CreateRole": (("iam:TagRole", "IAM checks it for the tags given at creation"),),
    "iam:CreateInstanceProfile": (
        ("iam:TagInstanceProfile", "IAM checks it for the tags given at creation"),
    ),
    "iam:CreateUser": (("iam:TagUser", "IAM checks it for the tags given at creation"),),
    "ec2:RunInstances": (
        ("iam:PassRole", "launching an instance with a profile passes its role to EC2"),
    ),
    "rds:CreateDBInstance": (
        ("rds:AddTagsToResource", "RDS checks it for the tags given at creation"),
        ("secretsmanager:CreateSecret", "ManageMasterUserPassword: RDS creates the secret as you"),
        ("secretsmanager:TagResource", "ManageMasterUserPassword: RDS tags that secret"),
        ("kms:DescribeKey", "ManageMasterUserPassword: RDS reads the secret's KMS key"),
    ),
    "rds:CreateDBSubnetGroup": (
        ("rds:AddTagsToResource", "RDS checks it for the tags given at creation"),
    ),
    "ssm:PutParameter": (
        ("ssm:AddTagsToResource", "SSM checks it for the tags given at creation"),
    ),
    "rds:DeleteDBInstance": (
        ("rds:CreateDBSnapshot", "the final snapshot taken before a database is deleted"),
    ),
}
"""Permissions AWS checks that are not API calls awsarch makes: operation → (action, why).
Sources: EC2 User Guide "Grant a user permission to pass an IAM role to an instance"; RDS User
Guide "Required permissions for Secrets Manager integration" and "Tagging Amazon RDS resources"."""


def _needed(arch: Architecture, operators: bool | None) -> frozenset[Need]:
    needs: set[Need] = {"always"}
    if arch.instances:
        needs.add("instances")
    if arch.roles or arch.instance_profiles:
        needs.add("roles")
    if arch.databases:
        needs.add("databases")
    if operators if operators is not None else bool(arch.groups or arch.users):
        needs.add("operators")
    if arch.nat_gateways:
        needs.add("nat")
    return frozenset(needs)


def _condition(kind: str, stack: str) -> dict[str, Any]:
    tag = "awsarch:stack"
    return {
        "": {},
        "request-tag": {"StringEquals": {f"aws:RequestTag/{tag}": stack}},
        "resource-tag": {"StringEquals": {f"aws:ResourceTag/{tag}": stack}},
        "passed-to-ec2": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
        "ssm-core-policy": {"ArnEquals": {"iam:PolicyARN": SSM_CORE}},
    }[kind]


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


def deployer_policy(arch: Architecture, *, operators: bool | None = None) -> dict[str, Any]:
    """The smallest identity policy that lets `up` and `down` run for this architecture.

    `operators` says whether the stack manages IAM groups and users (default: it has some).
    Managing them is close to administering IAM: whoever may put a group policy and add users to
    the group can grant themselves that policy, so only trusted people should be deployers.
    """
    needs = _needed(arch, operators)
    return _document(
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


def implied_by(operations: Iterable[str]) -> frozenset[str]:
    """The permissions (not calls) that these API operations need as well."""
    return frozenset(action for op in operations for action, _ in IMPLIED.get(op, ()))


def _document(statements: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": list(statements)}


VIEWER_GRANTS: tuple[Grant, ...] = (
    Grant(
        sid="DescribeWhatDiscoveryReads",
        actions=(
            *_EC2_READ,
            "iam:ListGroups",
            "iam:ListInstanceProfiles",
            "iam:ListRoles",
            "iam:ListUsers",
            "rds:DescribeDBInstances",
            "rds:DescribeDBSubnetGroups",
        ),
    ),
    Grant(
        sid="ReadThisStacksIam",
        actions=(
            "iam:GetGroup",
            "iam:GetGroupPolicy",
            "iam:GetRolePolicy",
            "iam:ListAttachedRolePolicies",
            "iam:ListGroupPolicies",
            "iam:ListRolePolicies",
        ),
        resources=(_ROLES, _GROUPS),
    ),
)
"""Read-only on this stack: the Describe/List/Get calls discovery makes. EC2's Describe* and the
IAM/RDS listings accept only `*` (no resource-level permissions); user data is left out (it may
hold what should have been a secret)."""


def viewer_policy(stack: str, region: str) -> dict[str, Any]:
    return _document(statement(g, stack=stack, region=region) for g in VIEWER_GRANTS)


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
    return _document(
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
