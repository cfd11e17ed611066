"""A 3-AZ blueprint with one NAT gateway per AZ, on the emulator with AWS's behaviours on.

Checked with plain boto3 describe calls: three NAT gateways, each AZ's private route table through
the NAT gateway of its own AZ, a second `up` with nothing to do, and nothing tagged after `down`
(EC2 and RDS by tag, the Resource Groups Tagging API, IAM by path). A NAT gateway of another stack
in the same region must not be adopted.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from awsarch.adapters.emulator import Emulator
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text
from tests.deploy.census import STACK, STACK_TAG, assert_converged, client, tag_map, take
from tests.deploy.conftest import awsarch

PER_AZ = (
    seed_text()
    .replace("azs: 2 ", "azs: 3 ")
    .replace("nat: single ", "nat: per-az ")
    .replace("count: 2 ", "count: 3 ")
)


def _expected() -> Counter[str]:
    architecture = expand(load_text(PER_AZ, file="per-az.yaml").blueprint)
    return Counter(r.id for r in architecture.resources())


def _foreign_nat(endpoint: str) -> str:
    """A NAT gateway of another stack in the region, in a VPC of its own."""
    ec2 = client("ec2", endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.0.0/24")["Subnet"]["SubnetId"]
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    tags = [{"ResourceType": "natgateway", "Tags": [{"Key": STACK_TAG, "Value": "other"}]}]
    nat = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=allocation, TagSpecifications=tags)
    return str(nat["NatGateway"]["NatGatewayId"])


def _live_nats(ec2: Any) -> dict[str, dict[str, Any]]:
    """This stack's NAT gateways that are not on their way out, by NAT id."""
    nats = ec2.describe_nat_gateways()["NatGateways"]
    return {
        n["NatGatewayId"]: n
        for n in nats
        if tag_map(n.get("Tags")).get(STACK_TAG) == STACK and n["State"] in ("pending", "available")
    }


def _az_of_subnet(ec2: Any) -> dict[str, str]:
    return {s["SubnetId"]: s["AvailabilityZone"] for s in ec2.describe_subnets()["Subnets"]}


def _assert_each_az_through_its_own_nat(ec2: Any) -> None:
    nats = _live_nats(ec2)
    assert len(nats) == 3, nats
    az = _az_of_subnet(ec2)
    nat_az = {nat_id: az[n["SubnetId"]] for nat_id, n in nats.items()}
    assert len(set(nat_az.values())) == 3, nat_az
    routed = 0
    stack = [{"Name": f"tag:{STACK_TAG}", "Values": [STACK]}]
    for table in ec2.describe_route_tables(Filters=stack)["RouteTables"]:
        default = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
        if not default or "NatGatewayId" not in default[0]:
            continue
        zones = {az[a["SubnetId"]] for a in table.get("Associations", []) if a.get("SubnetId")}
        assert zones == {nat_az[default[0]["NatGatewayId"]]}, (table["RouteTableId"], zones)
        routed += 1
    assert routed == 3


def _nothing_tagged(endpoint: str) -> None:
    census = take(endpoint)
    assert not census.names and not census.volumes, census
    tagging = client("resourcegroupstaggingapi", endpoint)
    found = tagging.get_resources(TagFilters=[{"Key": STACK_TAG, "Values": [STACK]}])
    arns = [m["ResourceARN"] for m in found["ResourceTagMappingList"]]
    assert [arn for arn in arns if not _on_its_way_out(endpoint, arn)] == []
    iam = client("iam", endpoint)
    assert iam.list_roles(PathPrefix=f"/awsarch/{STACK}/")["Roles"] == []
    profiles = iam.list_instance_profiles(PathPrefix=f"/awsarch/{STACK}/")["InstanceProfiles"]
    assert [p for p in profiles if p["Path"].startswith(f"/awsarch/{STACK}/")] == []


def _on_its_way_out(endpoint: str, arn: str) -> bool:
    """Terminated instances and deleted NAT gateways stay listed for a while on AWS too; the
    database's snapshots are kept on purpose (the data is never lost by default)."""
    if ":snapshot:" in arn:
        return True
    ec2 = client("ec2", endpoint)
    kind, _, resource_id = arn.rsplit(":", 1)[-1].partition("/")
    if kind == "instance":
        reservations = ec2.describe_instances(InstanceIds=[resource_id])["Reservations"]
        state = reservations[0]["Instances"][0]["State"]["Name"]
        return state in ("shutting-down", "terminated")
    if kind == "natgateway":
        nat = ec2.describe_nat_gateways(NatGatewayIds=[resource_id])["NatGateways"][0]
        return nat["State"] in ("deleting", "deleted")
    return False


def test_per_az_nat_gateways_up_twice_and_down(emulator: Emulator, tmp_path: Path) -> None:
    """Each AZ's private subnet goes out through the NAT gateway of its own AZ; a second `up`
    has nothing to do; `down` leaves nothing tagged; another stack's NAT is never touched."""
    emulator.reset()
    endpoint = emulator.endpoint_url
    foreign = _foreign_nat(endpoint)
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(PER_AZ)
    first = awsarch("up", str(blueprint), "--yes", endpoint=endpoint)
    assert first.exit_code == 0, first.output
    ec2 = client("ec2", endpoint)
    _assert_each_az_through_its_own_nat(ec2)
    assert_converged(endpoint, _expected())

    second = awsarch("up", str(blueprint), "--yes", endpoint=endpoint)
    assert second.exit_code == 0, second.output
    assert "no changes" in second.output

    down = awsarch("down", str(blueprint), "--yes", endpoint=endpoint)
    assert down.exit_code == 0, down.output
    _nothing_tagged(endpoint)
    other = ec2.describe_nat_gateways(NatGatewayIds=[foreign])["NatGateways"][0]
    assert other["State"] == "available"
    emulator.reset()
