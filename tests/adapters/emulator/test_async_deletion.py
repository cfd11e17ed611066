"""database_deletion, instance_lifecycle, nat_deletion: what AWS deletes takes time, and holds
what it uses until it is gone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import botocore.exceptions
import pytest

from awsarch.adapters.emulator.behaviours.database_deletion import AWS_SECONDS as DATABASE_DELAY
from awsarch.adapters.emulator.behaviours.instance_lifecycle import AWS_SECONDS as INSTANCE_DELAY
from awsarch.adapters.emulator.behaviours.nat_deletion import AWS_SECONDS as NAT_DELAY
from tests.adapters.emulator.support import Pair, client, error_code, image, pair, unique

FAST = {"Delay": 1, "MaxAttempts": 3}


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("database_deletion", "instance_lifecycle", "nat_deletion")


def _network(ec2: Any, second: int) -> tuple[str, list[str], str]:
    """A VPC with two subnets in two zones and a security group: (vpc, subnets, group)."""
    vpc = ec2.create_vpc(CidrBlock=f"10.{second}.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{second}.{i}.0/24", AvailabilityZone=zone)[
            "Subnet"
        ]["SubnetId"]
        for i, zone in enumerate(["ap-northeast-2a", "ap-northeast-2b"])
    ]
    group = ec2.create_security_group(GroupName=unique("db"), Description="d", VpcId=vpc)["GroupId"]
    return vpc, subnets, group


def _database(rds: Any, subnets: list[str], group: str) -> str:
    name = unique("db")
    rds.create_db_subnet_group(
        DBSubnetGroupName=name, DBSubnetGroupDescription="d", SubnetIds=subnets
    )
    rds.create_db_instance(
        DBInstanceIdentifier=name,
        Engine="mysql",
        DBInstanceClass="db.t3.micro",
        MasterUsername="admin",
        MasterUserPassword="password123",
        AllocatedStorage=20,
        DBSubnetGroupName=name,
        VpcSecurityGroupIds=[group],
    )
    return name


def _refused(code: str, call: Any, **params: Any) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        call(**params)
    assert error_code(refused) == code


def test_a_deleting_database_keeps_its_subnets_groups_and_subnet_group(emulators: Pair) -> None:
    """While a database is deleting, its subnets, group and subnet group cannot be deleted."""
    ec2, rds = client(emulators.on, "ec2"), client(emulators.on, "rds")
    _, subnets, group = _network(ec2, 91)
    name = _database(rds, subnets, group)
    rds.delete_db_instance(DBInstanceIdentifier=name, FinalDBSnapshotIdentifier=f"{name}-final")
    [database] = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"]
    assert database["DBInstanceStatus"] == "deleting"
    _refused("DependencyViolation", ec2.delete_subnet, SubnetId=subnets[0])
    _refused("DependencyViolation", ec2.delete_security_group, GroupId=group)
    _refused("InvalidDBSubnetGroupStateFault", rds.delete_db_subnet_group, DBSubnetGroupName=name)
    _refused("InvalidDBInstanceState", rds.delete_db_instance, DBInstanceIdentifier=name)
    emulators.clock.advance(DATABASE_DELAY)
    rds.get_waiter("db_instance_deleted").wait(DBInstanceIdentifier=name, WaiterConfig=FAST)
    assert rds.describe_db_snapshots(DBSnapshotIdentifier=f"{name}-final")["DBSnapshots"]
    rds.delete_db_subnet_group(DBSubnetGroupName=name)
    ec2.delete_security_group(GroupId=group)
    ec2.delete_subnet(SubnetId=subnets[0])


def test_a_refused_deletion_leaves_the_database_available(emulators: Pair) -> None:
    """Deleting a protected database fails, and the database stays available, not deleting."""
    ec2, rds = client(emulators.on, "ec2"), client(emulators.on, "rds")
    _, subnets, group = _network(ec2, 98)
    name = _database(rds, subnets, group)
    rds.modify_db_instance(DBInstanceIdentifier=name, DeletionProtection=True)
    _refused(
        "InvalidParameterCombination",
        rds.delete_db_instance,
        DBInstanceIdentifier=name,
        SkipFinalSnapshot=True,
    )
    [database] = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"]
    assert database["DBInstanceStatus"] == "available"


def test_without_it_a_database_is_gone_at_once(emulators: Pair) -> None:
    """Switched off, the emulator is moto: the database vanishes with its delete call."""
    ec2, rds = client(emulators.off, "ec2"), client(emulators.off, "rds")
    _, subnets, group = _network(ec2, 92)
    name = _database(rds, subnets, group)
    rds.delete_db_instance(DBInstanceIdentifier=name, SkipFinalSnapshot=True)
    _refused("DBInstanceNotFound", rds.describe_db_instances, DBInstanceIdentifier=name)
    rds.delete_db_subnet_group(DBSubnetGroupName=name)


def test_a_terminated_instances_interface_lingers(emulators: Pair) -> None:
    """A terminated instance is shutting-down a while and still holds its subnet and group."""
    ec2 = client(emulators.on, "ec2")
    _, subnets, group = _network(ec2, 93)
    [instance] = ec2.run_instances(
        ImageId=image(ec2), MinCount=1, MaxCount=1, SubnetId=subnets[0], SecurityGroupIds=[group]
    )["Instances"]
    ident = instance["InstanceId"]
    ec2.terminate_instances(InstanceIds=[ident])
    state = ec2.describe_instances(InstanceIds=[ident])["Reservations"][0]["Instances"][0]["State"]
    assert state["Name"] == "shutting-down"
    _refused("DependencyViolation", ec2.delete_subnet, SubnetId=subnets[0])
    _refused("DependencyViolation", ec2.delete_security_group, GroupId=group)
    emulators.clock.advance(INSTANCE_DELAY)
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[ident], WaiterConfig=FAST)
    ec2.delete_security_group(GroupId=group)
    ec2.delete_subnet(SubnetId=subnets[0])


def _nat(ec2: Any, second: int) -> tuple[str, str, str, str]:
    """A VPC with an attached internet gateway and a NAT gateway: (vpc, igw, nat, allocation)."""
    vpc, subnets, _ = _network(ec2, second)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnets[0], AllocationId=allocation)["NatGateway"]
    return vpc, igw, nat["NatGatewayId"], allocation


def test_a_deleting_nat_gateway_keeps_its_elastic_ip(emulators: Pair) -> None:
    """A NAT gateway is deleting a while; its Elastic IP cannot be released until it is deleted."""
    ec2 = client(emulators.on, "ec2")
    vpc, igw, nat, allocation = _nat(ec2, 94)
    ec2.delete_nat_gateway(NatGatewayId=nat)
    [gateway] = ec2.describe_nat_gateways(NatGatewayIds=[nat])["NatGateways"]
    assert gateway["State"] == "deleting"
    _refused("AuthFailure", ec2.release_address, AllocationId=allocation)
    emulators.clock.advance(NAT_DELAY)
    ec2.get_waiter("nat_gateway_deleted").wait(NatGatewayIds=[nat], WaiterConfig=FAST)
    ec2.release_address(AllocationId=allocation)
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)


def test_without_it_a_nat_gateway_is_deleted_at_once(emulators: Pair) -> None:
    """Switched off, the emulator is moto: deleted at once, its address released at once."""
    ec2 = client(emulators.off, "ec2")
    vpc, igw, nat, allocation = _nat(ec2, 96)
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    ec2.delete_nat_gateway(NatGatewayId=nat)
    [gateway] = ec2.describe_nat_gateways(NatGatewayIds=[nat])["NatGateways"]
    assert gateway["State"] == "deleted"
    ec2.release_address(AllocationId=allocation)


def test_a_stopped_instance_has_no_public_address(emulators: Pair) -> None:
    """A stopped instance loses its auto-assigned public IPv4 address and gets a new one on start
    (moto already does this; the layer keeps it so)."""
    ec2 = client(emulators.on, "ec2")
    _, subnets, _ = _network(ec2, 97)
    ec2.modify_subnet_attribute(SubnetId=subnets[0], MapPublicIpOnLaunch={"Value": True})
    [instance] = ec2.run_instances(ImageId=image(ec2), MinCount=1, MaxCount=1, SubnetId=subnets[0])[
        "Instances"
    ]
    ident = instance["InstanceId"]

    def public() -> str | None:
        found = ec2.describe_instances(InstanceIds=[ident])["Reservations"][0]["Instances"][0]
        return found.get("PublicIpAddress")

    assert public()
    ec2.stop_instances(InstanceIds=[ident])
    assert public() is None
    ec2.start_instances(InstanceIds=[ident])
    assert public()
