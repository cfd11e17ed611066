"""cfn_role_policies: a stack's role reads back its inline policy as a document (moto: a
Python repr that boto3 cannot parse, so it arrives as a string)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.adapters.emulator.support import Pair, client, pair, unique

POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}],
}


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("cfn_role_policies")


@pytest.mark.parametrize("side", ["on", "off"])
def test_a_stacks_role_policy_reads_back_as_json(emulators: Pair, side: str) -> None:
    emulator = getattr(emulators, side)
    path = f"/{unique('p')}/"
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "Path": path,
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "Policies": [{"PolicyName": "logs", "PolicyDocument": POLICY}],
        },
    }
    template = json.dumps({"Resources": {"Role": role}})
    client(emulator, "cloudformation").create_stack(StackName=unique("s"), TemplateBody=template)
    iam = client(emulator, "iam")
    (made,) = iam.list_roles(PathPrefix=path)["Roles"]
    document = iam.get_role_policy(RoleName=made["RoleName"], PolicyName="logs")["PolicyDocument"]
    if side == "on":
        assert document == POLICY
    else:
        assert isinstance(document, str) and "'Version'" in document
