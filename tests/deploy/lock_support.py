"""Plant, read and compare what the stack lock and owner record hold, with plain boto3."""

from __future__ import annotations

import datetime
import json
from typing import Any

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from awsarch.deploy.lock_record import BlueprintIdentity, lock_name, new_lock, owner_name
from tests.deploy.census import STACK, client, tag_map

LOCK = lock_name(STACK)
OWNER = owner_name(STACK)


def plant_lock(endpoint: str, *, host: str = "build-7", pid: int = 4242, hours: float = 1) -> None:
    """A lock as another awsarch run would hold it, expiring `hours` from now (< 0: expired)."""
    now = datetime.datetime.now(datetime.UTC)
    record = new_lock(
        who="arn:aws:iam::123456789012:user/carol",
        host=host,
        pid=pid,
        command="up",
        blueprint=BlueprintIdentity(path="/home/carol/blueprint.yaml", host=host),
        now=now - datetime.timedelta(hours=4),
        ttl=datetime.timedelta(hours=4 + hours),
    )
    client("ssm", endpoint).put_parameter(
        Name=LOCK, Value=record.encode(), Type="String", Overwrite=False
    )


def parameter(endpoint: str, name: str) -> str | None:
    try:
        found = client("ssm", endpoint).get_parameter(Name=name)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ParameterNotFound":
            return None
        raise
    return str(found["Parameter"]["Value"])


def owner_path(endpoint: str) -> str | None:
    value = parameter(endpoint, OWNER)
    return None if value is None else str(json.loads(value)["path"])


def everything(endpoint: str) -> dict[str, Any]:
    """A describe of what the stack has live: ids, states, the database's protection, the owner
    record. Two equal results mean nothing was created, deleted or changed in between."""
    ec2 = client("ec2", endpoint)
    rds = client("rds", endpoint)
    instances = [
        (tag_map(i.get("Tags")).get("awsarch:name"), i["InstanceId"], i["State"]["Name"])
        for r in ec2.describe_instances()["Reservations"]
        for i in r["Instances"]
    ]
    databases = [
        (d["DBInstanceIdentifier"], d["Engine"], d["DeletionProtection"], d["DBInstanceStatus"])
        for d in rds.describe_db_instances()["DBInstances"]
    ]
    return {
        "vpcs": sorted(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]),
        "subnets": sorted(s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]),
        "groups": sorted(g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]),
        "nats": sorted(n["NatGatewayId"] for n in ec2.describe_nat_gateways()["NatGateways"]),
        "instances": sorted(instances, key=str),
        "databases": sorted(databases),
        "snapshots": sorted(
            s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots()["DBSnapshots"]
        ),
        "owner": parameter(endpoint, OWNER),
    }
