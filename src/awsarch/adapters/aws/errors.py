"""Errors of the AWS seam: every botocore/boto3 failure becomes one of these, with one line.
Their place in the one exception tree is drawn in `awsarch.errors`.

This module never imports botocore: the mapping from botocore's exceptions lives in
`awsarch.adapters.aws.session`, which imports it lazily.
"""

from __future__ import annotations

from awsarch.errors import ToolError


class AwsError(ToolError):
    """An AWS call failed; the message is one line and names the operation when known."""

    def __init__(self, message: str, *, operation: str = "") -> None:
        self.operation = operation
        super().__init__(message)


class CredentialsError(AwsError):
    """No usable AWS credentials: none found, or AWS rejected them."""


class AccessDeniedError(AwsError):
    """The caller is not allowed to perform `action` (e.g. `ec2:DescribeVpcs`)."""

    def __init__(self, message: str, *, operation: str = "", action: str = "") -> None:
        self.action = action
        super().__init__(message, operation=operation)


class RegionError(AwsError):
    """No region is configured, or the configured region does not exist."""


class EndpointError(AwsError):
    """The AWS endpoint (or the emulator) could not be reached."""


class ThrottledError(AwsError):
    """AWS throttled the call and the retries ran out."""


def error_code(exc: BaseException) -> str:
    """The AWS error code behind an awsarch error ("" when it was not an AWS API error)."""
    cause = exc.__cause__
    response = getattr(cause, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""
