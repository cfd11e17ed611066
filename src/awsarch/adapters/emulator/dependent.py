"""Permissions AWS checks beyond a call's own action, in the situations AWS documents.

The Service Authorization Reference lists them as an action's "dependent actions" (RunInstances →
iam:PassRole, ec2:CreateTags; CreateDBInstance → secretsmanager:CreateSecret, …) without saying
when each applies; each function here applies one, in the situation its AWS page names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from awsarch.adapters.emulator.authorize import (
    Facts,
    parameter_arn,
    request_tags,
    with_request_tags,
    with_resource_tags,
)
from awsarch.adapters.emulator.layer import ACCOUNT_ID, Call
from awsarch.analysis.iam import Request

Dependency = Callable[[Call, dict[str, Any], Facts], Iterator[Request]]
RDS_SERVICE = "rds.amazonaws.com"
RDS_SERVICE_LINKED_ROLE = (
    f"arn:aws:iam::{ACCOUNT_ID}:role/aws-service-role/{RDS_SERVICE}/AWSServiceRoleForRDS"
)


def _request(action: str, resource: str, context: dict[str, Any]) -> Request:
    return Request(action=action, resource=resource, context=context, context_complete=True)


def ec2_tag_on_create(call: Call, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    """ "If tags are specified in the resource-creating action, Amazon EC2 performs additional
    authorization on the ec2:CreateTags action", with ec2:CreateAction naming the creating action
    (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html)."""
    if call.service != "ec2":
        return
    kinds = {
        v
        for k, v in call.params.items()
        if k.startswith("TagSpecification.") and k.endswith(".ResourceType")
    }
    for kind in sorted(kinds):
        context = with_request_tags(base, request_tags(call, kind))
        context["ec2:CreateAction"] = call.action
        yield _request(
            "ec2:CreateTags", f"arn:aws:ec2:{call.region}:{ACCOUNT_ID}:{kind}/*", context
        )


PASSES_ROLE = frozenset(
    {"RunInstances", "AssociateIamInstanceProfile", "ReplaceIamInstanceProfileAssociation"}
)


def pass_role_to_ec2(call: Call, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    """Launching with an instance profile passes its role to EC2: iam:PassRole on the role, with
    iam:PassedToService (EC2 User Guide, "Grant a user permission to pass an IAM role to an
    instance", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html)."""
    if call.service != "ec2" or call.action not in PASSES_ROLE:
        return
    profile = call.params.get("IamInstanceProfile.Name") or call.params.get(
        "IamInstanceProfile.Arn", ""
    )
    if not profile:
        return
    for role in facts.profile_roles(profile.rsplit("/", 1)[-1]):
        context = dict(base, **{"iam:PassedToService": "ec2.amazonaws.com"})
        yield _request("iam:PassRole", role, context)


IAM_TAG_ON_CREATE = {
    "CreateRole": ("iam:TagRole", "role", "RoleName"),
    "CreateUser": ("iam:TagUser", "user", "UserName"),
    "CreateInstanceProfile": ("iam:TagInstanceProfile", "instance-profile", "InstanceProfileName"),
    "CreatePolicy": ("iam:TagPolicy", "policy", "PolicyName"),
}


def iam_tag_on_create(call: Call, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    """ "To add tags when you create a role, you must also have iam:TagRole" (IAM User Guide,
    "Tags for IAM resources", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html)."""
    spec = IAM_TAG_ON_CREATE.get(call.action) if call.service == "iam" else None
    tags = request_tags(call, None)
    if spec is None or not tags:
        return
    action, kind, param = spec
    path = call.params.get("Path", "/").lstrip("/")
    arn = f"arn:aws:iam::{ACCOUNT_ID}:{kind}/{path}{call.params.get(param, '')}"
    yield _request(action, arn, with_request_tags(base, tags))


RDS_CREATES = {
    "CreateDBInstance": ("db", "DBInstanceIdentifier"),
    "CreateDBSubnetGroup": ("subgrp", "DBSubnetGroupName"),
    "CreateDBSnapshot": ("snapshot", "DBSnapshotIdentifier"),
}


def rds_tag_on_create(call: Call, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    """Creating with tags needs rds:AddTagsToResource on the new resource (RDS User Guide,
    "Tagging Amazon RDS resources", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.html)."""
    spec = RDS_CREATES.get(call.action) if call.service == "rds" else None
    tags = request_tags(call, None)
    if spec is None or not tags:
        return
    kind, param = spec
    arn = f"arn:aws:rds:{call.region}:{ACCOUNT_ID}:{kind}:{call.params.get(param, '')}"
    yield _request("rds:AddTagsToResource", arn, with_request_tags(base, tags))


def rds_managed_password(call: Call, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    """With ManageMasterUserPassword RDS creates and tags the secret as the caller, with the
    default KMS key (RDS User Guide, "Password management with Amazon RDS and AWS Secrets Manager",
    https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html)."""
    if call.service != "rds" or call.action != "CreateDBInstance":
        return
    if call.params.get("ManageMasterUserPassword", "").lower() != "true":
        return
    secret = f"arn:aws:secretsmanager:{call.region}:{ACCOUNT_ID}:secret:rds!db-*"
    context = with_request_tags(base, request_tags(call, None))
    yield _request("secretsmanager:CreateSecret", secret, context)
    yield _request("secretsmanager:TagResource", secret, context)
    yield _request("kms:DescribeKey", f"arn:aws:kms:{call.region}:{ACCOUNT_ID}:key/*", dict(base))


def rds_final_snapshot(call: Call, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    """A final snapshot is a snapshot the caller takes: rds:CreateDBSnapshot on the database and
    the snapshot; with CopyTagsToSnapshot the database's tags are added to it, which since 2024
    needs rds:AddTagsToResource on the snapshot (RDS User Guide, "Deleting a DB instance",
    https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html)."""
    if call.service != "rds" or call.action != "DeleteDBInstance":
        return
    name = call.params.get("FinalDBSnapshotIdentifier", "")
    if not name or call.params.get("SkipFinalSnapshot", "").lower() == "true":
        return
    db_id = call.params.get("DBInstanceIdentifier", "")
    db = f"arn:aws:rds:{call.region}:{ACCOUNT_ID}:db:{db_id}"
    snapshot = f"arn:aws:rds:{call.region}:{ACCOUNT_ID}:snapshot:{name}"
    db_tags = dict(facts.tags("rds", "db", db_id) or {})
    yield _request("rds:CreateDBSnapshot", db, with_resource_tags(base, db_tags))
    yield _request("rds:CreateDBSnapshot", snapshot, dict(base))
    if facts.copies_tags_to_snapshot(db_id) and db_tags:
        yield _request("rds:AddTagsToResource", snapshot, with_request_tags(base, db_tags))


def rds_service_linked_role(call: Call, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    """The first database of an account makes RDS create its service-linked role, as the caller:
    iam:CreateServiceLinkedRole with iam:AWSServiceName (RDS User Guide, "Using service-linked roles
    for Amazon RDS", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAM.ServiceLinkedRoles.html)."""
    if call.service != "rds" or call.action != "CreateDBInstance":
        return
    if facts.service_linked_role_exists(RDS_SERVICE):
        return
    context = dict(base, **{"iam:AWSServiceName": RDS_SERVICE})
    yield _request("iam:CreateServiceLinkedRole", RDS_SERVICE_LINKED_ROLE, context)


def ssm_tag_on_create(call: Call, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    """PutParameter with tags needs ssm:AddTagsToResource (Systems Manager User Guide, "Tagging
    parameters", https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-tag.html)."""
    if call.service != "ssm" or call.action != "PutParameter":
        return
    tags = request_tags(call, None)
    if tags:
        arn = parameter_arn(call.region, call.params.get("Name", ""))
        yield _request("ssm:AddTagsToResource", arn, with_request_tags(base, tags))


ELB_SERVICE = "elasticloadbalancing.amazonaws.com"
AUTOSCALING_SERVICE = "autoscaling.amazonaws.com"
SERVICE_LINKED_ROLES = {
    ("elasticloadbalancing", "CreateLoadBalancer"): (
        ELB_SERVICE,
        "AWSServiceRoleForElasticLoadBalancing",
    ),
    ("autoscaling", "CreateAutoScalingGroup"): (
        AUTOSCALING_SERVICE,
        "AWSServiceRoleForAutoScaling",
    ),
}
"""The first load balancer and the first Auto Scaling group of an account make their service
create its service-linked role, as the caller (Elastic Load Balancing User Guide, "Service-linked
role for Elastic Load Balancing",
https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-service-linked-roles.html;
Amazon EC2 Auto Scaling User Guide, "Service-linked roles",
https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html)."""


def elb_tag_on_create(call: Call, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    """ "If tags are specified in the resource-creating action, additional authorization is
    required on the elasticloadbalancing:AddTags action", with elasticloadbalancing:CreateAction
    (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/tagging-resources-during-creation.html)."""
    if call.service != "elasticloadbalancing" or not call.action.startswith("Create"):
        return
    tags = request_tags(call, None)
    if not tags:
        return
    context = with_request_tags(base, tags)
    context["elasticloadbalancing:CreateAction"] = call.action
    arn = f"arn:aws:elasticloadbalancing:{call.region}:{ACCOUNT_ID}:*"
    yield _request("elasticloadbalancing:AddTags", arn, context)


def scaling_launch_template(call: Call, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    """Creating or updating an Auto Scaling group with a launch template checks that the caller
    may launch from it (ec2:RunInstances on the template) and pass the role of its instance
    profile (iam:PassRole) (Amazon EC2 Auto Scaling User Guide, "Control Amazon EC2 launch
    template usage in Auto Scaling groups",
    https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html)."""
    if call.service != "autoscaling" or call.action not in (
        "CreateAutoScalingGroup",
        "UpdateAutoScalingGroup",
    ):
        return
    template = call.params.get("LaunchTemplate.LaunchTemplateId") or call.params.get(
        "LaunchTemplate.LaunchTemplateName", ""
    )
    if not template:
        return
    ec2 = facts.tags("ec2", "launch-template", facts.template_id(template)) or {}
    arn = f"arn:aws:ec2:{call.region}:{ACCOUNT_ID}:launch-template/{facts.template_id(template)}"
    yield _request("ec2:RunInstances", arn, with_resource_tags(base, ec2))
    profile = facts.template_profile(template)
    for role in facts.profile_roles(profile) if profile else []:
        context = dict(base, **{"iam:PassedToService": "ec2.amazonaws.com"})
        yield _request("iam:PassRole", role, context)


def service_linked_roles(call: Call, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    found = SERVICE_LINKED_ROLES.get((call.service, call.action))
    if found is None or facts.service_linked_role_exists(found[0]):
        return
    service, name = found
    context = dict(base, **{"iam:AWSServiceName": service})
    arn = f"arn:aws:iam::{ACCOUNT_ID}:role/aws-service-role/{service}/{name}"
    yield _request("iam:CreateServiceLinkedRole", arn, context)


DEPENDENCIES: tuple[Dependency, ...] = (
    ec2_tag_on_create,
    pass_role_to_ec2,
    iam_tag_on_create,
    rds_tag_on_create,
    rds_managed_password,
    rds_final_snapshot,
    rds_service_linked_role,
    ssm_tag_on_create,
    elb_tag_on_create,
    scaling_launch_template,
    service_linked_roles,
)


def dependent(call: Call, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    for check in DEPENDENCIES:
        yield from check(call, base, facts)
