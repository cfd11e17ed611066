"""iam_quotas: IAM refuses policies beyond its size quotas with LimitExceeded."""

from __future__ import annotations

import json
from collections.abc import Iterator

import botocore.exceptions
import pytest

from awsarch.deploy.permissions import iam_characters as size
from tests.adapters.emulator.support import Pair, client, error_code, pair, unique


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("iam_quotas")


def _policy(characters: int) -> str:
    """A policy of about `characters` characters, whitespace not counted."""
    resources: list[str] = []
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resources}],
    }
    while size(json.dumps(document)) < characters:
        resources.append(f"arn:aws:s3:::bucket-{len(resources):05d}/*")
    return json.dumps(document, indent=2)


def test_a_groups_inline_policies_together_are_at_most_5120_characters(emulators: Pair) -> None:
    """Two inline policies of 3,000 characters on one group: the second is LimitExceeded."""
    iam = client(emulators.on, "iam")
    group = unique("operators")
    iam.create_group(GroupName=group)
    iam.put_group_policy(GroupName=group, PolicyName="one", PolicyDocument=_policy(3000))
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        iam.put_group_policy(GroupName=group, PolicyName="two", PolicyDocument=_policy(3000))
    assert error_code(refused) == "LimitExceeded"
    iam.put_group_policy(GroupName=group, PolicyName="one", PolicyDocument=_policy(5000))


def test_whitespace_does_not_count(emulators: Pair) -> None:
    """A policy indented generously still fits if its other characters do."""
    iam = client(emulators.on, "iam")
    user = unique("alice")
    iam.create_user(UserName=user)
    document = _policy(2000).replace("\n", "\n" + " " * 40)
    assert len(document) > 2048
    iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=document)


def test_a_managed_policy_is_at_most_6144_characters(emulators: Pair) -> None:
    """A managed policy over 6,144 characters is refused with LimitExceeded."""
    iam = client(emulators.on, "iam")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        iam.create_policy(PolicyName=unique("big"), PolicyDocument=_policy(6200))
    assert error_code(refused) == "LimitExceeded"


def test_without_it_moto_accepts_any_size(emulators: Pair) -> None:
    """Switched off, the emulator is moto: a 6,200-character managed policy is created."""
    iam = client(emulators.off, "iam")
    assert iam.create_policy(PolicyName=unique("big"), PolicyDocument=_policy(6200))["Policy"]
