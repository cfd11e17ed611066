"""Planted faults: each one mistake made through the plain EC2/RDS APIs on the classic estate.

`tests/adapters/aws/estate.py` builds the sound estate (never through awsarch); each function
here then
breaks one thing the way a person at the console would, and records the new resources' ids.
"""

from __future__ import annotations

from typing import Any

from tests.adapters.aws.estate import Estate, spec, tags

WEB_SUBNETS = "10.0.0.0/23"
"""public-a (10.0.0.0/24) and public-b (10.0.1.0/24) of the estate: where the web servers run."""


def public_database(ec2: Any, rds: Any, e: Estate, *, suffix: str) -> None:
    """A second database in the public subnets, publicly accessible, open to 0.0.0.0/0 on 3306."""
    group = ec2.create_security_group(
        GroupName="demo-db-exposed",
        Description="database exposed",
        VpcId=e["vpc/main"],
        TagSpecifications=spec("security-group", "sg/db-exposed"),
    )["GroupId"]
    e.ids["sg/db-exposed"] = group
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
    name = f"demo-exposed{suffix}"
    rds.create_db_subnet_group(
        DBSubnetGroupName=name,
        DBSubnetGroupDescription="database exposed",
        SubnetIds=[e["subnet/public-a"], e["subnet/public-b"]],
    )
    rds.create_db_instance(
        DBInstanceIdentifier=name,
        Engine="mysql",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="admin",
        ManageMasterUserPassword=True,
        MultiAZ=True,
        DBSubnetGroupName=name,
        VpcSecurityGroupIds=[group],
        PubliclyAccessible=True,
        StorageEncrypted=True,
        DeletionProtection=True,
        BackupRetentionPeriod=7,
        Tags=tags("db/exposed"),
    )
    e.ids["db/exposed"] = name


def nat_in_private_subnet(ec2: Any, e: Estate) -> None:
    """A NAT gateway placed in a new subnet left on the VPC's main route table (local only),
    and a new private subnet, with an app instance, whose default route goes to that NAT.

    Both new subnets keep the VPC's default ACL (allow all): the NAT's route is the one fault.
    """
    vpc = e["vpc/main"]
    for name, cidr in (("subnet/egress-a", "10.0.6.0/24"), ("subnet/app-a", "10.0.4.0/24")):
        e.ids[name] = ec2.create_subnet(
            VpcId=vpc,
            CidrBlock=cidr,
            AvailabilityZone=f"{e.region}a",
            TagSpecifications=spec("subnet", name),
        )["Subnet"]["SubnetId"]
    main = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]
    e.ids["rtb/main"] = main["RouteTableId"]
    eip = ec2.allocate_address(Domain="vpc", TagSpecifications=spec("elastic-ip", "eip/nat-b"))
    e.ids["nat/b"] = ec2.create_nat_gateway(
        SubnetId=e["subnet/egress-a"],
        AllocationId=eip["AllocationId"],
        TagSpecifications=spec("natgateway", "nat/b"),
    )["NatGateway"]["NatGatewayId"]
    table = ec2.create_route_table(VpcId=vpc, TagSpecifications=spec("route-table", "rtb/app"))
    e.ids["rtb/app"] = table["RouteTable"]["RouteTableId"]
    ec2.create_route(
        RouteTableId=e["rtb/app"], DestinationCidrBlock="0.0.0.0/0", NatGatewayId=e["nat/b"]
    )
    ec2.associate_route_table(RouteTableId=e["rtb/app"], SubnetId=e["subnet/app-a"])
    e.ids["sg/app"] = ec2.create_security_group(
        GroupName="demo-app",
        Description="app servers",
        VpcId=vpc,
        TagSpecifications=spec("security-group", "sg/app"),
    )["GroupId"]
    e.ids["instance/app-1"] = _launch(ec2, e["subnet/app-a"], e["sg/app"], "instance/app-1")


def web_acl_without_return_ports(ec2: Any, e: Estate) -> None:
    """The web subnets get an ACL whose outbound entries mirror the inbound ones (80, 443) and
    forget the ephemeral ports the replies leave from."""
    acl = ec2.create_network_acl(
        VpcId=e["vpc/main"], TagSpecifications=spec("network-acl", "acl/web")
    )["NetworkAcl"]["NetworkAclId"]
    e.ids["acl/web"] = acl
    for egress in (False, True):
        for number, port in ((100, 80), (110, 443)):
            _acl_entry(ec2, acl, number, egress, (port, port), "0.0.0.0/0", "allow")
    _associate(ec2, acl, [e["subnet/public-a"], e["subnet/public-b"]])


def web_acl_with_part_of_the_return_ports(ec2: Any, e: Estate) -> None:
    """The web subnets' ACL admits 443 in, and replies out only to 32768-65535: an internet client
    may pick any port from 1024, so some of its connections never get an answer."""
    acl = ec2.create_network_acl(
        VpcId=e["vpc/main"], TagSpecifications=spec("network-acl", "acl/web")
    )["NetworkAcl"]["NetworkAclId"]
    e.ids["acl/web"] = acl
    _acl_entry(ec2, acl, 100, False, (443, 443), "0.0.0.0/0", "allow")
    _acl_entry(ec2, acl, 100, True, (32768, 65535), "0.0.0.0/0", "allow")
    _associate(ec2, acl, [e["subnet/public-a"], e["subnet/public-b"]])


def standby_subnet_blocked(ec2: Any, e: Estate) -> None:
    """private-b (the DB subnet group's second subnet) gets its own ACL: the private ACL's
    entries, plus a deny of 3306 from the web subnets numbered before the allow."""
    acl = ec2.create_network_acl(
        VpcId=e["vpc/main"], TagSpecifications=spec("network-acl", "acl/private-b")
    )["NetworkAcl"]["NetworkAclId"]
    e.ids["acl/private-b"] = acl
    _acl_entry(ec2, acl, 50, False, (3306, 3306), WEB_SUBNETS, "deny")
    _acl_entry(ec2, acl, 100, False, (3306, 3306), "10.0.0.0/16", "allow")
    _acl_entry(ec2, acl, 110, False, (1024, 65535), "0.0.0.0/0", "allow")
    _acl_entry(ec2, acl, 100, True, None, "0.0.0.0/0", "allow")
    _associate(ec2, acl, [e["subnet/private-b"]])


def _launch(ec2: Any, subnet: str, group: str, name: str) -> str:
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    reply = ec2.run_instances(
        ImageId=image,
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
        SubnetId=subnet,
        SecurityGroupIds=[group],
        TagSpecifications=spec("instance", name),
    )
    instance_id: str = reply["Instances"][0]["InstanceId"]
    return instance_id


def _acl_entry(
    ec2: Any,
    acl: str,
    number: int,
    egress: bool,
    ports: tuple[int, int] | None,
    cidr: str,
    action: str,
) -> None:
    extra = {"PortRange": {"From": ports[0], "To": ports[1]}} if ports else {}
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=number,
        Protocol="6" if ports else "-1",
        RuleAction=action,
        Egress=egress,
        CidrBlock=cidr,
        **extra,
    )


def _associate(ec2: Any, acl: str, subnets: list[str]) -> None:
    """Move each subnet from whatever ACL it has now to `acl`."""
    current = ec2.describe_network_acls(
        Filters=[{"Name": "association.subnet-id", "Values": subnets}]
    )["NetworkAcls"]
    for association in [a for c in current for a in c["Associations"]]:
        if association["SubnetId"] in subnets:
            ec2.replace_network_acl_association(
                AssociationId=association["NetworkAclAssociationId"], NetworkAclId=acl
            )
