"""Ingest (pure) from recorded discovery JSON, case by case: raw describe output → the model.

tests/adapters/aws/recorded/estate.json is recorded from the emulator by
tests/adapters/aws/record.py.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from awsarch.adapters.aws.ingest import ingest
from awsarch.adapters.aws.ingest_iam import statements
from awsarch.adapters.aws.ingest_security import acl_entry, sg_rules
from awsarch.adapters.aws.raw import name_of
from awsarch.model import Peer, PortRange, Statement

RECORDED = Path(__file__).parent / "recorded"


@pytest.fixture
def raw() -> dict[str, Any]:
    return copy.deepcopy(json.loads((RECORDED / "estate.json").read_text()))


@pytest.fixture
def ids() -> dict[str, str]:
    loaded: dict[str, str] = json.loads((RECORDED / "estate-ids.json").read_text())
    return loaded


def first(raw: dict[str, Any], key: str, field: str, value: str) -> dict[str, Any]:
    return next(item for item in raw["ec2"][key] if item[field] == value)


def test_recorded_estate_reads_back(raw: dict[str, Any], ids: dict[str, str]) -> None:
    """The recorded estate yields every resource it was built with, by logical id."""
    model = ingest(raw)
    assert (model.stack, model.region) == ("demo", "ap-northeast-2")
    assert len(model.subnets) == 4 and len(model.instances) == 2 and len(model.databases) == 1
    for logical, aws_id in ids.items():
        if logical.split("/")[0] in ("vpc", "subnet", "sg", "nat", "igw", "rtb", "acl", "instance"):
            assert model.logical_id(aws_id) == logical


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (
            [{"Key": "awsarch:name", "Value": "subnet/public-a"}, {"Key": "Name", "Value": "x"}],
            "public-a",
        ),
        ([{"Key": "Name", "Value": "legacy-web"}], "legacy-web"),
        ([], "subnet-123"),
        (None, "subnet-123"),
    ],
)
def test_names(tags: Any, expected: str) -> None:
    """Names come from awsarch:name (after the slash), else the Name tag, else the id."""
    assert name_of({"Tags": tags}, "subnet-123") == expected


def test_explicit_stack_wins_and_scopes_logical_ids(raw: dict[str, Any]) -> None:
    """An explicit stack names the model, and only that stack's tags count as ours."""
    model = ingest(raw, stack="other")
    assert model.stack == "other" and model.logical_ids == ()


def test_untagged_subnet_has_no_tier(raw: dict[str, Any], ids: dict[str, str]) -> None:
    """Without awsarch tags a subnet's tier and kind are unknown, never guessed."""
    subnet = first(raw, "Subnets", "SubnetId", ids["subnet/public-a"])
    subnet["Tags"] = [{"Key": "awsarch:kind", "Value": "bogus"}]
    found = ingest(raw).subnet(ids["subnet/public-a"])
    assert (found.name, found.tier, found.kind) == (ids["subnet/public-a"], "", "")


def test_nat_without_allocation_has_no_public_ip(raw: dict[str, Any], ids: dict[str, str]) -> None:
    """A NAT is public because of its Elastic IP allocation, not because it shows an address."""
    for address in raw["ec2"]["NatGateways"][0]["NatGatewayAddresses"]:
        del address["AllocationId"]
    (nat,) = ingest(raw).nat_gateways
    assert not nat.has_public_ip and nat.elastic_ip_id == ""


def test_deleted_nat_is_gone(raw: dict[str, Any]) -> None:
    """A deleted NAT gateway (still listed for a while) is not part of the architecture."""
    raw["ec2"]["NatGateways"][0]["State"] = "deleted"
    assert ingest(raw).nat_gateways == ()


def _instance(raw: dict[str, Any], instance_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        i
        for r in raw["ec2"]["Reservations"]
        for i in r["Instances"]
        if i["InstanceId"] == instance_id
    )
    return found


def _strip_public(item: dict[str, Any]) -> None:
    item.pop("PublicIpAddress", None)
    for interface in item["NetworkInterfaces"]:
        interface.pop("Association", None)


def test_instance_public_address(raw: dict[str, Any], ids: dict[str, str]) -> None:
    """No public IP and no association means private; an associated Elastic IP means public."""
    item = _instance(raw, ids["instance/web-1"])
    _strip_public(item)
    assert not ingest(raw).get(ids["instance/web-1"]).has_public_ip
    raw["ec2"]["Addresses"].append(
        {
            "AllocationId": "eipalloc-1",
            "AssociationId": "eipassoc-1",
            "InstanceId": ids["instance/web-1"],
            "PublicIp": "127.0.0.9",
        }
    )
    assert ingest(raw).get(ids["instance/web-1"]).has_public_ip


def _second_interface(ids: dict[str, str], **extra: Any) -> dict[str, Any]:
    """A raw interface attached at device index 1, in private-a with the database's group."""
    return {
        "Attachment": {"DeviceIndex": 1, "Status": "attached"},
        "Groups": [{"GroupId": ids["sg/db-main"], "GroupName": "demo-db-main"}],
        "Ipv6Addresses": [{"Ipv6Address": "2600:1f18::10"}],
        "NetworkInterfaceId": "eni-0second",
        "PrivateIpAddress": "10.0.8.20",
        "SubnetId": ids["subnet/private-a"],
        **extra,
    }


def test_each_interface_keeps_its_own_subnet_groups_and_addresses(
    raw: dict[str, Any], ids: dict[str, str]
) -> None:
    """The primary interface fills the instance's fields; a second interface is read on its
    own, and its groups are not merged onto the primary one."""
    item = _instance(raw, ids["instance/web-1"])
    item["NetworkInterfaces"].insert(0, _second_interface(ids))
    item["SecurityGroups"] = [{"GroupId": ids["sg/web"]}, {"GroupId": ids["sg/db-main"]}]
    web = ingest(raw).get(ids["instance/web-1"])
    assert web.subnet_id == ids["subnet/public-a"]
    assert web.security_group_ids == (ids["sg/web"],)
    assert web.has_public_ip and web.private_ip == "10.0.0.4"
    (nic,) = web.secondary_interfaces
    assert (nic.id, nic.subnet_id, nic.device_index) == ("eni-0second", ids["subnet/private-a"], 1)
    assert nic.security_group_ids == (ids["sg/db-main"],)
    assert (nic.private_ip, nic.ipv6_addresses) == ("10.0.8.20", ("2600:1f18::10",))
    assert not nic.has_public_ip


def test_an_elastic_ip_makes_only_its_own_interface_public(
    raw: dict[str, Any], ids: dict[str, str]
) -> None:
    """An Elastic IP associated with the second interface (DescribeAddresses names the instance
    too) makes that interface public, not the primary one."""
    item = _instance(raw, ids["instance/web-1"])
    _strip_public(item)
    item["NetworkInterfaces"].append(_second_interface(ids))
    raw["ec2"]["Addresses"].append(
        {
            "AllocationId": "eipalloc-2",
            "AssociationId": "eipassoc-2",
            "InstanceId": ids["instance/web-1"],
            "NetworkInterfaceId": "eni-0second",
            "PublicIp": "127.0.0.10",
        }
    )
    web = ingest(raw).get(ids["instance/web-1"])
    assert not web.has_public_ip
    assert web.secondary_interfaces[0].has_public_ip
    assert ids["instance/web-1"] in [m.id for m in ingest(raw).members_of(ids["sg/db-main"])]


def test_a_detached_interface_is_not_the_instance_s(
    raw: dict[str, Any], ids: dict[str, str]
) -> None:
    """An interface whose attachment is `detached` no longer carries the instance's traffic."""
    item = _instance(raw, ids["instance/web-1"])
    gone = _second_interface(ids, Attachment={"DeviceIndex": 1, "Status": "detached"})
    item["NetworkInterfaces"].append(gone)
    assert ingest(raw).get(ids["instance/web-1"]).secondary_interfaces == ()


def test_a_stopped_instance_with_two_interfaces_gets_no_public_ip_on_start(
    raw: dict[str, Any], ids: dict[str, str]
) -> None:
    """EC2 assigns no new public IPv4 address on start to an instance with more than one
    network interface: stopped, it is read as private."""
    item = _instance(raw, ids["instance/web-1"])
    item["State"] = {"Code": 80, "Name": "stopped"}
    _strip_public(item)
    assert ingest(raw).get(ids["instance/web-1"]).has_public_ip
    item["NetworkInterfaces"].append(_second_interface(ids))
    assert not ingest(raw).get(ids["instance/web-1"]).has_public_ip


def test_terminated_instances_are_gone(raw: dict[str, Any], ids: dict[str, str]) -> None:
    """Terminated instances are not members of any group any more."""
    _instance(raw, ids["instance/web-1"])["State"] = {"Code": 48, "Name": "terminated"}
    assert [i.id for i in ingest(raw).instances] == [ids["instance/web-2"]]


def test_root_volume_encryption(raw: dict[str, Any], ids: dict[str, str]) -> None:
    """The root volume's encryption comes from the volume behind the root device."""
    item = _instance(raw, ids["instance/web-2"])
    volume = item["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    assert not ingest(raw).get(ids["instance/web-2"]).root_volume_encrypted
    next(v for v in raw["ec2"]["Volumes"] if v["VolumeId"] == volume)["Encrypted"] = True
    assert ingest(raw).get(ids["instance/web-2"]).root_volume_encrypted


def test_routes(raw: dict[str, Any], ids: dict[str, str]) -> None:
    """Routes map to local / internet gateway / egress-only gateway / NAT / peering / blackhole /
    other by their target."""
    table = first(raw, "RouteTables", "RouteTableId", ids["rtb/private"])
    table["Routes"] += [
        {
            "DestinationCidrBlock": "172.16.0.0/12",
            "VpcPeeringConnectionId": "pcx-1",
            "State": "active",
        },
        {
            "DestinationCidrBlock": "192.168.0.0/16",
            "NatGatewayId": "nat-gone",
            "State": "blackhole",
        },
        {
            "DestinationIpv6CidrBlock": "::/0",
            "EgressOnlyInternetGatewayId": "eigw-1",
            "State": "active",
        },
    ]
    routes = ingest(raw).get(ids["rtb/private"]).routes
    assert [(r.destination, r.target, r.target_id) for r in routes] == [
        ("10.0.0.0/16", "local", ""),
        ("0.0.0.0/0", "nat-gateway", ids["nat/a"]),
        ("172.16.0.0/12", "peering", "pcx-1"),
        ("192.168.0.0/16", "blackhole", "nat-gone"),
        ("::/0", "egress-only-gateway", "eigw-1"),
    ]


def test_main_route_table_serves_unassociated_subnets(
    raw: dict[str, Any], ids: dict[str, str]
) -> None:
    """A subnet without an explicit association uses the VPC's main table (AWS's rule)."""
    table = first(raw, "RouteTables", "RouteTableId", ids["rtb/public"])
    table["Associations"] = [
        a for a in table["Associations"] if a.get("SubnetId") != ids["subnet/public-b"]
    ]
    model = ingest(raw)
    chosen = model.route_table_of(ids["subnet/public-b"])
    assert chosen is not None and chosen.is_main
    assert not model.routes_to_internet_gateway(ids["subnet/public-b"])


def test_detached_internet_gateway(raw: dict[str, Any], ids: dict[str, str]) -> None:
    """A detached internet gateway leads nowhere: public subnets lose their way out."""
    raw["ec2"]["InternetGateways"][0]["Attachments"] = []
    model = ingest(raw)
    assert model.internet_gateways[0].vpc_id == ""
    assert not model.routes_to_internet_gateway(ids["subnet/public-a"])


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            {
                "RuleNumber": 100,
                "Protocol": "-1",
                "RuleAction": "allow",
                "Egress": False,
                "CidrBlock": "0.0.0.0/0",
            },
            ("all", PortRange.every(), True),
        ),
        (
            {
                "RuleNumber": 100,
                "Protocol": "6",
                "RuleAction": "deny",
                "Egress": True,
                "CidrBlock": "10.0.0.0/8",
                "PortRange": {"From": 22, "To": 22},
            },
            ("tcp", PortRange.single(22), False),
        ),
        (
            {
                "RuleNumber": 120,
                "Protocol": "17",
                "RuleAction": "allow",
                "Egress": False,
                "Ipv6CidrBlock": "::/0",
                "PortRange": {"From": 1024, "To": 65535},
            },
            ("udp", PortRange(first=1024, last=65535), True),
        ),
        (
            {
                "RuleNumber": 130,
                "Protocol": "1",
                "RuleAction": "allow",
                "Egress": False,
                "CidrBlock": "0.0.0.0/0",
                "IcmpTypeCode": {"Type": -1, "Code": -1},
            },
            ("icmp", PortRange.every(), True),
        ),
        (
            {
                "RuleNumber": 140,
                "Protocol": "1",
                "RuleAction": "deny",
                "Egress": False,
                "CidrBlock": "0.0.0.0/0",
                "IcmpTypeCode": {"Type": 3, "Code": 4},
            },
            ("icmp", PortRange.icmp(3, 4), False),
        ),
    ],
)
def test_acl_entries(entry: dict[str, Any], expected: tuple[Any, ...]) -> None:
    """ACL protocol numbers become tcp/udp/icmp/all with their port ranges."""
    found = acl_entry(entry)
    assert found is not None
    assert (found.protocol, found.ports, found.allow) == expected
    assert found.cidr == entry.get("CidrBlock", entry.get("Ipv6CidrBlock"))


def test_acl_default_deny_and_other_protocols_are_left_out() -> None:
    """The `*` entry (rule 32767) is the model's implicit deny; GRE can match no tcp/udp flow."""
    star = {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0"}
    gre = {"RuleNumber": 50, "Protocol": "47", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}
    assert acl_entry(star) is None and acl_entry(gre) is None


def test_default_acl_lists_no_star_entries(raw: dict[str, Any], ids: dict[str, str]) -> None:
    """The default ACL reads the same whether or not the `*` entries are listed."""
    model = ingest(raw)
    default = model.network_acl_of(ids["subnet/public-a"])
    assert default is not None and default.is_default
    assert [(e.rule_number, e.egress, e.allow) for e in default.entries] == [
        (100, False, True),
        (100, True, True),
    ]


def test_security_group_peers() -> None:
    """Each peer of a permission is its own rule: CIDR, IPv6 CIDR, group and prefix list."""
    permission = {
        "IpProtocol": "tcp",
        "FromPort": 443,
        "ToPort": 443,
        "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "web"}],
        "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
        "UserIdGroupPairs": [{"GroupId": "sg-1", "UserId": "123"}],
        "PrefixListIds": [{"PrefixListId": "pl-1"}],
    }
    rules = sg_rules([permission])
    assert [r.peer for r in rules] == [
        Peer.cidr("0.0.0.0/0"),
        Peer.cidr("::/0"),
        Peer.group("sg-1"),
        Peer(kind="prefix-list", value="pl-1"),
    ]
    assert {r.ports for r in rules} == {PortRange.single(443)}
    assert rules[0].description == "web"


def test_security_group_protocols() -> None:
    """-1 is every protocol and port; an ICMP rule keeps its type (FromPort) and code (ToPort,
    -1: any); numeric protocols are understood."""
    rules = sg_rules(
        [
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
            {
                "IpProtocol": "icmp",
                "FromPort": 8,
                "ToPort": -1,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            },
            {
                "IpProtocol": "17",
                "FromPort": 53,
                "ToPort": 53,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            },
            {"IpProtocol": "50", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ]
    )
    assert [(r.protocol, r.ports) for r in rules] == [
        ("all", PortRange.every()),
        ("icmp", PortRange.icmp(8)),
        ("udp", PortRange.single(53)),
    ]


def test_database_fields(raw: dict[str, Any], ids: dict[str, str]) -> None:
    """Port, subnet group, groups and flags come from the DB instance's own description."""
    item = raw["rds"]["DBInstances"][0]
    item.update(MultiAZ=False, PubliclyAccessible=True, DeletionProtection=False)
    del item["MasterUserSecret"]
    item["Endpoint"]["Port"] = 3307
    (db,) = ingest(raw).databases
    assert (db.multi_az, db.publicly_accessible, db.deletion_protection) == (False, True, False)
    assert not db.manage_master_password and db.master_secret_arn == ""
    assert db.port == 3307 and db.id == ids["db/main"]
    assert db.subnet_group_id.endswith(":subgrp:" + ids["dbsubnets/main"])


def test_databases_outside_the_vpc_are_left_out(raw: dict[str, Any]) -> None:
    """Discovery of one VPC keeps only databases whose subnet group lives in it."""
    raw["rds"]["DBInstances"][0]["DBSubnetGroup"]["VpcId"] = "vpc-elsewhere"
    model = ingest(raw)
    assert model.databases == () and model.db_subnet_groups == ()


def test_role_policies(raw: dict[str, Any], ids: dict[str, str]) -> None:
    """The instance role keeps its managed policy ARNs and inline statements."""
    (role,) = ingest(raw).roles
    assert [(p.name, p.arn) for p in role.policies if p.arn] == [("demo-ops", ids["policy/ops"])]
    inline = next(p for p in role.policies if not p.arn)
    assert inline.statements == (
        Statement(
            effect="Allow",
            actions=("secretsmanager:GetSecretValue",),
            resources=("arn:aws:secretsmanager:*:*:secret:rds!db-*",),
            sid="ReadDatabaseSecret",
        ),
    )


def test_unused_profiles_are_left_out(raw: dict[str, Any]) -> None:
    """Only instance profiles that some instance uses (and their roles) enter the model."""
    for reservation in raw["ec2"]["Reservations"]:
        for item in reservation["Instances"]:
            item.pop("IamInstanceProfile")
    model = ingest(raw)
    assert model.instance_profiles == () and model.roles == ()


def test_negated_statements_are_read_conservatively() -> None:
    """Allow + NotAction is widened to every action; Deny + NotAction is not counted on."""
    document = {
        "Statement": [
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
            {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"},
            {"Effect": "Deny", "Action": ["ec2:*"], "Resource": ["arn:a", "arn:b"]},
        ]
    }
    assert statements(document) == (
        Statement(effect="Allow", actions=("*",), resources=("*",)),
        Statement(effect="Deny", actions=("ec2:*",), resources=("arn:a", "arn:b")),
    )


def _peering(pcx: str, code: str, requester: dict[str, Any], accepter: dict[str, Any]) -> Any:
    """A DescribeVpcPeeringConnections item as AWS documents it."""
    return {
        "VpcPeeringConnectionId": pcx,
        "Status": {"Code": code, "Message": code},
        "RequesterVpcInfo": requester,
        "AccepterVpcInfo": accepter,
        "Tags": [{"Key": "Name", "Value": f"name-{pcx}"}],
    }


def test_vpc_peerings(raw: dict[str, Any], ids: dict[str, str]) -> None:
    """A peering is active only in status `active`; it carries each side's CIDR block set and
    IPv6 blocks (CidrBlock alone when there is no set); a VPC scope keeps those touching it."""
    main = ids["vpc/main"]
    raw["vpc_id"] = ""
    raw["ec2"]["VpcPeeringConnections"] = [
        _peering(
            "pcx-2",
            "pending-acceptance",
            {"VpcId": "vpc-far", "CidrBlock": "10.9.0.0/16"},
            {"VpcId": "vpc-other", "CidrBlock": "10.8.0.0/16"},
        ),
        _peering(
            "pcx-1",
            "active",
            {
                "VpcId": main,
                "CidrBlock": "10.0.0.0/16",
                "CidrBlockSet": [{"CidrBlock": "10.0.0.0/16"}, {"CidrBlock": "100.64.0.0/16"}],
                "Ipv6CidrBlockSet": [{"Ipv6CidrBlock": "2600:1f18:1::/56"}],
            },
            {"VpcId": "vpc-peer", "CidrBlock": "10.1.0.0/16"},
        ),
    ]
    one, two = ingest(raw).vpc_peerings
    assert (one.id, one.name, one.active, one.status) == ("pcx-1", "name-pcx-1", True, "active")
    assert (one.requester_vpc_id, one.accepter_vpc_id) == (main, "vpc-peer")
    assert one.requester_cidrs == ("10.0.0.0/16", "100.64.0.0/16", "2600:1f18:1::/56")
    assert one.accepter_cidrs == ("10.1.0.0/16",)
    assert not two.active and two.status == "pending-acceptance"
    raw["vpc_id"] = main
    assert [p.id for p in ingest(raw).vpc_peerings] == ["pcx-1"]
