"""The engine does what AWS documents, on the emulator with AWS's behaviours on.

Each test is named after the AWS behaviour it relies on; what was done is checked with plain boto3
describe calls.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tests.deploy.census import STACK, assert_converged, client, seed_names, take
from tests.deploy.conftest import awsarch


def _up(blueprint: str, endpoint: str) -> str:
    result = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 0, result.output
    return result.output


def _web_instances(endpoint: str) -> dict[str, dict[str, Any]]:
    """The stack's live web instances, by `awsarch:name`."""
    ec2 = client("ec2", endpoint)
    filters = [{"Name": "tag:awsarch:stack", "Values": [STACK]}]
    found = {}
    for reservation in ec2.describe_instances(Filters=filters)["Reservations"]:
        for instance in reservation["Instances"]:
            if instance["State"]["Name"] in ("shutting-down", "terminated"):
                continue
            tags = {t["Key"]: t["Value"] for t in instance.get("Tags", [])}
            found[tags["awsarch:name"]] = instance
    return found


def test_instance_type_changes_in_place_one_zone_at_a_time(endpoint: str, blueprint: str) -> None:
    """A new instance type is applied by stop, modify, start — same instances, same addresses —
    and never to both AZs at once, so some web server is always running."""
    _up(blueprint, endpoint)
    before = _web_instances(endpoint)
    Path(blueprint).write_text(
        Path(blueprint).read_text().replace("type: t3.micro", "type: t3.small")
    )
    running_counts: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            live = _web_instances(endpoint).values()
            running_counts.append(sum(1 for i in live if i["State"]["Name"] == "running"))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        output = _up(blueprint, endpoint)
    finally:
        stop.set()
        watcher.join()
    after = _web_instances(endpoint)
    assert "replace instance" not in output
    assert {n: i["InstanceId"] for n, i in after.items()} == {
        n: i["InstanceId"] for n, i in before.items()
    }
    assert {i["InstanceType"] for i in after.values()} == {"t3.small"}
    assert running_counts and min(running_counts) >= 1, running_counts
    lines = output.splitlines()
    first_done = next(i for i, line in enumerate(lines) if line.startswith("  ✓ update instance/"))
    second_start = [i for i, line in enumerate(lines) if line.startswith("  … update instance/")][1]
    assert first_done < second_start, output


def test_vpc_cidr_change_is_refused_before_any_action(endpoint: str, blueprint: str) -> None:
    """A VPC's CIDR cannot change in place: `up` refuses with the two ways out, and changes
    nothing."""
    _up(blueprint, endpoint)
    before = take(endpoint)
    Path(blueprint).write_text(Path(blueprint).read_text().replace("10.0.0.0/16", "10.1.0.0/16"))
    result = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 2, result.output
    assert "VPC's CIDR cannot change from 10.0.0.0/16 to 10.1.0.0/16" in result.output
    assert "another `stack:` name" in result.output
    assert take(endpoint) == before


def test_groups_that_name_each_other_are_deleted(endpoint: str, blueprint: str) -> None:
    """AWS refuses to delete a group another group's rule names: with a rule added by hand that
    makes web and the database's group name each other, `down` still removes both."""
    _up(blueprint, endpoint)
    ec2 = client("ec2", endpoint)
    groups = {
        t["Value"]: t["ResourceId"]
        for t in ec2.describe_tags(Filters=[{"Name": "key", "Values": ["awsarch:name"]}])["Tags"]
        if t["Value"].startswith("sg/")
    }
    ec2.authorize_security_group_ingress(
        GroupId=groups["sg/web"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8080,
                "ToPort": 8080,
                "UserIdGroupPairs": [{"GroupId": groups["sg/db-main"]}],
            }
        ],
    )
    result = awsarch("down", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 0, result.output
    assert not take(endpoint).names


def test_an_elastic_ip_left_by_an_interrupted_down_is_released(
    endpoint: str, blueprint: str
) -> None:
    """A NAT gateway keeps its Elastic IP until it is deleted; if `down` stopped between the two,
    the next `down` finds the address by its tag and releases it."""
    _up(blueprint, endpoint)
    ec2 = client("ec2", endpoint)
    nats = ec2.describe_nat_gateways(Filter=[{"Name": "tag:awsarch:stack", "Values": [STACK]}])
    ec2.delete_nat_gateway(NatGatewayId=nats["NatGateways"][0]["NatGatewayId"])
    result = awsarch("down", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 0, result.output
    assert "delete eip/nat-a" in result.output
    stack_filter = [{"Name": "tag:awsarch:stack", "Values": [STACK]}]
    assert ec2.describe_addresses(Filters=stack_filter)["Addresses"] == []


def test_a_full_engine_version_matches_the_major_version_asked_for(
    endpoint: str, blueprint: str
) -> None:
    """RDS reports `8.0.40` for a database created as `8.0`: that is no drift, and a second
    `up` has nothing to do."""
    _up(blueprint, endpoint)
    rds = client("rds", endpoint)
    live = rds.describe_db_instances(DBInstanceIdentifier=f"{STACK}-main")["DBInstances"][0]
    assert live["EngineVersion"].startswith("8.0.")
    assert "no changes" in _up(blueprint, endpoint)
    assert_converged(endpoint, seed_names())


def test_a_stopped_instance_without_its_public_ip_is_not_replaced(
    endpoint: str, blueprint: str
) -> None:
    """EC2 releases a stopped instance's public IP and gives it a new one on start: `up` does not
    read that as drift and does not replace the instance."""
    _up(blueprint, endpoint)
    ec2 = client("ec2", endpoint)
    web = _web_instances(endpoint)["instance/web-1"]["InstanceId"]
    ec2.stop_instances(InstanceIds=[web])
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[web], WaiterConfig={"Delay": 1})
    stopped = ec2.describe_instances(InstanceIds=[web])["Reservations"][0]["Instances"][0]
    assert not stopped.get("PublicIpAddress")
    result = awsarch("plan", blueprint, "--live", endpoint=endpoint)
    assert result.exit_code == 0, result.output
    assert "instance/web-1" not in result.output, result.output


def test_an_interface_attached_by_hand_is_not_drift(endpoint: str, blueprint: str) -> None:
    """A second network interface attached to a web server by hand (another subnet, another
    group, an Elastic IP) is the estate's, not the blueprint's: `plan --live` leaves the
    instance alone and a second `up` has nothing to do."""
    _up(blueprint, endpoint)
    ec2 = client("ec2", endpoint)
    web = _web_instances(endpoint)["instance/web-1"]
    stack = [{"Name": "tag:awsarch:stack", "Values": [STACK]}]
    subnets = ec2.describe_subnets(Filters=stack)["Subnets"]
    other = next(
        s["SubnetId"]
        for s in subnets
        if s["AvailabilityZone"] == web["Placement"]["AvailabilityZone"]
        and s["SubnetId"] != web["SubnetId"]
    )
    group = ec2.create_security_group(
        GroupName="by-hand", Description="by hand", VpcId=web["VpcId"]
    )["GroupId"]
    nic = ec2.create_network_interface(SubnetId=other, Groups=[group])["NetworkInterface"]
    ec2.attach_network_interface(
        NetworkInterfaceId=nic["NetworkInterfaceId"], InstanceId=web["InstanceId"], DeviceIndex=1
    )
    address = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=address, NetworkInterfaceId=nic["NetworkInterfaceId"])
    result = awsarch("plan", blueprint, "--live", endpoint=endpoint)
    assert result.exit_code == 0, result.output
    assert "instance/web-1" not in result.output, result.output
    assert "no changes" in _up(blueprint, endpoint)
