"""Customer managed policies awsarch owns: put (create, or a new default version), read, delete.

Groups hold awsarch's policies as managed policies, not inline: the inline policies of one group
may total only 5,120 characters, a managed policy 6,144, and a group may have ten attached
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). IAM keeps at most
five versions of a managed policy; the oldest non-default one goes before a new one is added.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from typing import Any

from awsarch.adapters.aws.errors import AwsError, error_code

Call = Callable[..., dict[str, Any]]
"""`call("iam", "create_policy", **params)`: an AwsSession's or an ApplyContext's `call`."""
MAX_VERSIONS = 5


def policy_arn(account: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account}:policy{path}{name}"


def put_managed_policy(call: Call, account: str, path: str, name: str, document: Any) -> str:
    """The policy `path`+`name` holding `document` as its default version; its ARN."""
    text = json.dumps(document)
    try:
        created = call("iam", "create_policy", Path=path, PolicyName=name, PolicyDocument=text)
        return str(created["Policy"]["Arn"])
    except AwsError as exc:
        if error_code(exc) != "EntityAlreadyExists":
            raise
    arn = policy_arn(account, path, name)
    if read_managed_policy(call, arn) == document:
        return arn
    versions = call("iam", "list_policy_versions", PolicyArn=arn)["Versions"]
    older = sorted(
        (v for v in versions if not v["IsDefaultVersion"]), key=lambda v: v["CreateDate"]
    )
    for version in older[: max(0, len(versions) - MAX_VERSIONS + 1)]:
        call("iam", "delete_policy_version", PolicyArn=arn, VersionId=version["VersionId"])
    call("iam", "create_policy_version", PolicyArn=arn, PolicyDocument=text, SetAsDefault=True)
    return arn


def read_managed_policy(call: Call, arn: str) -> Any:
    """The default version's document."""
    version = call("iam", "get_policy", PolicyArn=arn)["Policy"]["DefaultVersionId"]
    document = call("iam", "get_policy_version", PolicyArn=arn, VersionId=version)
    return decoded(document["PolicyVersion"]["Document"])


def delete_managed_policy(call: Call, arn: str) -> None:
    """Its other versions first: IAM refuses to delete a policy that has any."""
    for version in call("iam", "list_policy_versions", PolicyArn=arn)["Versions"]:
        if not version["IsDefaultVersion"]:
            call("iam", "delete_policy_version", PolicyArn=arn, VersionId=version["VersionId"])
    call("iam", "delete_policy", PolicyArn=arn)


def decoded(value: Any) -> Any:
    """boto3 decodes policy documents to dicts; a raw URL-encoded string is decoded here."""
    if isinstance(value, str):
        return json.loads(urllib.parse.unquote(value))
    return value
