"""Every AWS name a blueprint builds from its stack name, checked against AWS's own limits.

`up` would otherwise create a VPC, subnets and gateways before CreateDBInstance refuses an
identifier such as `edge--main`; `check` refuses the blueprint instead, at the line to fix.
Pure: a blueprint in, the first problem (where, what) out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awsarch.blueprint.spec import Blueprint
from awsarch.model import Path
from awsarch.record import record

SNAPSHOT_STAMP = "0" * 14 + "-0000"
"""A final snapshot's name ends in a UTC timestamp of 14 digits and a 4-character nonce
(see cli/stack.py `timestamp`)."""


@record
class NameRule:
    """What AWS accepts for one kind of name."""

    what: str
    limit: int
    characters: str
    """A regular expression every character must match."""
    rds: bool = False
    """RDS identifiers: a letter first, no '--' and no trailing '-'."""


RDS_DB = NameRule(
    # https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
    what="RDS database identifier",
    limit=63,
    characters=r"[A-Za-z0-9-]",
    rds=True,
)
RDS_SNAPSHOT = NameRule(
    # https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html
    what="final snapshot identifier",
    limit=255,
    characters=r"[A-Za-z0-9-]",
    rds=True,
)
RDS_SUBNET_GROUP = NameRule(
    # https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html
    what="DB subnet group name",
    limit=255,
    characters=r"[A-Za-z0-9._ -]",
)
IAM_CHARACTERS = r"[\w+=,.@-]"
"""https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html"""
IAM_ROLE = NameRule(what="IAM role name", limit=64, characters=IAM_CHARACTERS)
IAM_PROFILE = NameRule(what="instance profile name", limit=128, characters=IAM_CHARACTERS)
IAM_USER = NameRule(what="IAM user name", limit=64, characters=IAM_CHARACTERS)
IAM_GROUP = NameRule(what="IAM group name", limit=128, characters=IAM_CHARACTERS)
IAM_PATH = NameRule(what="IAM path", limit=512, characters=r"[\x21-\x7e]")
TAG_VALUE = NameRule(
    # https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions
    what="tag value",
    limit=256,
    characters=r"[\w .:+=@/-]",
)
ELB_NAME = NameRule(
    # https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
    # (and CreateTargetGroup): up to 32 alphanumerics and hyphens
    what="load balancer name",
    limit=32,
    characters=r"[A-Za-z0-9-]",
)
TARGET_GROUP_NAME = NameRule(what="target group name", limit=32, characters=r"[A-Za-z0-9-]")
AUTO_SCALING_NAME = NameRule(
    # https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html
    what="Auto Scaling group name",
    limit=255,
    characters=r"[\x20-\x7e]",
)
SSM_NAME = NameRule(
    # https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
    what="SSM parameter name",
    limit=1011,
    characters=r"[A-Za-z0-9_./-]",
)


def built_names(bp: Blueprint) -> Iterator[tuple[Path, str, NameRule]]:
    """(the blueprint path of the part the user wrote, the AWS name, its rule), stack first."""
    stack = bp.stack
    yield ("stack",), stack, TAG_VALUE
    yield ("stack",), f"/awsarch/{stack}/", IAM_PATH
    yield ("stack",), f"/awsarch/{stack}/lock", SSM_NAME
    for db in bp.databases:
        where: Path = ("databases", db.name)
        yield where, f"{stack}-{db.name}", RDS_DB
        yield where, f"{stack}-{db.name}-final-{SNAPSHOT_STAMP}", RDS_SNAPSHOT
        yield where, f"{stack}-{db.name}-subnets", RDS_SUBNET_GROUP
    for server in bp.servers:
        yield ("servers", server.name), f"{stack}-{server.name}", IAM_ROLE
        yield ("servers", server.name), f"{stack}-{server.name}", IAM_PROFILE
    for server in bp.servers:
        if server.scaling is not None:
            yield ("servers", server.name), f"{stack}-{server.name}", AUTO_SCALING_NAME
    for lb in bp.load_balancers:
        yield ("load_balancers", lb.name), f"{stack}-{lb.name}", ELB_NAME
        yield ("load_balancers", lb.name), f"{stack}-{lb.name}", TARGET_GROUP_NAME
    for group in bp.operators.groups:
        yield ("operators", "groups", group.name), f"{stack}-{group.name}", IAM_GROUP
    for user in bp.operators.users:
        yield ("operators", "users", user.name), f"{stack}-{user.name}", IAM_USER


def problem(name: str, rule: NameRule) -> str:
    """What is wrong with `name` as a `rule.what` ("" when nothing)."""
    if len(name) > rule.limit:
        return f"is {len(name)} characters, over the {rule.limit} AWS allows"
    bad = sorted({c for c in name if not re.fullmatch(rule.characters, c)})
    if bad:
        return f"holds {', '.join(repr(c) for c in bad)}, which AWS does not allow there"
    if rule.rds and not name[:1].isalpha():
        return "does not start with a letter"
    if rule.rds and "--" in name:
        return "holds '--'"
    if rule.rds and name.endswith("-"):
        return "ends with '-'"
    return ""


def stack_problem(stack: str, database: str = "main") -> str:
    """A stack name starts every RDS identifier (`<stack>-<database>`): one that ends with '-'
    or holds '--' can never name a database or its final snapshot, so it is refused outright."""
    if stack.endswith("-") or "--" in stack:
        joined = f"{stack}-{database}"
        return (
            f"stack '{stack}' would name RDS databases like '{joined}', and RDS identifiers"
            " hold no '--' and do not end with '-'"
            f" — use letters and digits joined by single hyphens, e.g. '{_tidy(stack)}'"
        )
    return ""


def first_problem(bp: Blueprint) -> tuple[Path, str] | None:
    """Where and what the first name AWS would refuse is, or None when every name is fine."""
    wrong = stack_problem(bp.stack, bp.databases[0].name if bp.databases else "main")
    if wrong:
        return ("stack",), wrong
    for where, name, rule in built_names(bp):
        wrong = problem(name, rule)
        if wrong:
            part = f"stack '{bp.stack}'" if where == ("stack",) else f"'{where[-1]}'"
            return where, f"the {rule.what} '{name}' {wrong} — rename {part} so that AWS accepts it"
    return None


def _tidy(name: str) -> str:
    return re.sub("-+", "-", name).strip("-") or "demo"
