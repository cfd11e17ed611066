"""The emulator refuses AssumeRole as AWS does: no such role, or a trust policy that does not
admit the caller (its account, its external id, its session tags); moto alone never refuses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import botocore.exceptions
import pytest

from tests.adapters.emulator.support import Pair, client, error_code, pair, unique

HOME = "123456789012"


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("sts_assume_role")


def _role(emulators: Pair, statements: list[dict[str, Any]]) -> str:
    iam = client(emulators.on, "iam")
    document = json.dumps({"Version": "2012-10-17", "Statement": statements})
    arn = iam.create_role(RoleName=unique("audit"), AssumeRolePolicyDocument=document)["Role"]
    emulators.clock.advance(60)  # past iam_propagation's delay for a new role
    return str(arn["Arn"])


def _allow(principal: str, action: str = "sts:AssumeRole", **condition: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": principal},
        "Action": action,
    }
    if condition:
        statement["Condition"] = condition
    return statement


def _refused(emulators: Pair, arn: str, **params: Any) -> str:
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        client(emulators.on, "sts").assume_role(RoleArn=arn, RoleSessionName="audit", **params)
    return error_code(refused)


def test_a_role_that_does_not_exist_cannot_be_assumed(emulators: Pair) -> None:
    """AccessDenied for a role missing in the target account; moto hands out credentials."""
    arn = "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole"
    assert _refused(emulators, arn) == "AccessDenied"
    sts = client(emulators.off, "sts")
    assert sts.assume_role(RoleArn=arn, RoleSessionName="audit")["Credentials"]["AccessKeyId"]


def test_a_trust_policy_admits_only_whom_it_names(emulators: Pair) -> None:
    """A role trusting another account refuses this one; trusting this account's root admits it."""
    other = _role(emulators, [_allow("arn:aws:iam::999999999999:root")])
    assert _refused(emulators, other) == "AccessDenied"
    mine = _role(emulators, [_allow(f"arn:aws:iam::{HOME}:root")])
    sts = client(emulators.on, "sts")
    assert sts.assume_role(RoleArn=mine, RoleSessionName="audit")["Credentials"]


def test_an_external_id_must_match(emulators: Pair) -> None:
    """sts:ExternalId in the trust policy: missing or wrong is AccessDenied, right is admitted."""
    arn = _role(emulators, [_allow(HOME, StringEquals={"sts:ExternalId": "s3cret"})])
    assert _refused(emulators, arn) == "AccessDenied"
    assert _refused(emulators, arn, ExternalId="guess") == "AccessDenied"
    sts = client(emulators.on, "sts")
    assert sts.assume_role(RoleArn=arn, RoleSessionName="audit", ExternalId="s3cret")["Credentials"]


def test_session_tags_need_tag_session_in_the_trust_policy(emulators: Pair) -> None:
    """Tags on the session are refused unless the trust policy allows sts:TagSession too."""
    tags = [{"Key": "awsarch:tool", "Value": "awsarch"}]
    plain = _role(emulators, [_allow(HOME)])
    assert _refused(emulators, plain, Tags=tags) == "AccessDenied"
    tagged = _role(emulators, [_allow(HOME, ["sts:AssumeRole", "sts:TagSession"])])
    sts = client(emulators.on, "sts")
    assert sts.assume_role(RoleArn=tagged, RoleSessionName="audit", Tags=tags)["Credentials"]


def test_an_explicit_deny_wins(emulators: Pair) -> None:
    """A Deny statement naming the caller beats the Allow beside it."""
    deny = {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    arn = _role(emulators, [_allow(HOME), deny])
    assert _refused(emulators, arn) == "AccessDenied"
