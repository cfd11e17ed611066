"""Where live commands point: the standard AWS configuration, overridden by flags.

Profile, region and `AWS_ENDPOINT_URL` come from the environment as for every AWS tool;
`--endpoint-url` and `--region` override them. boto3 is imported only when a live command runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import click

from awsarch.errors import InputError
from awsarch.record import record

if TYPE_CHECKING:
    from awsarch.adapters.aws.session import AwsSession
    from awsarch.model import Architecture

F = TypeVar("F", bound=Callable[..., Any])


@record
class Target:
    endpoint_url: str | None
    region: str | None
    profile: str | None

    @property
    def is_emulator(self) -> bool:
        from awsarch.usecases.pace import is_emulator

        return is_emulator(self.endpoint_url or os.environ.get("AWS_ENDPOINT_URL"))

    def session(self, default_region: str | None = None) -> AwsSession:
        from awsarch.adapters.aws.session import AwsSession

        endpoint = self.endpoint_url or _env_endpoint()
        region = self.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        return AwsSession(
            region=region or default_region, endpoint_url=endpoint, profile=self.profile
        )

    def session_in(self, home: str) -> AwsSession:
        """A session in `--region` when given, else in `home` (a blueprint's region): a stack
        lives where its blueprint says, whatever AWS_REGION or AWS_DEFAULT_REGION name."""
        return Target(
            endpoint_url=self.endpoint_url, region=self.region or home, profile=self.profile
        ).session()

    def describe(self, session: AwsSession) -> str:
        where = session.endpoint_url or "AWS"
        return f"{where} ({session.region})"


def endpoint_problem(url: str) -> str:
    """Why url cannot be an endpoint (botocore needs a scheme and a host, and raises a bare
    ValueError otherwise), with the fix; empty when it can."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # a malformed port or IPv6 address
        host = None
    if "://" not in url:
        return f"{url!r} has no scheme — write it http://{url} (or https://…)"
    if parts.scheme not in ("http", "https") or not host:
        return f"{url!r} is not an http:// or https:// URL with a host, e.g. http://127.0.0.1:4566"
    return ""


def _check_endpoint(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    problem = endpoint_problem(value) if value else ""
    if problem:
        raise click.BadParameter(problem)
    return value


def _env_endpoint() -> str | None:
    """AWS_ENDPOINT_URL, as every AWS tool reads it, refused on one line when malformed."""
    value = os.environ.get("AWS_ENDPOINT_URL") or None
    problem = endpoint_problem(value) if value else ""
    if problem:
        raise InputError(f"AWS_ENDPOINT_URL: {problem}, or unset it to reach AWS")
    return value


def target_options(command: F) -> F:
    """--endpoint-url, --region and --profile, gathered into a `target` argument."""
    options = [
        click.option("--profile", default=None, help="AWS profile (default: the standard chain)."),
        click.option("--region", default=None, help="AWS region (overrides the configuration)."),
        click.option(
            "--endpoint-url",
            default=None,
            callback=_check_endpoint,
            help="AWS endpoint, e.g. the emulator's (overrides AWS_ENDPOINT_URL).",
        ),
    ]
    for option in options:
        command = option(command)
    return command


def make_target(endpoint_url: str | None, region: str | None, profile: str | None) -> Target:
    return Target(endpoint_url=endpoint_url, region=region, profile=profile)


def read_live(session: AwsSession, *, stack: str = "", vpc_id: str | None = None) -> Architecture:
    """Discover the target's region (or one VPC) and ingest it into the model."""
    from awsarch.adapters.aws.discover import discover
    from awsarch.adapters.aws.ingest import ingest

    return ingest(discover(session, vpc_id=vpc_id), stack=stack)
