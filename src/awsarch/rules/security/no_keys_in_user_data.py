"""SEC003: no instance's user data holds AWS access keys."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at

KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")
SECRET = re.compile(r"aws_secret_access_key\s*[=:]\s*[\"']?[A-Za-z0-9/+]{20,}", re.IGNORECASE)
BASE64 = re.compile(r"[A-Za-z0-9+/=\s]+")


def _texts(user_data: str) -> Iterator[str]:
    """The user data as written, and decoded when it is base64 (as the EC2 API returns it)."""
    yield user_data
    if len(user_data) < 16 or not BASE64.fullmatch(user_data):
        return
    try:
        yield base64.b64decode(user_data, validate=False).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return


def _leaks(user_data: str) -> list[str]:
    """What kinds of credential the user data holds (never the credential itself)."""
    found: list[str] = []
    for text in _texts(user_data):
        if KEY_ID.search(text) and "an access key id" not in found:
            found.append("an access key id")
        if SECRET.search(text) and "a secret access key" not in found:
            found.append("a secret access key")
    return found


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for instance in arch.instances:
        leaks = _leaks(instance.user_data)
        if leaks:
            yield (
                instance.id,
                f"user data of instance {instance.name} holds {' and '.join(leaks)} — remove"
                " them, deactivate the key, and let the instance role supply credentials",
                at(arch, instance.id, "user_data"),
            )


RULE = Rule(
    id="SEC003",
    title="No access keys in user data",
    rationale=(
        "User data is readable by anyone who can describe the instance and by every process"
        " on it through the metadata service; keys there are long-lived and leak easily."
    ),
    severity="error",
    check=check,
    fix=(
        "Remove the keys from user data, deactivate them, and let the instance role supply "
        "credentials."
    ),
    docs="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html",
)
