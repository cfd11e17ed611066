"""The one seam between awsarch and AWS: clients, retries, call counting and error mapping.

Standard AWS configuration decides the target (profile, region, `AWS_ENDPOINT_URL`); an explicit
`endpoint_url` or `region` overrides it. Every call made through `AwsSession.call`/`pages` (or
inside `mapped_errors`) turns a botocore/boto3 failure into one `AwsError` with a one-line message.

boto3 and botocore are imported lazily, inside functions: importing this module (or anything that
imports it) costs nothing on paths that never talk to AWS, such as `awsarch check`.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from awsarch.adapters.aws.errors import (
    AccessDeniedError,
    AwsError,
    CredentialsError,
    EndpointError,
    RegionError,
    ThrottledError,
)
from awsarch.record import record

RetryMode = Literal["standard", "adaptive"]

ACCESS_DENIED_CODES = frozenset(
    {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess"}
)
REJECTED_CREDENTIAL_CODES = frozenset(
    {
        "AuthFailure",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "InvalidAccessKeyId",
        "ExpiredToken",
        "ExpiredTokenException",
        "RequestExpired",
    }
)
OPT_IN_REGIONS = frozenset(
    {
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-south-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-west-1",
        "eu-central-2",
        "eu-south-1",
        "eu-south-2",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
    }
)
"""Regions launched after March 20, 2019: disabled in an account until it enables them, and a
request there is then refused as if its credentials were bad (AuthFailure in EC2, "The security
token included in the request is invalid" elsewhere).
https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html"""
REGION_NOT_ENABLED_CODES = frozenset(
    {"AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException"}
)
"""What a region not enabled answers: EC2 AuthFailure, the query APIs InvalidClientTokenId,
the JSON ones UnrecognizedClientException."""
# The codes botocore's standard retry mode treats as throttling (botocore.retries.standard).
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)


class CallCounter:
    """API calls per operation (`ec2:DescribeVpcs` → 3), counted by botocore's `before-call`.

    One call is one API request as the caller sees it (one page of a paginator); retries of that
    request are not counted again. Thread-safe: discovery calls from several threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def record(self, operation: str) -> None:
        with self._lock:
            self._counts[operation] += 1

    def counts(self) -> dict[str, int]:
        """Calls per `service:Operation`, sorted by operation name."""
        with self._lock:
            return dict(sorted(self._counts.items()))

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    def operations(self) -> tuple[str, ...]:
        """Every operation called at least once: the IAM actions a deployer policy must allow."""
        return tuple(self.counts())

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def _on_before_call(self, model: Any = None, **_: Any) -> None:
        """botocore `before-call` handler; returns None so the real call goes ahead."""
        if model is not None:
            self.record(f"{model.service_model.service_name}:{model.name}")


@record
class Credentials:
    """Temporary credentials (an assumed role's), given instead of the standard chain."""

    access_key_id: str
    secret_access_key: str
    session_token: str


class AwsSession:
    """Clients for one target (credentials, region, endpoint), sharing retries and a counter.

    `max_attempts` counts every attempt, the first included (botocore's `total_max_attempts`).
    `credentials` (an assumed role's) replace the standard chain; each AwsSession holds its own
    boto3 session, so one per thread is safe (boto3 sessions are not thread-safe, clients are).
    Raises `RegionError`/`CredentialsError` at once for a missing or unknown region or profile.
    """

    def __init__(
        self,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        profile: str | None = None,
        retry_mode: RetryMode = "standard",
        max_attempts: int = 5,
        max_pool_connections: int = 16,
        counter: CallCounter | None = None,
        credentials: Credentials | None = None,
    ) -> None:
        with mapped_errors("session"):
            self._boto = _boto_session(profile=profile, region=region, credentials=credentials)
        self.region: str = _resolve_region(self._boto)
        self.endpoint_url = endpoint_url
        self.calls = counter if counter is not None else CallCounter()
        self._config = _client_config(retry_mode, max_attempts, max_pool_connections)
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def client(self, service: str) -> Any:
        """The (cached, thread-safe) botocore client for a service, with the call counter."""
        with self._lock:
            if service not in self._clients:
                with mapped_errors(service):
                    client = self._boto.client(
                        service,
                        region_name=self.region,
                        endpoint_url=self.endpoint_url,
                        config=self._config,
                    )
                client.meta.events.register("before-call", self.calls._on_before_call)
                self._clients[service] = client
            return self._clients[service]

    def call(self, service: str, operation: str, **params: Any) -> dict[str, Any]:
        """One API call (`call("ec2", "describe_vpcs")`), errors mapped, metadata dropped."""
        client = self.client(service)
        with mapped_errors(operation_name(client, operation), region=self.region):
            response: dict[str, Any] = getattr(client, operation)(**params)
        response.pop("ResponseMetadata", None)
        return response

    def pages(
        self, service: str, operation: str, *, page_size: int | None = None, **params: Any
    ) -> Iterator[dict[str, Any]]:
        """Every page of a paginated operation, one API call per page, errors mapped."""
        client = self.client(service)
        config = {"PageSize": page_size} if page_size else {}
        with mapped_errors(operation_name(client, operation), region=self.region):
            paginator = client.get_paginator(operation)
            for page in paginator.paginate(**params, PaginationConfig=config):
                page.pop("ResponseMetadata", None)
                yield page


def operation_name(client: Any, operation: str) -> str:
    """`describe_vpcs` on an EC2 client → `ec2:DescribeVpcs` (also the IAM action's name)."""
    api = client.meta.method_to_api_mapping.get(operation, operation)
    return f"{client.meta.service_model.signing_name}:{api}"  # elbv2 → elasticloadbalancing


def _boto_session(
    *, profile: str | None, region: str | None, credentials: Credentials | None = None
) -> Any:
    import boto3  # type: ignore[import-untyped]

    if credentials is None:
        return boto3.Session(profile_name=profile, region_name=region)
    with _loader_lock:
        session = boto3.Session(
            botocore_session=_botocore_session(),
            aws_access_key_id=credentials.access_key_id,
            aws_secret_access_key=credentials.secret_access_key,
            aws_session_token=credentials.session_token,
            region_name=region,
        )
        paths = session._loader.search_paths  # boto3 appends its data path on every session
        paths[:] = list(dict.fromkeys(paths))
    return session


_loader_lock = threading.Lock()
_loaders: list[Any] = []


def _botocore_session() -> Any:
    """A new botocore session reading service models through one process-wide loader: each
    session would otherwise parse EC2's model (megabytes of JSON) again, and an organization's
    audit makes one session (with an assumed role's credentials) per (account, region).
    Called under `_loader_lock`."""
    import botocore.loaders  # type: ignore[import-untyped]
    import botocore.session  # type: ignore[import-untyped]

    if not _loaders:
        _loaders.append(botocore.loaders.create_loader())
    core = botocore.session.Session()
    core.register_component("data_loader", _loaders[0])
    return core


def _resolve_region(boto: Any) -> str:
    """The configured region, checked against the regions botocore knows in every partition."""
    region: str | None = boto.region_name
    if not region:
        raise RegionError(
            "no AWS region configured: pass --region, or set AWS_REGION or a region in your profile"
        )
    known: set[str] = set()
    for partition in boto.get_available_partitions():
        known.update(boto.get_available_regions("ec2", partition_name=partition))
    if known and region not in known:
        raise RegionError(f"unknown AWS region {region!r}: use a region such as us-east-1")
    return region


def _client_config(retry_mode: RetryMode, max_attempts: int, pool: int) -> Any:
    from botocore.config import Config  # type: ignore[import-untyped]

    return Config(
        retries={"mode": retry_mode, "total_max_attempts": max_attempts},
        max_pool_connections=pool,
        user_agent_extra="awsarch",
    )


@contextmanager
def mapped_errors(operation: str, *, region: str = "") -> Iterator[None]:
    """Re-raise any botocore/boto3 error inside the block as one `AwsError` (`from` the original).

    Use it around waiters and any direct client use outside `AwsSession.call`/`pages`.
    `region`, where the call went, tells a region not enabled from rejected credentials.
    """
    from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        raise map_error(exc, operation, region=region) from exc


def map_error(exc: Exception, operation: str, *, region: str = "") -> AwsError:
    """The awsarch error for a botocore/boto3 exception raised while calling `operation`."""
    from botocore import exceptions as bx

    if isinstance(exc, bx.ClientError):
        return _client_error(exc, operation, region)
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
        return CredentialsError(
            "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or run `aws configure` / `aws sso login`",
            operation=operation,
        )
    if isinstance(exc, bx.ProfileNotFound):
        return CredentialsError(
            f"AWS profile not found: {_line(exc)} — `aws configure list-profiles` lists the"
            " profiles there are; `awsarch iam bootstrap` writes awsarch's own",
            operation=operation,
        )
    if isinstance(
        exc,
        bx.CredentialRetrievalError | bx.TokenRetrievalError | bx.SSOError | bx.NoAuthTokenError,
    ):
        return CredentialsError(f"cannot load AWS credentials: {_line(exc)}", operation=operation)
    if isinstance(exc, bx.NoRegionError):
        return RegionError("no AWS region configured: pass --region or set AWS_REGION")
    if isinstance(exc, bx.InvalidRegionError | bx.UnknownRegionError):
        return RegionError(f"unknown AWS region: {_line(exc)}", operation=operation)
    if isinstance(exc, bx.ConnectionError | bx.HTTPClientError):
        return _endpoint_error(exc, operation)
    return AwsError(f"{operation} failed: {_line(exc)}", operation=operation)


def _client_error(exc: Any, operation: str, region: str = "") -> AwsError:
    error = exc.response.get("Error", {})
    code = str(error.get("Code", "Unknown"))
    message = _line(error.get("Message") or code)
    if code in REGION_NOT_ENABLED_CODES and region in OPT_IN_REGIONS:
        return RegionError(
            f"region {region} not enabled in this account ({operation}: {code}) — enable it"
            " (account:EnableRegion, or the console's Account page) or leave it out of --regions"
            " (a session token from STS's global endpoint is refused there too)",
            operation=operation,
        )
    if code in ACCESS_DENIED_CODES:
        return AccessDeniedError(
            f"access denied: this identity is not allowed {operation} ({code}); "
            f"grant {operation} in its IAM policy",
            operation=operation,
            action=operation,
        )
    if code in REJECTED_CREDENTIAL_CODES:
        return CredentialsError(
            f"AWS rejected the credentials on {operation} ({code}): {message}", operation=operation
        )
    if code in THROTTLING_CODES:
        attempts = exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
        return ThrottledError(
            f"AWS throttled {operation} ({code}) and {attempts} retries did not help: "
            "try again later or raise --max-attempts",
            operation=operation,
        )
    return AwsError(f"{operation} failed ({code}): {message}", operation=operation)


def _endpoint_error(exc: Exception, operation: str) -> EndpointError:
    url = getattr(exc, "kwargs", {}).get("endpoint_url", "")
    where = f" {url}" if url else ""
    return EndpointError(
        f"cannot reach the AWS endpoint{where} for {operation}: check the network, "
        "AWS_ENDPOINT_URL / --endpoint-url, or start the emulator",
        operation=operation,
    )


def _line(value: object) -> str:
    """The first line of a message, so every error stays one line."""
    text = str(value).strip()
    return text.splitlines()[0] if text else ""
