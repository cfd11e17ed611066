"""IAM in the template: the instance roles, their profiles and policies, and the operators.

Names and the path are the direct engine's (`<stack>-<name>` under `/awsarch/<stack>/`), so
discovery reads a stack deployed either way alike; deploying it needs CAPABILITY_NAMED_IAM.
"""

from __future__ import annotations

import json
from typing import Any

from awsarch.adapters.aws.ingest_iam import stack_path
from awsarch.cfn.builder import Builder, Json, get_att, ref
from awsarch.cfn.logical_ids import camel
from awsarch.deploy.plan import SECRET_PREFIX
from awsarch.deploy.policy_json import to_json
from awsarch.model import Architecture, Policy, Role


def add_iam(b: Builder, arch: Architecture) -> None:
    path = stack_path(arch.stack)
    for role in arch.roles:
        _role(b, role, path)
    for profile in arch.instance_profiles:
        role_logical = _role_by_name(b, arch, profile.role_name)
        b.add(
            b.name(profile.id),
            "AWS::IAM::InstanceProfile",
            {"InstanceProfileName": profile.name, "Path": path, "Roles": [role_logical]},
            **named(profile.id),
        )
    for group in arch.groups:
        logical = b.add(
            b.name(group.id),
            "AWS::IAM::Group",
            {"GroupName": group.name, "Path": path},
            **named(group.id),
        )
        for policy in group.policies:
            properties = {
                "ManagedPolicyName": f"{group.name}-{policy.name}",
                "Path": path,
                "PolicyDocument": policy_document(b, policy),
                "Groups": [ref(logical)],
            }
            b.add(
                b.derived(f"{logical}Policy{camel(policy.name)}"),
                "AWS::IAM::ManagedPolicy",
                properties,
            )
    for user in arch.users:
        user_properties: Json = {
            "UserName": user.name,
            "Path": path,
            "Groups": [b.ref(g) for g in user.groups],
        }
        if user.inline_policies:
            user_properties["Policies"] = [_inline(b, p) for p in user.inline_policies]
        user_properties["Tags"] = b.tags(user.id)
        b.add(b.name(user.id), "AWS::IAM::User", user_properties)


def named(model_id: str) -> Json:
    """The `awsarch:name` of a type CloudFormation cannot tag, in the resource's Metadata, so
    reading the template back gives the model's id (cfn/names.py `model_id`)."""
    return {"Metadata": {"awsarch": {"name": model_id}}}


def _role(b: Builder, role: Role, path: str) -> None:
    """Policies that name a database's secret are resources of their own, so that launching
    the instances does not wait for the database (the direct engine defers them the same way)."""
    inline = [p for p in role.policies if not p.arn and not _names_secret(p)]
    later = [p for p in role.policies if not p.arn and _names_secret(p)]
    properties: Json = {
        "RoleName": role.name,
        "Path": path,
        "Description": f"awsarch {b.stack}: {role.id}",
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": role.trusted_service},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
    }
    managed = [p.arn for p in role.policies if p.arn]
    if managed:
        properties["ManagedPolicyArns"] = managed
    if inline:
        properties["Policies"] = [_inline(b, p) for p in inline]
    properties["Tags"] = b.tags(role.id)
    logical = b.add(b.name(role.id), "AWS::IAM::Role", properties)
    for policy in later:
        b.add(
            b.derived(f"{logical}Policy{camel(policy.name)}"),
            "AWS::IAM::RolePolicy",
            {"RoleName": ref(logical), **_inline(b, policy)},
        )


def _role_by_name(b: Builder, arch: Architecture, name: str) -> Json | str:
    role = next((r for r in arch.roles if r.name == name), None)
    return b.ref(role.id) if role else name


def _names_secret(policy: Policy) -> bool:
    return any(r.startswith(SECRET_PREFIX) for s in policy.statements for r in s.resources)


def _inline(b: Builder, policy: Policy) -> Json:
    return {"PolicyName": policy.name, "PolicyDocument": policy_document(b, policy)}


def policy_document(b: Builder, policy: Policy) -> Json:
    """The policy as IAM JSON, `secret-of:db/x` as the ARN of the secret RDS manages for it."""
    document = to_json(policy)
    for statement in document["Statement"]:
        statement["Resource"] = [_resource(b, r) for r in statement["Resource"]]
    copied: Json = json.loads(json.dumps(document))  # a copy: nothing shared with the model
    return copied


def _resource(b: Builder, resource: str) -> Any:
    if resource.startswith(SECRET_PREFIX):
        return get_att(b.name(resource.removeprefix(SECRET_PREFIX)), "MasterUserSecret.SecretArn")
    return resource
