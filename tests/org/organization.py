"""An AWS Organization on the emulator, built through the plain APIs (never through awsarch):
member accounts made by Organizations, estates built in them as the assumed role, faults planted.
The bench (bench/org_bench.py) builds its larger organization with the same functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3

HOME = "123456789012"
"""The emulator's default account: the organization's management account, where awsarch runs."""
ROLE = "OrganizationAccountAccessRole"
NO_ROLE = "SomeOtherRole"
"""The role one member gets instead of OrganizationAccountAccessRole: awsarch cannot get in."""


@dataclass
class Org:
    endpoint: str
    members: list[str] = field(default_factory=list)
    without_role: str = ""
    ous: dict[str, str] = field(default_factory=dict)
    """OU name → id."""

    @property
    def accounts(self) -> list[str]:
        return sorted([HOME, *self.members])


def build_org(endpoint: str, members: int, *, without_role: int | None = None) -> Org:
    """An organization whose management account is HOME, with `members` created accounts; the
    one at index `without_role` is created with another role than OrganizationAccountAccessRole."""
    org = boto3.client("organizations", endpoint_url=endpoint, region_name="us-east-1")
    org.create_organization(FeatureSet="ALL")
    built = Org(endpoint=endpoint)
    for i in range(members):
        extra = {"RoleName": NO_ROLE} if i == without_role else {}
        status = org.create_account(
            AccountName=f"member-{i}", Email=f"member-{i}@example.com", **extra
        )["CreateAccountStatus"]
        built.members.append(status["AccountId"])
        if i == without_role:
            built.without_role = status["AccountId"]
    return built


def move_to_ou(org: Org, name: str, accounts: list[str]) -> str:
    """A new OU under the root holding `accounts`; returns its id."""
    client = boto3.client("organizations", endpoint_url=org.endpoint, region_name="us-east-1")
    root = client.list_roots()["Roots"][0]["Id"]
    ou = client.create_organizational_unit(ParentId=root, Name=name)["OrganizationalUnit"]["Id"]
    for account in accounts:
        client.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ou)
    org.ous[name] = ou
    return str(ou)


def client_in(endpoint: str, account: str, service: str, region: str) -> Any:
    """A client acting in `account` as the role Organizations created there."""
    sts = boto3.client("sts", endpoint_url=endpoint, region_name=region)
    got = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="builder")[
        "Credentials"
    ]
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=got["AccessKeyId"],
        aws_secret_access_key=got["SecretAccessKey"],
        aws_session_token=got["SessionToken"],
    )


def open_database(endpoint: str, account: str, region: str) -> str:
    """A VPC whose database's group admits 3306 from 0.0.0.0/0; returns the group's id."""
    ec2 = client_in(endpoint, account, "ec2", region)
    rds = client_in(endpoint, account, "rds", region)
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.1.{i}.0/24", AvailabilityZone=f"{region}{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in enumerate("ab")
    ]
    group = ec2.create_security_group(GroupName="db", Description="database", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 3306,
                "ToPort": 3306,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    rds.create_db_subnet_group(
        DBSubnetGroupName="db", DBSubnetGroupDescription="database", SubnetIds=subnets
    )
    rds.create_db_instance(
        DBInstanceIdentifier="orders",
        Engine="mysql",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="not-a-secret-1",
        DBSubnetGroupName="db",
        VpcSecurityGroupIds=[group],
        MultiAZ=True,
        StorageEncrypted=True,
        BackupRetentionPeriod=7,
        DeletionProtection=True,
    )
    return str(group)


def imdsv1_instance(endpoint: str, account: str, region: str) -> str:
    """An instance in a VPC of its own that still answers IMDSv1; returns its id."""
    ec2 = client_in(endpoint, account, "ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.0.0/24")["Subnet"]["SubnetId"]
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    return str(
        ec2.run_instances(
            ImageId=image,
            InstanceType="t3.micro",
            MinCount=1,
            MaxCount=1,
            SubnetId=subnet,
            MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "enabled"},
        )["Instances"][0]["InstanceId"]
    )


def console_user_without_mfa(endpoint: str, account: str) -> str:
    """An IAM user who signs in to the console without MFA (an account-wide, global fault)."""
    iam = client_in(endpoint, account, "iam", "us-east-1")
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Not-a-secret-123!")
    return "alice"
