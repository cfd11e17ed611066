"""iam_propagation: a new instance profile or role is usable only once IAM has propagated it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import botocore.exceptions
import pytest

from awsarch.adapters.emulator.behaviours.iam_propagation import AWS_SECONDS as DELAY
from tests.adapters.emulator.support import Pair, client, error_code, image, pair, unique

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com", "AWS": "*"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("iam_propagation")


def _profile(iam: Any) -> str:
    name = unique("web")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
    iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name)
    return name


def _launch(ec2: Any, profile: str) -> Any:
    return ec2.run_instances(
        ImageId=image(ec2), MinCount=1, MaxCount=1, IamInstanceProfile={"Name": profile}
    )


def test_a_new_instance_profile_is_refused_by_run_instances_until_it_propagates(
    emulators: Pair,
) -> None:
    """Launching with a profile created a moment ago fails as on AWS, then works."""
    profile = _profile(client(emulators.on, "iam"))
    ec2 = client(emulators.on, "ec2")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        _launch(ec2, profile)
    assert error_code(refused) == "InvalidParameterValue"
    assert "Invalid IAM Instance Profile name" in str(refused.value)
    assert f"Value ({profile}) for parameter iamInstanceProfile.name is invalid" in str(
        refused.value
    )
    emulators.clock.advance(DELAY)
    assert _launch(ec2, profile)["Instances"]


def test_a_new_role_cannot_be_assumed_until_it_propagates(emulators: Pair) -> None:
    """AssumeRole of a role created a moment ago is AccessDenied, then succeeds."""
    name = unique("ops")
    arn = client(emulators.on, "iam").create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)[
        "Role"
    ]["Arn"]
    sts = client(emulators.on, "sts")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        sts.assume_role(RoleArn=arn, RoleSessionName="session")
    assert error_code(refused) == "AccessDenied"
    emulators.clock.advance(DELAY)
    assert sts.assume_role(RoleArn=arn, RoleSessionName="session")["Credentials"]


def test_without_it_a_new_profile_and_role_work_at_once(emulators: Pair) -> None:
    """Switched off, the emulator is moto: no propagation delay at all."""
    iam = client(emulators.off, "iam")
    profile = _profile(iam)
    assert _launch(client(emulators.off, "ec2"), profile)["Instances"]
    arn = iam.get_role(RoleName=profile)["Role"]["Arn"]
    assert client(emulators.off, "sts").assume_role(RoleArn=arn, RoleSessionName="session")
