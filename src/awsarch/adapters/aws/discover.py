"""Read what is live in one region (or one VPC) into raw JSON: the describe_* responses, merged.

Every list comes from a paginator, one API call per page and never one per resource; the only
per-resource calls are bounded: two VPC attributes per VPC (a region holds a handful of VPCs), the
policies of the IAM roles behind instance profiles that instances actually use, and user data when
asked for (`include_user_data`, one DescribeInstanceAttribute per instance: not cheap). Services run
in parallel threads. The result is a plain, JSON-serialisable dict; `ingest` turns it into a model.

Everything a stack owns is found by its own listing, never only through another resource: EC2
and RDS resources by their `awsarch:stack` tag in region-wide listings, Elastic IPs included
(DescribeAddresses); IAM roles, instance profiles, users and groups by the stack's IAM path
(IAM listings filter by path, not by tag). The Resource Groups Tagging API is no substitute:
its GetResources does not return IAM users and roles
(https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/supported-services.html),
and the emulator's (moto 5.2.5) lists no IAM resource, Elastic IP or network ACL either.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from awsarch.adapters.aws.discover_balancing import discover_balancing
from awsarch.adapters.aws.errors import AwsError
from awsarch.adapters.aws.session import AwsSession
from awsarch.record import record

RAW_FORMAT = 1
NOT_EC2 = ("DBInstances", "DBSubnetGroups", "InstanceProfiles")
AWSARCH_IAM_PATH = "/awsarch/"
STACK_TAG = "awsarch:stack"
"""awsarch creates its roles and instance profiles under `/awsarch/<stack>/`: IAM lists them by
path, page by page, with no per-resource tag lookups."""
LIVE_INSTANCE_STATES = ("pending", "running", "stopping", "stopped")


@record
class Listing:
    """One paginated describe/list call and where its items land in the raw JSON."""

    service: str
    key: str
    operation: str
    result_key: str
    max_page: int
    vpc_filter: str = ""
    filter_param: str = "Filters"


LISTINGS = (
    Listing(
        service="ec2",
        key="Vpcs",
        operation="describe_vpcs",
        result_key="Vpcs",
        max_page=1000,
        vpc_filter="vpc-id",
    ),
    Listing(
        service="ec2",
        key="Subnets",
        operation="describe_subnets",
        result_key="Subnets",
        max_page=1000,
        vpc_filter="vpc-id",
    ),
    Listing(
        service="ec2",
        key="RouteTables",
        operation="describe_route_tables",
        result_key="RouteTables",
        max_page=100,
        vpc_filter="vpc-id",
    ),
    Listing(
        service="ec2",
        key="InternetGateways",
        operation="describe_internet_gateways",
        result_key="InternetGateways",
        max_page=1000,
        vpc_filter="attachment.vpc-id",
    ),
    Listing(
        service="ec2",
        key="NatGateways",
        operation="describe_nat_gateways",
        result_key="NatGateways",
        max_page=1000,
        vpc_filter="vpc-id",
        filter_param="Filter",
    ),
    Listing(
        service="ec2",
        key="SecurityGroups",
        operation="describe_security_groups",
        result_key="SecurityGroups",
        max_page=1000,
        vpc_filter="vpc-id",
    ),
    Listing(
        # Customer-managed lists (the stack's own found by their tags) and AWS-managed ones
        # (their names: a blueprint may name one). Regional: no VPC filter applies.
        service="ec2",
        key="PrefixLists",
        operation="describe_managed_prefix_lists",
        result_key="PrefixLists",
        max_page=100,
    ),
    Listing(
        service="ec2",
        key="NetworkAcls",
        operation="describe_network_acls",
        result_key="NetworkAcls",
        max_page=1000,
        vpc_filter="vpc-id",
    ),
    Listing(
        service="ec2",
        key="Reservations",
        operation="describe_instances",
        result_key="Reservations",
        max_page=1000,
        vpc_filter="vpc-id",
    ),
    Listing(
        # Both sides of a connection are filters of their own (requester-vpc-info.vpc-id,
        # accepter-vpc-info.vpc-id): one listing, narrowed to a VPC by ingest.
        service="ec2",
        key="VpcPeeringConnections",
        operation="describe_vpc_peering_connections",
        result_key="VpcPeeringConnections",
        max_page=1000,
    ),
    Listing(
        service="ec2",
        key="Volumes",
        operation="describe_volumes",
        result_key="Volumes",
        max_page=500,
    ),
    Listing(
        service="rds",
        key="DBInstances",
        operation="describe_db_instances",
        result_key="DBInstances",
        max_page=100,
    ),
    Listing(
        service="rds",
        key="DBSubnetGroups",
        operation="describe_db_subnet_groups",
        result_key="DBSubnetGroups",
        max_page=100,
    ),
    Listing(
        service="iam",
        key="InstanceProfiles",
        operation="list_instance_profiles",
        result_key="InstanceProfiles",
        max_page=1000,
    ),
)


def discover(
    session: AwsSession,
    *,
    vpc_id: str | None = None,
    include_user_data: bool = False,
    page_size: int | None = None,
    max_workers: int = 8,
    stack: str = "",
) -> dict[str, Any]:
    """The raw JSON of a region (or of `vpc_id` only): describe responses keyed by service.

    Role policies are read for the roles that instances use and, with `stack`, for the roles
    that stack owns (under `/awsarch/<stack>/`), even when no instance uses them yet.

    `page_size` caps every page (default: each API's maximum); the bench uses it to show that
    calls grow with pages, not with resources. Errors arrive as
    `awsarch.adapters.aws.errors.AwsError`.
    """
    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="discover") as pool:
        lists = {
            item.key: pool.submit(_collect, session, item, vpc_id, page_size) for item in LISTINGS
        }
        addresses = pool.submit(session.call, "ec2", "describe_addresses")
        balancing = pool.submit(discover_balancing, session, stack=stack, vpc_id=vpc_id)
        to_read = [
            *_referenced_lists(lists["SecurityGroups"].result()),
            *_owned_lists(lists["PrefixLists"].result(), stack),
        ]
        prefix_lists = _fan_out(pool, _prefix_list_entries, session, to_read)
        attributes = _fan_out(pool, _vpc_attributes, session, _ids(lists["Vpcs"], "VpcId"))
        instances = _instances(lists["Reservations"].result())
        stack_roles = pool.submit(_stack_roles, session, stack).result() if stack else []
        role_names = [*_used_roles(lists, instances, stack), *(r["RoleName"] for r in stack_roles)]
        roles = _fan_out(pool, _role_policies, session, role_names)
        user_data: dict[str, Future[Any]] = {}
        if include_user_data:
            readable = [i["InstanceId"] for i in instances if _in_scope(i, stack)]
            user_data = _fan_out(pool, _user_data, session, readable)
        got = {key: future.result() for key, future in lists.items()}
        raw = {
            "format": RAW_FORMAT,
            "region": session.region,
            "vpc_id": vpc_id or "",
            "ec2": {
                **{key: got[key] for key in got if key not in NOT_EC2},
                "VpcAttributes": _results(attributes),
                "Addresses": addresses.result().get("Addresses", []),
                "PrefixListEntries": {
                    k: v for k, v in _results(prefix_lists).items() if v is not None
                },
                "UserData": _results(user_data),
            },
            "rds": {"DBInstances": got["DBInstances"], "DBSubnetGroups": got["DBSubnetGroups"]},
            "iam": {
                "InstanceProfiles": got["InstanceProfiles"],
                "StackRoles": stack_roles,
                "Roles": _results(roles),
            },
            **balancing.result(),
        }
    plain: dict[str, Any] = _plain(raw)
    return plain


def _collect(
    session: AwsSession, item: Listing, vpc_id: str | None, page_size: int | None
) -> list[Any]:
    """Every item of one listing, one call per page."""
    params: dict[str, Any] = {}
    if vpc_id and item.vpc_filter:
        params[item.filter_param] = [{"Name": item.vpc_filter, "Values": [vpc_id]}]
    if item.key == "Reservations":
        filters = params.setdefault("Filters", [])
        filters.append({"Name": "instance-state-name", "Values": list(LIVE_INSTANCE_STATES)})
    size = min(page_size, item.max_page) if page_size else item.max_page
    found: list[Any] = []
    for page in session.pages(item.service, item.operation, page_size=size, **params):
        found.extend(page.get(item.result_key, []))
    return found


def _fan_out(
    pool: ThreadPoolExecutor,
    task: Callable[[AwsSession, str], Any],
    session: AwsSession,
    keys: Iterable[str],
) -> dict[str, Future[Any]]:
    return {key: pool.submit(task, session, key) for key in sorted(set(keys))}


def _results(futures: dict[str, Future[Any]]) -> dict[str, Any]:
    return {key: future.result() for key, future in futures.items()}


def _ids(listing: Future[list[Any]], field: str) -> list[str]:
    return [str(item[field]) for item in listing.result()]


def _instances(reservations: list[Any]) -> list[Any]:
    return [instance for r in reservations for instance in r.get("Instances", [])]


def _vpc_attributes(session: AwsSession, vpc_id: str) -> dict[str, bool]:
    """DNS support and hostnames (DescribeVpcAttribute takes one attribute per call)."""
    found = {}
    for attribute, field in (
        ("enableDnsSupport", "EnableDnsSupport"),
        ("enableDnsHostnames", "EnableDnsHostnames"),
    ):
        reply = session.call("ec2", "describe_vpc_attribute", VpcId=vpc_id, Attribute=attribute)
        found[field] = bool(reply.get(field, {}).get("Value", False))
    return found


def _referenced_lists(groups: list[Any]) -> list[str]:
    """The managed prefix lists that security group rules name (customer or AWS managed)."""
    return [
        str(ref["PrefixListId"])
        for group in groups
        for key in ("IpPermissions", "IpPermissionsEgress")
        for permission in group.get(key, [])
        for ref in permission.get("PrefixListIds", [])
    ]


def _owned_lists(lists: list[Any], stack: str) -> list[str]:
    """The stack's own prefix lists (tagged `awsarch:stack`), whose entries `up` compares."""
    return [str(item["PrefixListId"]) for item in lists if stack and _in_scope(item, stack)]


def _prefix_list_entries(session: AwsSession, list_id: str) -> list[str] | None:
    """A prefix list's CIDRs; None when they cannot be read (the proofs then say `unknown`)."""
    try:
        return [
            str(entry["Cidr"])
            for page in session.pages(
                "ec2", "get_managed_prefix_list_entries", PrefixListId=list_id
            )
            for entry in page.get("Entries", [])
        ]
    except AwsError:
        return None


def _in_scope(instance: dict[str, Any], stack: str) -> bool:
    """With a stack, only its own instances are read further: the deployer and viewer policies
    reach no other (and another team's user data or role is none of this stack's business)."""
    tags = {t.get("Key"): t.get("Value") for t in instance.get("Tags", [])}
    return not stack or tags.get(STACK_TAG) == stack


def _used_roles(lists: dict[str, Future[list[Any]]], instances: list[Any], stack: str) -> list[str]:
    """Names of the roles behind the instance profiles that live instances use (the stack's own
    instances, with a stack), or that the stack owns (under the IAM path `/awsarch/<stack>/`)."""
    used = {
        i["IamInstanceProfile"]["Arn"]
        for i in instances
        if i.get("IamInstanceProfile") and _in_scope(i, stack)
    }
    owned = f"{AWSARCH_IAM_PATH}{stack}/" if stack else None
    profiles = lists["InstanceProfiles"].result()
    return [
        role["RoleName"]
        for p in profiles
        if p.get("Arn") in used or (owned and p.get("Path") == owned)
        for role in p.get("Roles", [])
    ]


def _stack_roles(session: AwsSession, stack: str) -> list[Any]:
    """Every role under the stack's IAM path, found by that path and never only through an
    instance profile: a run killed between CreateRole and AddRoleToInstanceProfile leaves a role
    no profile names. ListRoles filters by PathPrefix server-side and returns no tags.
    https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html"""
    path = f"{AWSARCH_IAM_PATH}{stack}/"
    return [
        role
        for page in session.pages("iam", "list_roles", PathPrefix=path)
        for role in page.get("Roles", [])
        if role.get("Path") == path
    ]


def _role_policies(session: AwsSession, role: str) -> dict[str, Any]:
    """A role's attached managed policies and inline policy documents."""
    attached = [
        policy
        for page in session.pages("iam", "list_attached_role_policies", RoleName=role)
        for policy in page.get("AttachedPolicies", [])
    ]
    names = [
        name
        for page in session.pages("iam", "list_role_policies", RoleName=role)
        for name in page.get("PolicyNames", [])
    ]
    inline = {
        name: session.call("iam", "get_role_policy", RoleName=role, PolicyName=name).get(
            "PolicyDocument", {}
        )
        for name in names
    }
    return {"AttachedPolicies": attached, "InlinePolicies": inline}


def _user_data(session: AwsSession, instance_id: str) -> str:
    """The instance's user data, decoded (one call per instance: only when asked for)."""
    reply = session.call(
        "ec2", "describe_instance_attribute", InstanceId=instance_id, Attribute="userData"
    )
    encoded = reply.get("UserData", {}).get("Value", "")
    return base64.b64decode(encoded).decode("utf-8", "replace") if encoded else ""


def _plain(value: Any) -> Any:
    """The value with datetimes as ISO strings and bytes as base64, safe for json.dumps."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value
