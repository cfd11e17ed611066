"""What a stack owns on the target, counted with plain boto3 describe calls (not awsarch's reader).

Every test that checks convergence counts live resources per `awsarch:name` tag: exactly one of
each blueprint resource, and nothing tagged with the stack that the blueprint does not name.
Resources on their way out (terminated instances, deleted NAT gateways) are not counted: AWS
itself forgets them after a while.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text

STACK_TAG = "awsarch:stack"
NAME_TAG = "awsarch:name"
STACK = "demo"
REGION = "ap-northeast-2"
GONE_INSTANCE_STATES = {"shutting-down", "terminated"}
GONE_NAT_STATES = {"deleting", "deleted", "failed"}


def client(service: str, endpoint: str) -> Any:
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION)


def seed_names() -> Counter[str]:
    """One of every resource the seed blueprint expands to (the NAT gateway's Elastic IP too)."""
    architecture = expand(load_text(seed_text(), file="seed.yaml").blueprint)
    return Counter(r.id for r in architecture.resources())


@dataclass(frozen=True, kw_only=True)
class Census:
    names: Counter[str]
    """Live resources per `awsarch:name` tag ("" for tagged with the stack but unnamed)."""
    volumes: Counter[str]
    """Stack-tagged EBS volumes by state (`in-use`, `available`)."""
    secrets: int
    """Secrets Manager secrets in the account (only RDS's managed master secret is expected)."""

    @property
    def total(self) -> int:
        return sum(self.names.values()) + sum(self.volumes.values())


def take(endpoint: str, stack: str = STACK) -> Census:
    """Count everything tagged with the stack across EC2, RDS and IAM (path /awsarch/)."""
    names: Counter[str] = Counter()
    for tags in [*_ec2(endpoint, stack), *_rds(endpoint), *_iam(endpoint, stack)]:
        if tags.get(STACK_TAG) == stack:
            names[tags.get(NAME_TAG, "")] += 1
    ec2 = client("ec2", endpoint)
    volumes = ec2.describe_volumes(Filters=[{"Name": f"tag:{STACK_TAG}", "Values": [stack]}])
    secrets = client("secretsmanager", endpoint).list_secrets()["SecretList"]
    return Census(
        names=names,
        volumes=Counter(v["State"] for v in volumes["Volumes"]),
        secrets=len(secrets),
    )


def tag_map(tags: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in tags or []}


def _ec2(endpoint: str, stack: str) -> Iterator[dict[str, str]]:
    ec2 = client("ec2", endpoint)
    stack_filter = [{"Name": f"tag:{STACK_TAG}", "Values": [stack]}]
    listings = (
        ("describe_vpcs", "Vpcs"),
        ("describe_subnets", "Subnets"),
        ("describe_internet_gateways", "InternetGateways"),
        ("describe_route_tables", "RouteTables"),
        ("describe_security_groups", "SecurityGroups"),
        ("describe_network_acls", "NetworkAcls"),
        ("describe_addresses", "Addresses"),
    )
    for operation, key in listings:
        for item in getattr(ec2, operation)(Filters=stack_filter)[key]:
            yield tag_map(item.get("Tags"))
    for nat in ec2.describe_nat_gateways(Filter=stack_filter)["NatGateways"]:
        if nat["State"] not in GONE_NAT_STATES:
            yield tag_map(nat.get("Tags"))
    for reservation in ec2.describe_instances(Filters=stack_filter)["Reservations"]:
        for instance in reservation["Instances"]:
            if instance["State"]["Name"] not in GONE_INSTANCE_STATES:
                yield tag_map(instance.get("Tags"))


def _rds(endpoint: str) -> Iterator[dict[str, str]]:
    rds = client("rds", endpoint)
    arns = [d["DBInstanceArn"] for d in rds.describe_db_instances()["DBInstances"]]
    arns += [g["DBSubnetGroupArn"] for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]]
    for arn in arns:
        yield tag_map(rds.list_tags_for_resource(ResourceName=arn)["TagList"])


def _iam(endpoint: str, stack: str) -> Iterator[dict[str, str]]:
    """Roles and instance profiles under the stack's IAM path (the emulator ignores PathPrefix
    for instance profiles, so the path is checked here too)."""
    iam = client("iam", endpoint)
    path = f"/awsarch/{stack}/"  # where awsarch puts a stack's IAM resources
    for role in iam.list_roles(PathPrefix=path)["Roles"]:
        if role["Path"].startswith(path):
            tags = iam.list_role_tags(RoleName=role["RoleName"])["Tags"]
            yield {STACK_TAG: stack, **tag_map(tags)}
    for profile in iam.list_instance_profiles(PathPrefix=path)["InstanceProfiles"]:
        if profile["Path"].startswith(path):
            name = profile["InstanceProfileName"]
            described = iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
            yield {STACK_TAG: stack, **tag_map(described.get("Tags"))}


def assert_converged(endpoint: str, expected: Counter[str] | None = None) -> Census:
    """Exactly one live resource per blueprint name, nothing else tagged, no orphaned volume."""
    census = take(endpoint)
    wanted = expected if expected is not None else seed_names()
    assert census.names == wanted, _difference(census.names, wanted)
    instances = sum(n for name, n in wanted.items() if name.startswith("instance/"))
    assert census.volumes == Counter({"in-use": instances})
    assert census.secrets == 1
    return census


def _difference(live: Counter[str], wanted: Counter[str]) -> str:
    extra = live - wanted
    missing = wanted - live
    return f"duplicated or orphaned: {dict(extra)}; missing: {dict(missing)}"


def write_seed(folder: Path) -> Path:
    path = folder / "blueprint.yaml"
    path.write_text(seed_text())
    return path
