"""The organization's accounts, a role assumed in each, and a session per (account, region).

Accounts: Organizations ListAccounts (or ListAccountsForParent under `--ou`, child OUs included),
active ones only (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html:
`State` ACTIVE, the older `Status` ACTIVE). Roles: STS AssumeRole
(https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html) with a session name
that names awsarch (CloudTrail shows it), the external id when the role's trust policy asks for
one, and, when asked, session tags — which the role's trust policy must allow with
`sts:TagSession`, as AWS refuses them otherwise (the default OrganizationAccountAccessRole
does not). Every call goes through the one seam, `AwsSession`.
"""

from __future__ import annotations

from collections.abc import Iterable

from awsarch.adapters.aws.session import AwsSession, Credentials
from awsarch.record import record

DEFAULT_ROLE = "OrganizationAccountAccessRole"
"""The role Organizations creates in every account it creates, trusted by the management one."""
SESSION_NAME = "awsarch-audit"
SESSION_TAGS = (("awsarch:tool", "awsarch"), ("awsarch:verb", "audit"))


@record
class RoleRequest:
    role: str = DEFAULT_ROLE
    external_id: str | None = None
    session_tags: bool = False
    partition: str = "aws"

    def arn(self, account: str) -> str:
        if self.role.startswith("arn:"):
            return self.role.replace("{account}", account)
        return f"arn:{self.partition}:iam::{account}:role/{self.role}"


def list_accounts(
    session: AwsSession, *, only: Iterable[str] = (), ous: Iterable[str] = ()
) -> tuple[str, ...]:
    """The ids of the organization's active accounts, narrowed to `only` and to `ous`."""
    wanted = set(only)
    parents = _with_children(session, list(ous))
    if parents:
        found = [
            a
            for parent in parents
            for page in session.pages("organizations", "list_accounts_for_parent", ParentId=parent)
            for a in page["Accounts"]
        ]
    else:
        found = [
            a for page in session.pages("organizations", "list_accounts") for a in page["Accounts"]
        ]
    return tuple(
        sorted(
            {
                str(a["Id"])
                for a in found
                if a.get("State", a.get("Status")) == "ACTIVE" and (not wanted or a["Id"] in wanted)
            }
        )
    )


def _with_children(session: AwsSession, ous: list[str]) -> list[str]:
    """The OUs and every OU below them (breadth first)."""
    seen: list[str] = []
    queue = list(ous)
    while queue:
        parent = queue.pop(0)
        if parent in seen:
            continue
        seen.append(parent)
        for page in session.pages(
            "organizations", "list_organizational_units_for_parent", ParentId=parent
        ):
            queue += [str(ou["Id"]) for ou in page["OrganizationalUnits"]]
    return seen


def caller_account(session: AwsSession) -> str:
    """The account of the credentials awsarch runs with (STS GetCallerIdentity)."""
    return str(session.call("sts", "get_caller_identity")["Account"])


def enabled_regions(session: AwsSession) -> tuple[str, ...]:
    """The regions enabled for the session's account: DescribeRegions without AllRegions lists
    only those (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html),
    so an opt-in region the account has not enabled is left out."""
    regions = session.call("ec2", "describe_regions").get("Regions", [])
    return tuple(
        sorted(str(r["RegionName"]) for r in regions if r.get("OptInStatus") != "not-opted-in")
    )


def assume(session: AwsSession, account: str, request: RoleRequest) -> Credentials:
    """Temporary credentials of the role in `account`; AccessDenied when the role is missing
    or its trust policy does not admit the caller (arrives as AccessDeniedError)."""
    params: dict[str, object] = {"RoleArn": request.arn(account), "RoleSessionName": SESSION_NAME}
    if request.external_id:
        params["ExternalId"] = request.external_id
    if request.session_tags:
        params["Tags"] = [{"Key": k, "Value": v} for k, v in SESSION_TAGS]
    got = session.call("sts", "assume_role", **params)["Credentials"]
    return Credentials(
        access_key_id=got["AccessKeyId"],
        secret_access_key=got["SecretAccessKey"],
        session_token=got["SessionToken"],
    )


def session_for(
    region: str,
    *,
    credentials: Credentials | None,
    endpoint_url: str | None,
    profile: str | None = None,
) -> AwsSession:
    """A fresh session in one region: one per unit, so threads never share a boto3 session."""
    return AwsSession(
        region=region,
        endpoint_url=endpoint_url,
        profile=None if credentials else profile,
        credentials=credentials,
    )
