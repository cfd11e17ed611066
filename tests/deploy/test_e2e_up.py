"""`awsarch up` on the emulator builds every resource of the seed blueprint, as described.

One `up` for the module; each test checks one part of what was built with plain boto3 describe
calls, so a bug shared by awsarch's writer and its reader cannot hide.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from awsarch.adapters.emulator import Emulator
from tests.deploy.census import STACK, assert_converged, client, tag_map, write_seed
from tests.deploy.conftest import awsarch

NAME_TAG = "awsarch:name"


@dataclass(frozen=True, kw_only=True)
class Built:
    endpoint: str
    output: str
    ids: dict[str, str]
    """awsarch:name → EC2 id of every tagged EC2 resource."""

    def ec2(self) -> Any:
        return client("ec2", self.endpoint)


@pytest.fixture(scope="module")
def built(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    emulator.reset()
    folder: Path = tmp_path_factory.mktemp("up")
    result = awsarch("up", str(write_seed(folder)), "--yes", endpoint=emulator.endpoint_url)
    assert result.exit_code == 0, result.output
    yield Built(endpoint=emulator.endpoint_url, output=result.output, ids=_ec2_ids(emulator))
    emulator.reset()


def _ec2_ids(emulator: Emulator) -> dict[str, str]:
    ec2 = client("ec2", emulator.endpoint_url)
    tags = ec2.describe_tags(Filters=[{"Name": "key", "Values": [NAME_TAG]}])["Tags"]
    return {t["Value"]: t["ResourceId"] for t in tags}


def _one(items: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(items) == 1, items
    return items[0]


def test_up_reports_success_and_the_live_proofs(built: Built) -> None:
    """`up` ends with the live audit: every intent holds and nothing drifted."""
    assert "7 of 7 intents hold" in built.output
    assert "0 drifted" in built.output


def test_exactly_one_of_every_resource(built: Built) -> None:
    """Every blueprint resource exists once, tagged with its logical name, and nothing else."""
    assert_converged(built.endpoint)


def test_vpc_cidr_and_dns(built: Built) -> None:
    """The VPC has the blueprint's CIDR, DNS support and DNS hostnames."""
    ec2 = built.ec2()
    vpc_id = built.ids["vpc/main"]
    assert _one(ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"])["CidrBlock"] == "10.0.0.0/16"
    for attribute in ("enableDnsHostnames", "enableDnsSupport"):
        described = ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute=attribute)
        assert described[attribute[0].upper() + attribute[1:]]["Value"] is True


def test_subnets_cidrs_and_azs(built: Built) -> None:
    """Four subnets: public and private in each of the region's first two AZs."""
    subnets = built.ec2().describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": [built.ids["vpc/main"]]}]
    )["Subnets"]
    seen = {
        tag_map(s["Tags"])[NAME_TAG]: (
            s["CidrBlock"],
            s["AvailabilityZone"],
            s["MapPublicIpOnLaunch"],
        )
        for s in subnets
    }
    assert seen == {
        "subnet/public-a": ("10.0.0.0/24", "ap-northeast-2a", True),
        "subnet/public-b": ("10.0.1.0/24", "ap-northeast-2b", True),
        "subnet/private-a": ("10.0.8.0/24", "ap-northeast-2a", False),
        "subnet/private-b": ("10.0.9.0/24", "ap-northeast-2b", False),
    }


def test_internet_gateway_attached(built: Built) -> None:
    """The internet gateway is attached to the stack's VPC."""
    igw = _one(
        built.ec2().describe_internet_gateways(InternetGatewayIds=[built.ids["igw/main"]])[
            "InternetGateways"
        ]
    )
    assert [(a["VpcId"], a["State"]) for a in igw["Attachments"]] == [
        (built.ids["vpc/main"], "available")
    ]


def test_nat_available_with_elastic_ip_in_public_a(built: Built) -> None:
    """The NAT gateway is available in public-a, with the stack's tagged Elastic IP."""
    ec2 = built.ec2()
    nat = _one(ec2.describe_nat_gateways(NatGatewayIds=[built.ids["nat/a"]])["NatGateways"])
    assert nat["State"] == "available"
    assert nat["SubnetId"] == built.ids["subnet/public-a"]
    address = _one(ec2.describe_addresses(AllocationIds=[built.ids["eip/nat-a"]])["Addresses"])
    assert [a["AllocationId"] for a in nat["NatGatewayAddresses"]] == [address["AllocationId"]]


def _routes(table: dict[str, Any]) -> dict[str, str]:
    return {
        r["DestinationCidrBlock"]: r.get("NatGatewayId") or r.get("GatewayId", "")
        for r in table["Routes"]
    }


def test_route_tables_associations_and_default_routes(built: Built) -> None:
    """Public subnets route 0.0.0.0/0 to the IGW, private ones to the NAT; main has no way out."""
    ids = built.ids
    tables = built.ec2().describe_route_tables(
        Filters=[{"Name": "vpc-id", "Values": [ids["vpc/main"]]}]
    )["RouteTables"]
    by_name = {tag_map(t.get("Tags"))[NAME_TAG]: t for t in tables}
    assert set(by_name) == {"rtb/main", "rtb/public", "rtb/private"}
    local = {"10.0.0.0/16": "local"}
    assert _routes(by_name["rtb/public"]) == {**local, "0.0.0.0/0": ids["igw/main"]}
    assert _routes(by_name["rtb/private"]) == {**local, "0.0.0.0/0": ids["nat/a"]}
    assert _routes(by_name["rtb/main"]) == local
    associated = {
        name: sorted(a["SubnetId"] for a in t["Associations"] if a.get("SubnetId"))
        for name, t in by_name.items()
    }
    assert associated == {
        "rtb/public": sorted([ids["subnet/public-a"], ids["subnet/public-b"]]),
        "rtb/private": sorted([ids["subnet/private-a"], ids["subnet/private-b"]]),
        "rtb/main": [],
    }
    assert any(a.get("Main") for a in by_name["rtb/main"]["Associations"])


def _group(built: Built, name: str) -> dict[str, Any]:
    groups = built.ec2().describe_security_groups(GroupIds=[built.ids[name]])["SecurityGroups"]
    return _one(groups)


def test_web_group_admits_80_and_443_from_anywhere(built: Built) -> None:
    """Group A (web) admits tcp 80 and 443 from 0.0.0.0/0, and nothing else."""
    ingress = _group(built, "sg/web")["IpPermissions"]
    seen = sorted(
        (p["IpProtocol"], p["FromPort"], p["ToPort"], r["CidrIp"])
        for p in ingress
        for r in p.get("IpRanges", [])
    )
    assert seen == [("tcp", 80, 80, "0.0.0.0/0"), ("tcp", 443, 443, "0.0.0.0/0")]
    assert all(not p.get("UserIdGroupPairs") for p in ingress)


def test_database_group_admits_3306_only_from_the_web_group_id(built: Built) -> None:
    """Group B (db-main) admits tcp 3306 from group A's id only: no CIDR, no other port."""
    ingress = _group(built, "sg/db-main")["IpPermissions"]
    permission = _one(ingress)
    assert (permission["IpProtocol"], permission["FromPort"], permission["ToPort"]) == (
        "tcp",
        3306,
        3306,
    )
    assert [p["GroupId"] for p in permission["UserIdGroupPairs"]] == [built.ids["sg/web"]]
    assert not permission.get("IpRanges") and not permission.get("Ipv6Ranges")


def test_default_group_has_no_rules(built: Built) -> None:
    """The VPC's default security group is emptied: no ingress, no egress."""
    group = _group(built, "sg/default")
    assert group["GroupName"] == "default"
    assert group["IpPermissions"] == [] and group["IpPermissionsEgress"] == []


def test_instances_spread_with_imdsv2_profile_and_encrypted_root(built: Built) -> None:
    """Web servers in both AZs, in group A, IMDSv2 required, the role's profile, encrypted root."""
    ec2 = built.ec2()
    ids = built.ids
    instances = [
        i
        for r in ec2.describe_instances(InstanceIds=[ids["instance/web-1"], ids["instance/web-2"]])[
            "Reservations"
        ]
        for i in r["Instances"]
    ]
    assert sorted(i["Placement"]["AvailabilityZone"] for i in instances) == [
        "ap-northeast-2a",
        "ap-northeast-2b",
    ]
    assert sorted(i["SubnetId"] for i in instances) == sorted(
        [ids["subnet/public-a"], ids["subnet/public-b"]]
    )
    for instance in instances:
        assert instance["State"]["Name"] == "running"
        interface = _one(instance["NetworkInterfaces"])  # the emulator leaves SecurityGroups empty
        assert [g["GroupId"] for g in interface["Groups"]] == [ids["sg/web"]]
        assert instance["MetadataOptions"]["HttpTokens"] == "required"
        assert instance["IamInstanceProfile"]["Arn"].endswith(f"/awsarch/{STACK}/{STACK}-web")
        volume_ids = [m["Ebs"]["VolumeId"] for m in instance["BlockDeviceMappings"]]
        volumes = ec2.describe_volumes(VolumeIds=volume_ids)["Volumes"]
        assert volumes and all(v["Encrypted"] for v in volumes)


def _database(built: Built) -> dict[str, Any]:
    rds = client("rds", built.endpoint)
    return _one(rds.describe_db_instances(DBInstanceIdentifier=f"{STACK}-main")["DBInstances"])


def test_role_has_ssm_core_and_reads_exactly_the_database_secret(built: Built) -> None:
    """The instance role: SSM core attached, and one inline policy on the DB's secret ARN only."""
    iam = client("iam", built.endpoint)
    role = f"{STACK}-web"
    attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AmazonSSMManagedInstanceCore"]
    names = iam.list_role_policies(RoleName=role)["PolicyNames"]
    document = iam.get_role_policy(RoleName=role, PolicyName=_one_name(names))["PolicyDocument"]
    if isinstance(document, str):
        document = json.loads(document)
    secret_arn = _database(built)["MasterUserSecret"]["SecretArn"]
    statement = _one(document["Statement"])
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == ["secretsmanager:GetSecretValue"]
    assert statement["Resource"] == [secret_arn]
    profile = iam.get_instance_profile(InstanceProfileName=role)["InstanceProfile"]
    assert [r["RoleName"] for r in profile["Roles"]] == [role]


def _one_name(names: list[str]) -> str:
    assert len(names) == 1, names
    return names[0]


def test_database_subnet_group_spans_the_private_subnets(built: Built) -> None:
    """The DB subnet group holds exactly the two private subnets, one per AZ."""
    database = _database(built)
    group = database["DBSubnetGroup"]
    assert group["VpcId"] == built.ids["vpc/main"]
    assert sorted(s["SubnetIdentifier"] for s in group["Subnets"]) == sorted(
        [built.ids["subnet/private-a"], built.ids["subnet/private-b"]]
    )


def test_database_is_multi_az_encrypted_protected_private(built: Built) -> None:
    """RDS: Multi-AZ, encrypted, deletion protection, 7 days of backups, not public, group B."""
    database = _database(built)
    assert database["Engine"] == "mysql"
    assert database["MultiAZ"] is True
    assert database["StorageEncrypted"] is True
    assert database["DeletionProtection"] is True
    assert database["BackupRetentionPeriod"] == 7
    assert database["PubliclyAccessible"] is False
    assert [g["VpcSecurityGroupId"] for g in database["VpcSecurityGroups"]] == [
        built.ids["sg/db-main"]
    ]


def test_database_master_password_is_a_managed_secret(built: Built) -> None:
    """The master password lives in Secrets Manager, managed by RDS; no password was sent."""
    secret_arn = _database(built)["MasterUserSecret"]["SecretArn"]
    secret = client("secretsmanager", built.endpoint).describe_secret(SecretId=secret_arn)
    assert secret["ARN"] == secret_arn
