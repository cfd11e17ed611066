"""Where live commands point: the standard AWS configuration, overridden by flags.

Profile, region and `AWS_ENDPOINT_URL` come from the environment as for every AWS tool;
`--endpoint-url` and `--region` override them. boto3 is imported only when a live command runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

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

        endpoint = self.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
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


def target_options(command: F) -> F:
    """--endpoint-url, --region and --profile, gathered into a `target` argument."""
    options = [
        click.option("--profile", default=None, help="AWS profile (default: the standard chain)."),
        click.option("--region", default=None, help="AWS region (overrides the configuration)."),
        click.option(
            "--endpoint-url",
            default=None,
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
