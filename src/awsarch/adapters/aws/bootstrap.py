"""`awsarch iam bootstrap`: the one set-up done with an administrator's (or root's) credentials.

It creates an IAM group holding the generated policy as customer managed policies (split to fit
IAM's 6,144-character quota per policy), and a user in that group: no password, and an access key
only when asked, written to a credentials file (mode 0600), never printed. Everything lives under
the path `/awsarch-bootstrap/<stack>/`, outside the stack's own `/awsarch/<stack>/`, so `up` and
`down` never see these as the stack's resources. Running it again brings the policies up to date.
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path
from typing import Any

from awsarch.adapters.aws.managed_policies import put_managed_policy
from awsarch.adapters.aws.resources.context import ApplyContext
from awsarch.adapters.aws.resources.iam import create_once
from awsarch.adapters.aws.session import AwsSession
from awsarch.deploy.permissions import policy_size
from awsarch.record import record


@record
class Bootstrapped:
    group: str
    user: str
    policies: tuple[tuple[str, int], ...]
    """Each managed policy's ARN and size."""
    profile: str = ""
    """The credentials file's profile holding the user's new access key, if one was made."""


def bootstrap_path(stack: str) -> str:
    return f"/awsarch-bootstrap/{stack}/"


def bootstrap(
    session: AwsSession,
    *,
    stack: str,
    kind: str,
    documents: list[dict[str, Any]],
    user: str,
    credentials_file: Path | None = None,
) -> Bootstrapped:
    """Group `awsarch-<stack>-<kind>s` with the documents attached, and `user` in it."""
    path = bootstrap_path(stack)
    group = f"awsarch-{stack}-{kind}s"
    # IAM is eventually consistent: what was just created may not be found for a moment, and
    # the apply context's calls retry exactly that.
    ctx = ApplyContext(session=session, stack=stack)
    create_once(ctx, "group", path=path, GroupName=group)
    account = str(ctx.call("sts", "get_caller_identity")["Account"])
    arns = []
    for index, document in enumerate(documents, start=1):
        name = f"awsarch-{stack}-{kind}-{index}"
        arn = put_managed_policy(ctx.call, account, path, name, document)
        ctx.call("iam", "attach_group_policy", GroupName=group, PolicyArn=arn)
        arns.append((arn, policy_size(document)))
    _detach_stale(ctx, group, f"awsarch-{stack}-{kind}-", {arn for arn, _ in arns})
    create_once(ctx, "user", path=path, UserName=user)
    ctx.call("iam", "add_user_to_group", GroupName=group, UserName=user)
    profile = ""
    if credentials_file is not None:
        key = ctx.call("iam", "create_access_key", UserName=user)["AccessKey"]
        profile = user
        write_profile(credentials_file, profile, key["AccessKeyId"], key["SecretAccessKey"])
    return Bootstrapped(group=group, user=user, policies=tuple(arns), profile=profile)


def _detach_stale(ctx: ApplyContext, group: str, prefix: str, current: set[str]) -> None:
    """A policy left from an earlier, larger split is detached."""
    attached = ctx.call("iam", "list_attached_group_policies", GroupName=group)
    for policy in attached["AttachedPolicies"]:
        if policy["PolicyName"].startswith(prefix) and policy["PolicyArn"] not in current:
            ctx.call("iam", "detach_group_policy", GroupName=group, PolicyArn=policy["PolicyArn"])


def write_profile(file: Path, profile: str, key_id: str, secret: str) -> None:
    """Add (or replace) one profile in an AWS credentials file, readable by its owner only."""
    config = configparser.ConfigParser()
    if file.exists():
        config.read(file, encoding="utf-8")
    config[profile] = {"aws_access_key_id": key_id, "aws_secret_access_key": secret}
    file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        config.write(out)
    file.chmod(0o600)
