"""opt_in_regions: an account sees and uses only the regions it has enabled, as AWS does; moto
alone lists every region of every partition and answers in all of them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.exceptions
import pytest

from awsarch.adapters.aws.errors import RegionError
from awsarch.adapters.aws.organization import enabled_regions
from awsarch.adapters.aws.session import OPT_IN_REGIONS, AwsSession, Credentials
from awsarch.adapters.emulator import Emulator
from tests.adapters.emulator.support import Pair, error_code, pair, unique
from tests.org.organization import ROLE, client_in


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("opt_in_regions")


@pytest.fixture(scope="module")
def member(emulators: Pair) -> str:
    """A new member account of the emulator's organization: its opt-in regions start disabled."""
    org = boto3.client(
        "organizations", region_name="us-east-1", endpoint_url=emulators.on.endpoint_url
    )
    with contextlib.suppress(botocore.exceptions.ClientError):  # another module's, still there
        org.create_organization(FeatureSet="ALL")
    name = unique("member")
    status = org.create_account(AccountName=name, Email=f"{name}@example.com")
    return str(status["CreateAccountStatus"]["AccountId"])


def _in(running: Emulator, account: str, service: str, region: str) -> Any:
    return client_in(running.endpoint_url, account, service, region)


def _regions(ec2: Any, **params: Any) -> dict[str, str]:
    return {r["RegionName"]: r["OptInStatus"] for r in ec2.describe_regions(**params)["Regions"]}


def test_describe_regions_lists_only_the_enabled_ones(emulators: Pair, member: str) -> None:
    """A new account lists no opt-in region, nor GovCloud's or China's; AllRegions lists them
    not-opted-in. moto lists every region of every partition."""
    listed = _regions(_in(emulators.on, member, "ec2", "us-east-1"))
    assert "us-east-1" in listed and "eu-west-1" in listed
    assert not OPT_IN_REGIONS & listed.keys()
    assert not [r for r in listed if r.startswith(("us-gov-", "cn-"))]
    every = _regions(_in(emulators.on, member, "ec2", "us-east-1"), AllRegions=True)
    assert every["af-south-1"] == "not-opted-in"
    assert every["us-east-1"] == "opt-in-not-required"
    moto = _regions(_in(emulators.off, member, "ec2", "us-east-1"))
    assert "af-south-1" in moto and "us-gov-west-1" in moto


def test_a_region_not_enabled_refuses_every_call(emulators: Pair, member: str) -> None:
    """EC2 answers AuthFailure, RDS InvalidClientTokenId, SSM UnrecognizedClientException;
    moto answers in the region."""
    with pytest.raises(botocore.exceptions.ClientError) as ec2:
        _in(emulators.on, member, "ec2", "af-south-1").describe_vpcs()
    assert error_code(ec2) == "AuthFailure"
    with pytest.raises(botocore.exceptions.ClientError) as rds:
        _in(emulators.on, member, "rds", "me-south-1").describe_db_instances()
    assert error_code(rds) == "InvalidClientTokenId"
    with pytest.raises(botocore.exceptions.ClientError) as ssm:
        _in(emulators.on, member, "ssm", "ap-east-1").describe_parameters()
    assert error_code(ssm) == "UnrecognizedClientException"
    assert "Vpcs" in _in(emulators.off, member, "ec2", "af-south-1").describe_vpcs()


def test_an_enabled_region_is_listed_and_answers(emulators: Pair, member: str) -> None:
    """Once the account enables eu-south-2 it is listed opted-in and answers; the emulator's own
    account has every opt-in region enabled."""
    emulators.on.behaviour("opt_in_regions").enable(member, "eu-south-2")
    try:
        listed = _regions(_in(emulators.on, member, "ec2", "us-east-1"))
        assert listed["eu-south-2"] == "opted-in"
        assert "Vpcs" in _in(emulators.on, member, "ec2", "eu-south-2").describe_vpcs()
    finally:
        emulators.on.behaviour("opt_in_regions").disable(member, "eu-south-2")
    own = boto3.client("ec2", region_name="us-east-1", endpoint_url=emulators.on.endpoint_url)
    assert _regions(own).keys() >= OPT_IN_REGIONS


def test_the_seam_says_the_region_is_not_enabled(emulators: Pair, member: str) -> None:
    """awsarch's AWS seam turns the token error into one RegionError line naming the region,
    and lists the member's regions without the ones it has not enabled."""
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=emulators.on.endpoint_url)
    got = sts.assume_role(RoleArn=f"arn:aws:iam::{member}:role/{ROLE}", RoleSessionName="test")[
        "Credentials"
    ]
    credentials = Credentials(
        access_key_id=got["AccessKeyId"],
        secret_access_key=got["SecretAccessKey"],
        session_token=got["SessionToken"],
    )

    def session(region: str) -> AwsSession:
        return AwsSession(
            region=region, endpoint_url=emulators.on.endpoint_url, credentials=credentials
        )

    with pytest.raises(RegionError, match="region af-south-1 not enabled in this account"):
        session("af-south-1").call("ec2", "describe_vpcs")
    assert not OPT_IN_REGIONS & set(enabled_regions(session("us-east-1")))
