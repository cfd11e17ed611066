"""iam_enforcement: a call signed by an IAM user is allowed only as that user's policies allow it,
resource by resource, with each resource's condition keys (moto allows every call)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.exceptions
import pytest

from tests.adapters.emulator.support import (
    REGION,
    Pair,
    client,
    error_code,
    image,
    pair,
    trust,
    unique,
)

TAG = {"Key": "team", "Value": "web"}


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("iam_enforcement")


def _as_user(running: Any, statements: list[dict[str, Any]], service: str) -> Any:
    """A new IAM user holding exactly these statements (created with the root credentials)."""
    iam = client(running, "iam")
    name = unique("user")
    iam.create_user(UserName=name)
    policy = {"Version": "2012-10-17", "Statement": statements}
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=running.endpoint_url,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )


def _tagged(kind: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [TAG]}]


NOTHING_HERE = [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]
TAGGED_CREATE = [
    {
        "Effect": "Allow",
        "Action": ["ec2:CreateVpc", "ec2:CreateTags"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:RequestTag/team": "web"}},
    }
]


@pytest.mark.parametrize("side", ["on", "off"])
def test_a_create_is_allowed_only_with_the_tag_the_policy_requires(
    emulators: Pair, side: str
) -> None:
    """AWS: refused without the tag (UnauthorizedOperation, naming the action); moto: allowed."""
    running = getattr(emulators, side)
    ec2 = _as_user(running, TAGGED_CREATE, "ec2")
    ec2.create_vpc(CidrBlock="10.80.0.0/16", TagSpecifications=_tagged("vpc"))
    if side == "off":
        ec2.create_vpc(CidrBlock="10.81.0.0/16")
        return
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ec2.create_vpc(CidrBlock="10.81.0.0/16")
    assert error_code(refused) == "UnauthorizedOperation"
    message = refused.value.response["Error"]["Message"]
    assert "is not authorized to perform: ec2:CreateVpc on resource: arn:aws:ec2:" in message


def test_creating_in_a_vpc_is_authorized_on_the_vpc_by_its_own_tags(emulators: Pair) -> None:
    """CreateSubnet acts on the new subnet (request tags) and on the VPC (its resource tags): a
    policy that asks only for request tags is refused on the VPC, as the reference says."""
    root = client(emulators.on, "ec2")
    vpc = root.create_vpc(CidrBlock="10.82.0.0/16", TagSpecifications=_tagged("vpc"))["Vpc"]
    request_only = [
        {
            "Effect": "Allow",
            "Action": ["ec2:CreateSubnet", "ec2:CreateTags"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestTag/team": "web"}},
        }
    ]
    ec2 = _as_user(emulators.on, request_only, "ec2")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ec2.create_subnet(
            VpcId=vpc["VpcId"], CidrBlock="10.82.1.0/24", TagSpecifications=_tagged("subnet")
        )
    assert f":vpc/{vpc['VpcId']}" in refused.value.response["Error"]["Message"]
    both = [
        *request_only,
        {
            "Effect": "Allow",
            "Action": "ec2:CreateSubnet",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "web"}},
        },
    ]
    ec2 = _as_user(emulators.on, both, "ec2")
    ec2.create_subnet(
        VpcId=vpc["VpcId"], CidrBlock="10.82.2.0/24", TagSpecifications=_tagged("subnet")
    )


def test_launching_with_a_role_needs_pass_role(emulators: Pair) -> None:
    iam = client(emulators.on, "iam")
    role, profile = unique("role"), unique("profile")
    trust_document = trust({"Service": "ec2.amazonaws.com"})
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust_document)
    iam.create_instance_profile(InstanceProfileName=profile)
    iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=role)
    emulators.clock.advance(60)  # the new profile has propagated (iam_propagation)
    launch = [{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]
    ec2 = _as_user(emulators.on, launch, "ec2")
    ami = image(client(emulators.on, "ec2"))
    args = {"ImageId": ami, "MinCount": 1, "MaxCount": 1, "IamInstanceProfile": {"Name": profile}}
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ec2.run_instances(**args)
    assert "iam:PassRole" in refused.value.response["Error"]["Message"]
    passing = [
        *launch,
        {
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": f"arn:aws:iam::*:role/{role}",
            "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
        },
    ]
    _as_user(emulators.on, passing, "ec2").run_instances(**args)


def test_an_explicit_deny_wins_and_says_so(emulators: Pair) -> None:
    statements = [
        {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "ec2:DeleteVpc", "Resource": "*"},
    ]
    ec2 = _as_user(emulators.on, statements, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.83.0.0/16")["Vpc"]["VpcId"]
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ec2.delete_vpc(VpcId=vpc)
    assert (
        "with an explicit deny in an identity-based policy"
        in refused.value.response["Error"]["Message"]
    )


def test_json_and_query_services_answer_access_denied(emulators: Pair) -> None:
    """SSM (JSON protocol) says AccessDeniedException; IAM and RDS (query) AccessDenied."""
    ssm = _as_user(emulators.on, NOTHING_HERE, "ssm")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ssm.get_parameter(Name="/anything")
    assert error_code(refused) == "AccessDeniedException"
    iam = _as_user(emulators.on, NOTHING_HERE, "iam")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        iam.list_roles()
    assert error_code(refused) == "AccessDenied"


def test_root_and_get_caller_identity_need_no_policy(emulators: Pair) -> None:
    client(emulators.on, "ec2").create_vpc(CidrBlock="10.84.0.0/16")  # the root credentials
    sts = _as_user(emulators.on, NOTHING_HERE, "sts")
    assert sts.get_caller_identity()["Arn"].startswith("arn:aws:iam::")


def test_an_assumed_role_is_held_to_the_role_s_policies(emulators: Pair) -> None:
    """Temporary credentials from AssumeRole act as the role: its policies, nothing more."""
    iam = client(emulators.on, "iam")
    role = unique("app")
    trust_document = trust({"AWS": "arn:aws:iam::123456789012:root"})
    arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust_document)["Role"]["Arn"]
    reads = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "ec2:DescribeVpcs", "Resource": "*"}],
    }
    iam.put_role_policy(RoleName=role, PolicyName="reads", PolicyDocument=json.dumps(reads))
    emulators.clock.advance(60)  # the new role has propagated (iam_propagation)
    sts = client(emulators.on, "sts")
    given = sts.assume_role(RoleArn=arn, RoleSessionName="session")["Credentials"]
    ec2 = boto3.client(
        "ec2",
        region_name=REGION,
        endpoint_url=emulators.on.endpoint_url,
        aws_access_key_id=given["AccessKeyId"],
        aws_secret_access_key=given["SecretAccessKey"],
        aws_session_token=given["SessionToken"],
    )
    ec2.describe_vpcs()
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ec2.create_vpc(CidrBlock="10.86.0.0/16")
    message = refused.value.response["Error"]["Message"]
    assert f"assumed-role/{role}/session is not authorized" in message
