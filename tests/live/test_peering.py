"""Two VPCs of one account joined by a VPC peering connection, built through the plain EC2 API in
the emulator (never through awsarch), read back by discovery (no stack), proved by `reach`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from awsarch.adapters.aws.discover import discover
from awsarch.adapters.aws.ingest import ingest
from awsarch.adapters.aws.session import AwsSession
from awsarch.adapters.emulator import Emulator
from tests.live.support import reach_json

REGION = "ca-central-1"
PORT = 5432


def _vpc(ec2: Any, cidr: str, subnet_cidr: str) -> dict[str, str]:
    """A VPC, one subnet with its own route table, one group, one instance."""
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=subnet_cidr)["Subnet"]["SubnetId"]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    group = ec2.create_security_group(GroupName=f"app-{vpc}", Description="app", VpcId=vpc)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet, SecurityGroupIds=[group["GroupId"]]
    )["Instances"][0]["InstanceId"]
    return {"vpc": vpc, "cidr": cidr, "table": table, "group": group["GroupId"], "i": instance}


Build = Callable[[bool], dict[str, dict[str, str]]]


@pytest.fixture(scope="module")
def build(emulator: Emulator) -> Build:
    """Client VPC and server VPC, peered, routed both ways, the server's group admitting the
    client's group on 5432; accepted or left pending acceptance."""
    ec2 = boto3.client("ec2", endpoint_url=emulator.endpoint_url, region_name=REGION)
    count = iter(range(10, 250, 2))

    def make(accept: bool) -> dict[str, dict[str, str]]:
        n = next(count)
        client = _vpc(ec2, f"10.{n}.0.0/16", f"10.{n}.1.0/24")
        server = _vpc(ec2, f"10.{n + 1}.0.0/16", f"10.{n + 1}.1.0/24")
        pcx = ec2.create_vpc_peering_connection(VpcId=client["vpc"], PeerVpcId=server["vpc"])
        pcx_id = pcx["VpcPeeringConnection"]["VpcPeeringConnectionId"]
        for near, far in ((client, server), (server, client)):
            ec2.create_route(
                RouteTableId=near["table"],
                DestinationCidrBlock=far["cidr"],
                VpcPeeringConnectionId=pcx_id,
            )
        ec2.authorize_security_group_ingress(
            GroupId=server["group"],
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": PORT,
                    "ToPort": PORT,
                    "UserIdGroupPairs": [{"GroupId": client["group"]}],
                }
            ],
        )
        if accept:
            ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx_id)
        return {"client": client, "server": server, "pcx": {"id": pcx_id}}

    return make


def _hops(answer: dict[str, Any]) -> str:
    return json.dumps([p["hops"] for p in answer["paths"]], indent=1)


def test_reach_crosses_an_accepted_peering_on_its_port_only(
    emulator: Emulator, build: Build
) -> None:
    """Discovered with no stack, the client reaches the server's 5432 through the peering (the
    server's rule names the client's group, across the VPCs), and nothing on 22."""
    estate = build(True)
    client, server = estate["client"]["i"], estate["server"]["i"]
    answer = reach_json(emulator, REGION, client, server, PORT)
    assert answer["verdict"] == "reachable", _hops(answer)
    kinds = {(h["resource"], h["kind"]) for p in answer["paths"] for h in p["hops"]}
    assert (estate["pcx"]["id"], "vpc-peering") in kinds
    assert (estate["server"]["table"], "return-route") in kinds
    assert (estate["server"]["group"], "security-group-ingress") in kinds
    other = reach_json(emulator, REGION, client, server, 22)
    assert other["verdict"] == "unreachable"
    assert [b["kind"] for b in other["blocked_by"]] == ["security-group-ingress"]


def test_before_it_is_accepted_nothing_crosses(emulator: Emulator, build: Build) -> None:
    """A connection pending acceptance carries nothing: the path stops at it, saying so."""
    estate = build(False)
    answer = reach_json(emulator, REGION, estate["client"]["i"], estate["server"]["i"], PORT)
    assert answer["verdict"] == "unreachable", _hops(answer)
    (blocked,) = answer["blocked_by"]
    assert blocked["resource"] == estate["pcx"]["id"] and blocked["kind"] == "vpc-peering"
    assert "pending-acceptance" in blocked["reason"]


def test_discovery_reads_the_connection_and_its_routes(emulator: Emulator, build: Build) -> None:
    """The connection, its two VPCs and their CIDRs, and routes that name it, as read back."""
    estate = build(True)
    session = AwsSession(region=REGION, endpoint_url=emulator.endpoint_url)
    model = ingest(discover(session))
    peering = model.get(estate["pcx"]["id"])
    assert peering.active and peering.status == "active"
    assert (peering.requester_vpc_id, peering.accepter_vpc_id) == (
        estate["client"]["vpc"],
        estate["server"]["vpc"],
    )
    assert peering.requester_cidrs == (estate["client"]["cidr"],)
    assert peering.accepter_cidrs == (estate["server"]["cidr"],)
    routes = model.get(estate["client"]["table"]).routes
    assert any(r.target == "peering" and r.target_id == peering.id for r in routes)
