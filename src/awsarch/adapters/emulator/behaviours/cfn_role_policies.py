"""A stack's role keeps its inline policies as JSON, as IAM stores every policy document.

https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html: "The policy document
returned in this structure is URL-encoded compliant with RFC 3986" — the JSON text the policy was
given as. moto 5.2.5 stores a CloudFormation role's `Policies` as Python's repr of the dict
(single quotes), which no JSON reader (boto3's included) can read back.
"""

from __future__ import annotations

import json
from typing import Any

from awsarch.adapters.emulator.behaviours.backends import rewrite_cloudformation_properties
from awsarch.adapters.emulator.layer import Behaviour

NAME = "cfn_role_policies"


class CfnRolePolicies(Behaviour):
    name = NAME
    services = frozenset({"cloudformation"})

    def install(self) -> None:
        from moto.iam.models import Role

        rewrite_cloudformation_properties(Role, NAME, _policies_as_json)


def _policies_as_json(props: dict[str, Any], account_id: str, region: str) -> dict[str, Any]:
    policies = [
        {**p, "PolicyDocument": _as_json(p["PolicyDocument"])} for p in props.get("Policies", [])
    ]
    return {**props, "Policies": policies}


def _as_json(document: Any) -> Any:
    return document if isinstance(document, str) else json.dumps(document)
