"""What a run killed between two calls leaves behind is still the stack's, and `down` removes it.

A role created just before `kill -9` has no instance profile yet; an instance profile may have no
role; an Elastic IP may have no NAT gateway. Discovery finds each by its own listing (IAM by the
stack's path, EC2 by its tags), never only through another resource.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from awsarch.adapters.aws.session import AwsSession
from awsarch.adapters.emulator import Emulator
from awsarch.usecases.live import observe
from tests.live.support import invoke
from tests.live.test_round_trip import seed_text

REGION = "eu-west-1"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def _tags(stack: str, logical: str) -> list[dict[str, str]]:
    return [{"Key": "awsarch:stack", "Value": stack}, {"Key": "awsarch:name", "Value": logical}]


def _client(emulator: Emulator, service: str) -> Any:
    return boto3.client(service, region_name=REGION, endpoint_url=emulator.endpoint_url)


def _lone_role(emulator: Emulator, stack: str) -> None:
    """A role under the stack's path with a managed policy attached, and no instance profile."""
    iam = _client(emulator, "iam")
    name = f"{stack}-web"
    iam.create_role(
        Path=f"/awsarch/{stack}/",
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps(TRUST),
        Tags=_tags(stack, "role/web"),
    )
    iam.attach_role_policy(
        RoleName=name, PolicyArn="arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    )
    iam.put_role_policy(
        RoleName=name,
        PolicyName="custom",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
            }
        ),
    )


def _lone_profile(emulator: Emulator, stack: str) -> None:
    _client(emulator, "iam").create_instance_profile(
        Path=f"/awsarch/{stack}/",
        InstanceProfileName=f"{stack}-app",
        Tags=_tags(stack, "profile/app"),
    )


def _lone_address(emulator: Emulator, stack: str) -> str:
    reply = _client(emulator, "ec2").allocate_address(
        Domain="vpc",
        TagSpecifications=[{"ResourceType": "elastic-ip", "Tags": _tags(stack, "eip/nat-a")}],
    )
    return str(reply["AllocationId"])


def _iam_left(emulator: Emulator, stack: str) -> list[str]:
    """Roles and instance profiles under the stack's path (filtered here too: moto ignores
    ListInstanceProfiles' PathPrefix)."""
    iam = _client(emulator, "iam")
    path = f"/awsarch/{stack}/"
    roles = iam.list_roles(PathPrefix=path)["Roles"]
    profiles = iam.list_instance_profiles(PathPrefix=path)["InstanceProfiles"]
    return [
        *(r["RoleName"] for r in roles if r["Path"] == path),
        *(p["InstanceProfileName"] for p in profiles if p["Path"] == path),
    ]


def _blueprint(tmp_path: Path, stack: str) -> str:
    path = tmp_path / "blueprint.yaml"
    path.write_text(seed_text(stack, REGION))
    return str(path)


def test_a_lone_role_is_owned(emulator: Emulator) -> None:
    """A role no instance profile names is still seen as the stack's (by its IAM path)."""
    _lone_role(emulator, "lonerole")
    seen = observe(AwsSession(region=REGION, endpoint_url=emulator.endpoint_url), stack="lonerole")
    assert "role/web" in {logical for _, logical in seen.owned}
    assert "lonerole-web" in {r.name for r in seen.model.roles}


def test_down_deletes_a_lone_role_and_a_lone_profile(emulator: Emulator, tmp_path: Path) -> None:
    """`down` after a run killed between CreateRole and AddRoleToInstanceProfile: the role (its
    policies detached first) and the empty profile are deleted, and IAM lists nothing left."""
    stack = "orphans"
    _lone_role(emulator, stack)
    _lone_profile(emulator, stack)
    result = invoke(emulator, REGION, "down", _blueprint(tmp_path, stack), "--yes")
    assert result.exit_code == 0, result.output
    assert "delete role/web" in result.output
    assert "delete profile/app" in result.output
    assert _iam_left(emulator, stack) == []


def test_a_lone_elastic_ip_is_owned(emulator: Emulator) -> None:
    """An Elastic IP allocated before its NAT gateway was created is the stack's, by its tags."""
    allocation = _lone_address(emulator, "loneeip")
    seen = observe(AwsSession(region=REGION, endpoint_url=emulator.endpoint_url), stack="loneeip")
    assert (allocation, "eip/nat-a") in seen.owned


def test_down_releases_a_lone_elastic_ip(emulator: Emulator, tmp_path: Path) -> None:
    """`down` after a run killed between AllocateAddress and CreateNatGateway releases it."""
    stack = "eiponly"
    allocation = _lone_address(emulator, stack)
    result = invoke(emulator, REGION, "down", _blueprint(tmp_path, stack), "--yes")
    assert result.exit_code == 0, result.output
    left = _client(emulator, "ec2").describe_addresses()["Addresses"]
    assert allocation not in {a["AllocationId"] for a in left}
