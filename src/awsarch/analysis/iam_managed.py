"""The documents of the few AWS managed policies awsarch attaches, so proofs can read them.

Only documents we are sure of are embedded; any other managed policy (ReadOnlyAccess, …) stays
unknown and makes a decision "conditional" rather than guessed.

- AdministratorAccess: Allow `*` on `*` (AWS Managed Policy Reference, "AdministratorAccess").
- AmazonSSMManagedInstanceCore, version v2 (default; edited 2019-05-23): AWS Managed Policy
  Reference, "AmazonSSMManagedInstanceCore",
  https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html
  (the same action list is quoted on AWS re:Post, "SSM policy for instances assumed to be
  compromised").
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
SSM_MANAGED_INSTANCE_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"

_SSM_CORE: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "ssm:DescribeAssociation",
                "ssm:GetDeployablePatchSnapshotForInstance",
                "ssm:GetDocument",
                "ssm:DescribeDocument",
                "ssm:GetManifest",
                "ssm:GetParameter",
                "ssm:GetParameters",
                "ssm:ListAssociations",
                "ssm:ListInstanceAssociations",
                "ssm:PutInventory",
                "ssm:PutComplianceItems",
                "ssm:PutConfigurePackageResult",
                "ssm:UpdateAssociationStatus",
                "ssm:UpdateInstanceAssociationStatus",
                "ssm:UpdateInstanceInformation",
            ],
            "Resource": "*",
        },
        {
            "Effect": "Allow",
            "Action": [
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ],
            "Resource": "*",
        },
        {
            "Effect": "Allow",
            "Action": [
                "ec2messages:AcknowledgeMessage",
                "ec2messages:DeleteMessage",
                "ec2messages:FailMessage",
                "ec2messages:GetEndpoint",
                "ec2messages:GetMessages",
                "ec2messages:SendReply",
            ],
            "Resource": "*",
        },
    ],
}

MANAGED_POLICIES: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        ADMINISTRATOR_ACCESS: {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        },
        SSM_MANAGED_INSTANCE_CORE: _SSM_CORE,
    }
)
"""Managed policy ARN → its JSON document, for the policies whose document awsarch knows."""
