"""A security group rule naming a managed prefix list admits exactly the list's CIDRs: built
through the plain EC2 API in the emulator, read back by discovery, proved by `reach`."""

from __future__ import annotations

import json
import uuid

import boto3
import pytest

from awsarch.adapters.emulator import Emulator
from tests.adapters.aws import estate as estate_module
from tests.adapters.aws.estate import Estate
from tests.live.support import reach_json

REGION = "ap-southeast-2"


@pytest.fixture(scope="module")
def listed(emulator: Emulator) -> Estate:
    """The web group's 443 rule is replaced by one naming a prefix list of one office CIDR."""
    built = estate_module.build(emulator.endpoint_url, REGION, suffix=f"-{uuid.uuid4().hex[:6]}")
    ec2 = boto3.client("ec2", endpoint_url=emulator.endpoint_url, region_name=REGION)
    group = ec2.describe_security_groups(GroupIds=[built["sg/web"]])["SecurityGroups"][0]
    ec2.revoke_security_group_ingress(GroupId=built["sg/web"], IpPermissions=group["IpPermissions"])
    office = ec2.create_managed_prefix_list(
        PrefixListName=f"office-{uuid.uuid4().hex[:6]}",
        MaxEntries=5,
        AddressFamily="IPv4",
        Entries=[{"Cidr": "198.51.100.0/24", "Description": "office"}],
    )["PrefixList"]["PrefixListId"]
    built.ids["pl/office"] = office
    ec2.authorize_security_group_ingress(
        GroupId=built["sg/web"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "PrefixListIds": [{"PrefixListId": office}],
            }
        ],
    )
    return built


def test_the_internet_reaches_web_only_from_the_list_s_cidrs(
    emulator: Emulator, listed: Estate
) -> None:
    answer = reach_json(emulator, REGION, "internet", listed["instance/web-1"], 443)
    assert answer["verdict"] == "reachable", json.dumps(answer["paths"][0]["hops"], indent=1)
    assert answer["unknown_at"] == []
    reasons = [h["reason"] for p in answer["paths"] for h in p["hops"]]
    assert any(listed["pl/office"] in reason for reason in reasons)
