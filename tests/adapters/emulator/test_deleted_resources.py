"""deleted_resources, automated_backups and moto_patches: one emulator stays as fast on its
tenth `up`/`down` as on its first, and `up` right after `down` works."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from awsarch.adapters.emulator.behaviours.backends import ec2_backend
from awsarch.adapters.emulator.behaviours.deleted_resources import AWS_SECONDS
from tests.adapters.emulator.support import REGION, Pair, client, image, pair, unique


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("deleted_resources", "automated_backups")


def _instance(ec2: Any, tag: str) -> str:
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24")["Subnet"]["SubnetId"]
    spec = [{"ResourceType": "instance", "Tags": [{"Key": "cycle", "Value": tag}]}]
    launched = ec2.run_instances(
        ImageId=image(ec2), MinCount=1, MaxCount=1, SubnetId=subnet, TagSpecifications=spec
    )
    return str(launched["Instances"][0]["InstanceId"])


def _listed(ec2: Any, tag: str) -> list[str]:
    filters = [{"Name": "tag:cycle", "Values": [tag]}]
    reservations = ec2.describe_instances(Filters=filters)["Reservations"]
    return [i["State"]["Name"] for r in reservations for i in r["Instances"]]


def test_terminated_instance_is_forgotten_after_an_hour(emulators: Pair) -> None:
    """A terminated instance stays listed (terminated) for about an hour, as on AWS, then it
    and its tags are gone: describe answers do not grow with every instance ever run."""
    ec2, tag = client(emulators.on, "ec2"), unique("cycle")
    instance = _instance(ec2, tag)
    ec2.terminate_instances(InstanceIds=[instance])
    emulators.clock.advance(120)
    assert _listed(ec2, tag) == ["terminated"]
    emulators.clock.advance(AWS_SECONDS)
    assert _listed(ec2, tag) == []
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [instance]}])["Tags"]
    assert tags == []


def test_deleted_group_takes_its_tags_with_it(emulators: Pair) -> None:
    """DescribeTags lists no tag of a deleted security group (moto kept them all, and scanned
    them on every tag lookup)."""
    ec2 = client(emulators.on, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName=unique("g"), Description="d", VpcId=vpc)
    ec2.create_tags(Resources=[group["GroupId"]], Tags=[{"Key": "k", "Value": "v"}])
    ec2.delete_security_group(GroupId=group["GroupId"])
    assert group["GroupId"] not in ec2_backend(REGION).tags


def test_deleted_nat_gateway_is_forgotten_after_an_hour(emulators: Pair) -> None:
    """A deleted NAT gateway is listed `deleted` for about an hour, then no more."""
    ec2 = client(emulators.on, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=allocation)["NatGateway"]
    ec2.delete_nat_gateway(NatGatewayId=nat["NatGatewayId"])
    emulators.clock.advance(120)
    listed = ec2.describe_nat_gateways(NatGatewayIds=[nat["NatGatewayId"]])["NatGateways"]
    assert [n["State"] for n in listed] == ["deleted"]
    emulators.clock.advance(AWS_SECONDS)
    remaining = ec2.describe_nat_gateways(Filter=[{"Name": "vpc-id", "Values": [vpc]}])
    assert remaining["NatGateways"] == []


def test_database_recreated_in_the_same_minute_gets_its_own_backup(emulators: Pair) -> None:
    """A database deleted with its automated backups retained, and created again under the same
    name at once, is created (moto refused with DBSnapshotAlreadyExists)."""
    rds, name = client(emulators.on, "rds"), unique("db")
    params = {
        "DBInstanceIdentifier": name,
        "Engine": "mysql",
        "DBInstanceClass": "db.t3.micro",
        "MasterUsername": "admin",
        "MasterUserPassword": "password123",
        "AllocatedStorage": 20,
    }
    rds.create_db_instance(**params)
    rds.delete_db_instance(
        DBInstanceIdentifier=name, SkipFinalSnapshot=True, DeleteAutomatedBackups=False
    )
    emulators.clock.advance(3600)
    rds.describe_db_instances()  # the deletion settles
    rds.create_db_instance(**params)
    automated = rds.describe_db_snapshots(DBInstanceIdentifier=name, SnapshotType="automated")
    names = [s["DBSnapshotIdentifier"] for s in automated["DBSnapshots"]]
    assert len(names) == 2 and len(set(names)) == 2, names
