"""The AWS client seam: target resolution, retries, call counting and error mapping."""

from __future__ import annotations

import socket
import subprocess
import sys

import boto3
import pytest
from botocore.stub import Stubber

from awsarch.adapters.aws.errors import (
    AccessDeniedError,
    AwsError,
    CredentialsError,
    EndpointError,
    RegionError,
    ThrottledError,
)
from awsarch.adapters.aws.session import AwsSession
from awsarch.adapters.emulator import Emulator
from awsarch.errors import ToolError


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_explicit_endpoint_and_region_override_the_environment(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--endpoint-url and --region win over AWS_ENDPOINT_URL and AWS_DEFAULT_REGION."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{unused_port()}")
    session = AwsSession(region="eu-west-1", endpoint_url=emulator.endpoint_url)
    assert session.region == "eu-west-1"
    zones = session.call("ec2", "describe_availability_zones")["AvailabilityZones"]
    assert zones[0]["RegionName"] == "eu-west-1"


def test_standard_configuration_decides_the_target(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without overrides, AWS_ENDPOINT_URL and AWS_DEFAULT_REGION choose endpoint and region."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator.endpoint_url)
    session = AwsSession()
    assert session.region == "ap-northeast-2"
    assert "Vpcs" in session.call("ec2", "describe_vpcs")


def test_retries_are_configured_on_every_client() -> None:
    """The retry mode and attempt budget reach botocore's client configuration."""
    session = AwsSession(region="us-east-1", retry_mode="adaptive", max_attempts=7)
    retries = session.client("ec2").meta.config.retries
    assert retries["mode"] == "adaptive"
    assert retries["total_max_attempts"] == 7


def test_calls_are_counted_per_operation_and_page(emulator: Emulator) -> None:
    """Each API call (each page) is counted once under `service:Operation`."""
    session = AwsSession(endpoint_url=emulator.endpoint_url)
    ec2 = boto3.client("ec2", endpoint_url=emulator.endpoint_url)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.0.0/24")["Subnet"]["SubnetId"]
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    for _ in range(7):
        ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet)
    session.call("ec2", "describe_vpcs")
    pages = list(
        session.pages(
            "ec2",
            "describe_instances",
            page_size=5,
            Filters=[{"Name": "vpc-id", "Values": [vpc]}],
        )
    )
    assert sum(len(p["Reservations"]) for p in pages) == 7
    assert session.calls.counts() == {"ec2:DescribeInstances": 2, "ec2:DescribeVpcs": 1}
    assert session.calls.total == 3
    assert session.calls.operations() == ("ec2:DescribeInstances", "ec2:DescribeVpcs")


def test_endpoint_down_is_one_line() -> None:
    """A dead endpoint (e.g. the emulator not started) says which URL could not be reached."""
    url = f"http://127.0.0.1:{unused_port()}"
    session = AwsSession(endpoint_url=url, max_attempts=1)
    with pytest.raises(EndpointError) as caught:
        session.call("ec2", "describe_vpcs")
    message = str(caught.value)
    assert url in message and "ec2:DescribeVpcs" in message and "\n" not in message
    assert isinstance(caught.value, ToolError)


def test_no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no credentials anywhere, the user is told how to provide them (no IMDS lookup)."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    url = f"http://127.0.0.1:{unused_port()}"
    session = AwsSession(endpoint_url=url, max_attempts=1)
    with pytest.raises(CredentialsError, match="no AWS credentials found"):
        session.call("ec2", "describe_vpcs")


def test_unknown_region_is_refused_before_any_call() -> None:
    """A mistyped region fails at once instead of as a DNS error on a made-up endpoint."""
    with pytest.raises(RegionError, match="unknown AWS region 'ap-nowhere-9'"):
        AwsSession(region="ap-nowhere-9")


def test_malformed_region_is_a_region_error() -> None:
    """A region botocore cannot even put in a host name is a region error, not a crash."""
    with pytest.raises(RegionError):
        AwsSession(region="not a region")


def test_no_region_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no region anywhere, the user is told how to set one."""
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(RegionError, match="no AWS region configured"):
        AwsSession()


def test_missing_profile_is_a_credentials_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A profile that does not exist is reported by name, with where to find the real ones."""
    with pytest.raises(CredentialsError, match=r"nobody.*aws configure list-profiles"):
        AwsSession(profile="nobody")


def _stubbed(service_error_code: str, retry_attempts: int = 0) -> AwsSession:
    session = AwsSession(region="us-east-1")
    stubber = Stubber(session.client("ec2"))
    stubber.add_client_error(
        "describe_vpcs",
        service_error_code=service_error_code,
        service_message="You are not authorized to perform this operation.",
        http_status_code=403,
        response_meta={"RetryAttempts": retry_attempts},
    )
    stubber.activate()
    return session


def test_access_denied_names_the_missing_action() -> None:
    """An access-denied answer names the IAM action to grant."""
    with pytest.raises(AccessDeniedError) as caught:
        _stubbed("UnauthorizedOperation").call("ec2", "describe_vpcs")
    assert caught.value.action == "ec2:DescribeVpcs"
    assert "grant ec2:DescribeVpcs" in str(caught.value)


def test_throttling_after_retries() -> None:
    """Throttling that outlived the retries is reported as such, with the retry count."""
    with pytest.raises(ThrottledError, match="4 retries"):
        _stubbed("RequestLimitExceeded", retry_attempts=4).call("ec2", "describe_vpcs")


def test_rejected_credentials() -> None:
    """Credentials AWS does not accept are a credentials error, not a generic failure."""
    with pytest.raises(CredentialsError, match="AuthFailure"):
        _stubbed("AuthFailure").call("ec2", "describe_vpcs")


def test_other_errors_name_the_operation(emulator: Emulator) -> None:
    """Any other AWS error names the operation and AWS's code, on one line."""
    session = AwsSession(endpoint_url=emulator.endpoint_url)
    with pytest.raises(AwsError) as caught:
        session.call(
            "ec2", "describe_vpc_attribute", VpcId="vpc-nope", Attribute="enableDnsSupport"
        )
    assert str(caught.value).startswith("ec2:DescribeVpcAttribute failed (InvalidVpcID.NotFound)")
    assert caught.value.operation == "ec2:DescribeVpcAttribute"


def test_bad_parameters_name_the_operation() -> None:
    """A parameter botocore rejects locally is still one awsarch error naming the operation."""
    session = AwsSession(region="us-east-1")
    with pytest.raises(AwsError, match=r"^ec2:DescribeVpcs failed: Parameter validation"):
        session.call("ec2", "describe_vpcs", VpcIds="not-a-list")


def test_importing_the_adapters_does_not_import_boto3() -> None:
    """Commands that never talk to AWS (check) do not pay for importing boto3."""
    code = (
        "import sys, awsarch.adapters.aws.session, awsarch.adapters.aws.discover, "
        "awsarch.adapters.aws.ingest, "
        "awsarch.adapters.emulator; print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('boto3', 'botocore', 'moto')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
