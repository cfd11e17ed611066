"""A small classic estate, built through the plain EC2/IAM/RDS APIs (never through awsarch).

The tests and `record.py` build it on the emulator, then check that discover + ingest reads it back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import boto3

STACK = "demo"
VPC_CIDR = "10.0.0.0/16"
OPS = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["ssm:UpdateInstanceInformation"], "Resource": "*"}
    ],
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
READ_SECRET = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadDatabaseSecret",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": "arn:aws:secretsmanager:*:*:secret:rds!db-*",
        }
    ],
}


@dataclass
class Estate:
    """The AWS ids of what was built, by logical name (`subnet/public-a` → `subnet-…`)."""

    region: str
    ids: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.ids[name]


def tags(name: str, **extra: str) -> list[dict[str, str]]:
    pairs = {"awsarch:stack": STACK, "awsarch:name": name, **extra}
    return [{"Key": k, "Value": v} for k, v in pairs.items()]


def spec(kind: str, name: str, **extra: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": tags(name, **extra)}]


def clients(endpoint_url: str, region: str) -> dict[str, Any]:
    return {
        svc: boto3.client(svc, endpoint_url=endpoint_url, region_name=region)
        for svc in ("ec2", "iam", "rds")
    }


def build(endpoint_url: str, region: str, *, suffix: str = "") -> Estate:
    """Build the estate; `suffix` keeps IAM and RDS names unique when built more than once."""
    c = clients(endpoint_url, region)
    estate = Estate(region=region)
    _network(c["ec2"], estate)
    _routing(c["ec2"], estate)
    _groups(c["ec2"], estate)
    _acl(c["ec2"], estate)
    _iam(c["iam"], estate, suffix)
    _instances(c["ec2"], estate)
    _database(c["rds"], estate, suffix)
    return estate


def _network(ec2: Any, e: Estate) -> None:
    vpc = ec2.create_vpc(CidrBlock=VPC_CIDR, TagSpecifications=spec("vpc", "vpc/main"))["Vpc"]
    e.ids["vpc/main"] = vpc["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc["VpcId"], EnableDnsHostnames={"Value": True})
    for index, (tier, kind) in enumerate([("public", "public"), ("private", "private")]):
        for zone_index, zone in enumerate("ab"):
            name = f"subnet/{tier}-{zone}"
            subnet = ec2.create_subnet(
                VpcId=vpc["VpcId"],
                CidrBlock=f"10.0.{index * 2 + zone_index}.0/24",
                AvailabilityZone=f"{e.region}{zone}",
                TagSpecifications=spec(
                    "subnet", name, **{"awsarch:tier": tier, "awsarch:kind": kind}
                ),
            )["Subnet"]
            e.ids[name] = subnet["SubnetId"]
            if kind == "public":
                ec2.modify_subnet_attribute(
                    SubnetId=subnet["SubnetId"], MapPublicIpOnLaunch={"Value": True}
                )


def _routing(ec2: Any, e: Estate) -> None:
    vpc = e["vpc/main"]
    igw = ec2.create_internet_gateway(TagSpecifications=spec("internet-gateway", "igw/main"))
    e.ids["igw/main"] = igw["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=e["igw/main"], VpcId=vpc)
    eip = ec2.allocate_address(Domain="vpc", TagSpecifications=spec("elastic-ip", "eip/nat-a"))
    e.ids["eip/nat-a"] = eip["AllocationId"]
    nat = ec2.create_nat_gateway(
        SubnetId=e["subnet/public-a"],
        AllocationId=eip["AllocationId"],
        TagSpecifications=spec("natgateway", "nat/a"),
    )
    e.ids["nat/a"] = nat["NatGateway"]["NatGatewayId"]
    for tier, target in (
        ("public", {"GatewayId": e["igw/main"]}),
        ("private", {"NatGatewayId": e["nat/a"]}),
    ):
        table = ec2.create_route_table(
            VpcId=vpc, TagSpecifications=spec("route-table", f"rtb/{tier}")
        )
        table_id = table["RouteTable"]["RouteTableId"]
        e.ids[f"rtb/{tier}"] = table_id
        ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", **target)
        for zone in "ab":
            ec2.associate_route_table(RouteTableId=table_id, SubnetId=e[f"subnet/{tier}-{zone}"])


def _groups(ec2: Any, e: Estate) -> None:
    vpc = e["vpc/main"]
    web = ec2.create_security_group(
        GroupName="demo-web",
        Description="web servers",
        VpcId=vpc,
        TagSpecifications=spec("security-group", "sg/web"),
    )["GroupId"]
    db = ec2.create_security_group(
        GroupName="demo-db-main",
        Description="database main",
        VpcId=vpc,
        TagSpecifications=spec("security-group", "sg/db-main"),
    )["GroupId"]
    e.ids["sg/web"], e.ids["sg/db-main"] = web, db
    plist = ec2.create_managed_prefix_list(
        PrefixListName="office",
        AddressFamily="IPv4",
        MaxEntries=5,
        Entries=[{"Cidr": "198.51.100.0/24"}],
    )["PrefixList"]["PrefixListId"]
    e.ids["pl/office"] = plist
    ec2.authorize_security_group_ingress(
        GroupId=web,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "internet to web"}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "PrefixListIds": [{"PrefixListId": plist}],
            },
        ],
    )
    ec2.authorize_security_group_ingress(
        GroupId=db,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 3306,
                "ToPort": 3306,
                "UserIdGroupPairs": [{"GroupId": web, "Description": "web to main"}],
            },
        ],
    )


def _acl(ec2: Any, e: Estate) -> None:
    acl = ec2.create_network_acl(
        VpcId=e["vpc/main"], TagSpecifications=spec("network-acl", "acl/private")
    )["NetworkAcl"]["NetworkAclId"]
    e.ids["acl/private"] = acl
    entries = [
        (90, False, "6", (22, 22), "0.0.0.0/0", "deny"),
        (100, False, "6", (3306, 3306), VPC_CIDR, "allow"),
        (110, False, "17", (1024, 65535), "0.0.0.0/0", "allow"),
        (100, True, "-1", None, "0.0.0.0/0", "allow"),
    ]
    for number, egress, protocol, ports, cidr, action in entries:
        extra = {"PortRange": {"From": ports[0], "To": ports[1]}} if ports else {}
        ec2.create_network_acl_entry(
            NetworkAclId=acl,
            RuleNumber=number,
            Protocol=protocol,
            RuleAction=action,
            Egress=egress,
            CidrBlock=cidr,
            **extra,
        )
    current = ec2.describe_network_acls(
        Filters=[{"Name": "association.subnet-id", "Values": [e["subnet/private-a"]]}]
    )["NetworkAcls"]
    for association in current[0]["Associations"]:
        if association["SubnetId"] in (e["subnet/private-a"], e["subnet/private-b"]):
            ec2.replace_network_acl_association(
                AssociationId=association["NetworkAclAssociationId"], NetworkAclId=acl
            )


def _iam(iam: Any, e: Estate, suffix: str) -> None:
    name = f"demo-web{suffix}"
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))
    # The emulator does not load AWS managed policies by default: attach a customer managed one.
    managed = iam.create_policy(PolicyName=f"demo-ops{suffix}", PolicyDocument=json.dumps(OPS))
    e.ids["policy/ops"] = managed["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=name, PolicyArn=managed["Policy"]["Arn"])
    iam.put_role_policy(
        RoleName=name, PolicyName="read-database-secrets", PolicyDocument=json.dumps(READ_SECRET)
    )
    profile = iam.create_instance_profile(InstanceProfileName=name)["InstanceProfile"]
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name)
    e.ids["profile/web"] = profile["Arn"]
    e.ids["role/web"] = name


def _instances(ec2: Any, e: Estate) -> None:
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    for number, zone in ((1, "a"), (2, "b")):
        name = f"instance/web-{number}"
        reply = ec2.run_instances(
            ImageId=image,
            InstanceType="t3.micro",
            MinCount=1,
            MaxCount=1,
            SubnetId=e[f"subnet/public-{zone}"],
            SecurityGroupIds=[e["sg/web"]],
            IamInstanceProfile={"Arn": e["profile/web"]},
            MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
            UserData="#!/bin/sh\necho hello\n",
            TagSpecifications=spec("instance", name, **{"awsarch:group": "web"}),
        )
        e.ids[name] = reply["Instances"][0]["InstanceId"]


def _database(rds: Any, e: Estate, suffix: str) -> None:
    group = f"demo-main{suffix}"
    rds.create_db_subnet_group(
        DBSubnetGroupName=group,
        DBSubnetGroupDescription="database main",
        SubnetIds=[e["subnet/private-a"], e["subnet/private-b"]],
    )
    e.ids["dbsubnets/main"] = group
    identifier = f"demo-main{suffix}"
    rds.create_db_instance(
        DBInstanceIdentifier=identifier,
        Engine="mysql",
        EngineVersion="8.0.39",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="admin",
        ManageMasterUserPassword=True,
        MultiAZ=True,
        DBSubnetGroupName=group,
        VpcSecurityGroupIds=[e["sg/db-main"]],
        PubliclyAccessible=False,
        StorageEncrypted=True,
        DeletionProtection=True,
        BackupRetentionPeriod=7,
        Tags=tags("db/main"),
    )
    e.ids["db/main"] = identifier
