"""Create an expanded blueprint's model in the emulator through plain boto3 calls, never awsarch.

It walks `Architecture.resources()` (dependency order) and makes each resource the way a person
following the blueprint by hand would, tagged as awsarch tags what it owns (`awsarch:stack`,
`awsarch:name` = the logical id) and with IAM under the path `/awsarch/<stack>/`. What a VPC
brings with it (main route table, default ACL, default group) is adopted and converged. The role's
inline policies go last: one names the database's secret, which exists only once RDS made it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.exceptions import ClientError

from awsarch.model import (
    AclEntry,
    Architecture,
    Database,
    DbSubnetGroup,
    ElasticIp,
    Instance,
    InstanceProfile,
    InternetGateway,
    NatGateway,
    NetworkAcl,
    Role,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Vpc,
)

SECRET_OF = "secret-of:"
PROTOCOLS = {"tcp": "6", "udp": "17", "icmp": "1", "all": "-1"}


@dataclass
class Creator:
    """Plain clients, the stack, and the AWS id of every logical id created so far."""

    arch: Architecture
    endpoint_url: str
    ids: dict[str, str] = field(default_factory=dict)
    clients: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        if service not in self.clients:
            self.clients[service] = boto3.client(
                service, endpoint_url=self.endpoint_url, region_name=self.arch.region
            )
        return self.clients[service]

    def tags(self, logical: str, **extra: str) -> list[dict[str, str]]:
        name = f"{self.arch.stack}-{logical.split('/', 1)[1]}"
        pairs = {"awsarch:stack": self.arch.stack, "awsarch:name": logical, "Name": name, **extra}
        return [{"Key": k, "Value": v} for k, v in pairs.items()]

    def spec(self, kind: str, logical: str, **extra: str) -> list[dict[str, Any]]:
        return [{"ResourceType": kind, "Tags": self.tags(logical, **extra)}]

    def aws(self, logical: str) -> str:
        return self.ids[logical]

    @property
    def iam_path(self) -> str:
        return f"/awsarch/{self.arch.stack}/"


def create(arch: Architecture, endpoint_url: str) -> dict[str, str]:
    """Create every resource of `arch`; returns logical id → AWS id."""
    creator = Creator(arch=arch, endpoint_url=endpoint_url)
    for resource in arch.resources():
        MAKERS[type(resource)](creator, resource)
    for role in arch.roles:
        _inline_policies(creator, role)
    return creator.ids


# ---- network --------------------------------------------------------------------------------
def _vpc(c: Creator, vpc: Vpc) -> None:
    ec2 = c.client("ec2")
    made = ec2.create_vpc(CidrBlock=vpc.cidr, TagSpecifications=c.spec("vpc", vpc.id))["Vpc"]
    c.ids[vpc.id] = made["VpcId"]
    ec2.modify_vpc_attribute(VpcId=made["VpcId"], EnableDnsSupport={"Value": vpc.dns_support})
    ec2.modify_vpc_attribute(VpcId=made["VpcId"], EnableDnsHostnames={"Value": vpc.dns_hostnames})


def _internet_gateway(c: Creator, igw: InternetGateway) -> None:
    ec2 = c.client("ec2")
    spec = c.spec("internet-gateway", igw.id)
    made = ec2.create_internet_gateway(TagSpecifications=spec)["InternetGateway"]
    c.ids[igw.id] = made["InternetGatewayId"]
    if igw.vpc_id:
        ec2.attach_internet_gateway(InternetGatewayId=c.aws(igw.id), VpcId=c.aws(igw.vpc_id))


def _subnet(c: Creator, subnet: Subnet) -> None:
    ec2 = c.client("ec2")
    labels = {"awsarch:tier": subnet.tier, "awsarch:kind": subnet.kind}
    made = ec2.create_subnet(
        VpcId=c.aws(subnet.vpc_id),
        CidrBlock=subnet.cidr,
        AvailabilityZone=subnet.az,
        TagSpecifications=c.spec("subnet", subnet.id, **labels),
    )["Subnet"]
    c.ids[subnet.id] = made["SubnetId"]
    ec2.modify_subnet_attribute(
        SubnetId=made["SubnetId"], MapPublicIpOnLaunch={"Value": subnet.map_public_ip}
    )


def _route_table(c: Creator, table: RouteTable) -> None:
    ec2 = c.client("ec2")
    if table.is_main:
        table_id = _vpc_own(ec2, "describe_route_tables", "RouteTables", c.aws(table.vpc_id))
        ec2.create_tags(Resources=[table_id], Tags=c.tags(table.id))
    else:
        spec = c.spec("route-table", table.id)
        made = ec2.create_route_table(VpcId=c.aws(table.vpc_id), TagSpecifications=spec)
        table_id = made["RouteTable"]["RouteTableId"]
        for subnet in table.subnet_ids:
            ec2.associate_route_table(RouteTableId=table_id, SubnetId=c.aws(subnet))
    c.ids[table.id] = table_id
    if not any(r.target == "nat-gateway" for r in table.routes):
        _routes(c, table)  # routes to a NAT gateway wait for it (see _nat_gateway)


def _routes(c: Creator, table: RouteTable) -> None:
    """Routes go in once their targets exist (a NAT gateway comes after the tables)."""
    for route in table.routes:
        if route.target == "local":
            continue
        key = "NatGatewayId" if route.target == "nat-gateway" else "GatewayId"
        c.client("ec2").create_route(
            RouteTableId=c.aws(table.id),
            DestinationCidrBlock=route.destination,
            **{key: c.aws(route.target_id)},
        )


def _elastic_ip(c: Creator, eip: ElasticIp) -> None:
    spec = c.spec("elastic-ip", eip.id)
    c.ids[eip.id] = c.client("ec2").allocate_address(Domain="vpc", TagSpecifications=spec)[
        "AllocationId"
    ]


def _nat_gateway(c: Creator, nat: NatGateway) -> None:
    ec2 = c.client("ec2")
    made = ec2.create_nat_gateway(
        SubnetId=c.aws(nat.subnet_id),
        AllocationId=c.aws(nat.elastic_ip_id),
        TagSpecifications=c.spec("natgateway", nat.id),
    )["NatGateway"]
    c.ids[nat.id] = made["NatGatewayId"]
    for table in c.arch.route_tables:
        if any(r.target_id == nat.id for r in table.routes):
            _routes(c, table)


def _network_acl(c: Creator, acl: NetworkAcl) -> None:
    """Only the VPC's default ACL is in a blueprint: adopt it, then converge its entries."""
    assert acl.is_default, "the creator only knows the default ACL"
    ec2 = c.client("ec2")
    acl_id = _vpc_own(ec2, "describe_network_acls", "NetworkAcls", c.aws(acl.vpc_id))
    ec2.create_tags(Resources=[acl_id], Tags=c.tags(acl.id))
    c.ids[acl.id] = acl_id
    live = ec2.describe_network_acls(NetworkAclIds=[acl_id])["NetworkAcls"][0]["Entries"]
    present = {(e["RuleNumber"], e["Egress"]) for e in live if e["RuleNumber"] < 32767}
    wanted = {(e.rule_number, e.egress): e for e in acl.entries}
    for key, entry in wanted.items():
        verb = "replace" if key in present else "create"
        getattr(ec2, f"{verb}_network_acl_entry")(NetworkAclId=acl_id, **_acl_entry(entry))
    for number, egress in present - wanted.keys():
        ec2.delete_network_acl_entry(NetworkAclId=acl_id, RuleNumber=number, Egress=egress)


def _acl_entry(entry: AclEntry) -> dict[str, Any]:
    params: dict[str, Any] = {
        "RuleNumber": entry.rule_number,
        "Egress": entry.egress,
        "Protocol": PROTOCOLS[entry.protocol],
        "RuleAction": "allow" if entry.allow else "deny",
        "CidrBlock": entry.cidr,
    }
    if entry.protocol in ("tcp", "udp"):
        params["PortRange"] = {"From": entry.ports.first, "To": entry.ports.last}
    return params


def _vpc_own(ec2: Any, operation: str, key: str, vpc_id: str) -> str:
    """The main route table or the default ACL a new VPC comes with."""
    flag = "association.main" if key == "RouteTables" else "default"
    filters = [{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": flag, "Values": ["true"]}]
    found = getattr(ec2, operation)(Filters=filters)[key][0]
    return str(found["RouteTableId" if key == "RouteTables" else "NetworkAclId"])


# ---- security groups ------------------------------------------------------------------------
def _security_group(c: Creator, group: SecurityGroup) -> None:
    ec2 = c.client("ec2")
    vpc = c.aws(group.vpc_id)
    if group.is_default:
        filters = [
            {"Name": "vpc-id", "Values": [vpc]},
            {"Name": "group-name", "Values": ["default"]},
        ]
        group_id = ec2.describe_security_groups(Filters=filters)["SecurityGroups"][0]["GroupId"]
        ec2.create_tags(Resources=[group_id], Tags=c.tags(group.id))
    else:
        group_id = ec2.create_security_group(
            GroupName=f"{c.arch.stack}-{group.name}",
            Description=group.description or group.name,
            VpcId=vpc,
            TagSpecifications=c.spec("security-group", group.id),
        )["GroupId"]
    c.ids[group.id] = group_id
    _replace_rules(c, group_id, "ingress", group.ingress)
    _replace_rules(c, group_id, "egress", group.egress)


def _replace_rules(
    c: Creator, group_id: str, direction: str, rules: tuple[SecurityGroupRule, ...]
) -> None:
    """Revoke what AWS put there (egress to all, the default group's self rule), then
    authorize the blueprint's rules."""
    ec2 = c.client("ec2")
    described = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    current = described["IpPermissions" if direction == "ingress" else "IpPermissionsEgress"]
    if current:
        getattr(ec2, f"revoke_security_group_{direction}")(GroupId=group_id, IpPermissions=current)
    if rules:
        permissions = [_permission(c, r) for r in rules]
        getattr(ec2, f"authorize_security_group_{direction}")(
            GroupId=group_id, IpPermissions=permissions
        )


def _permission(c: Creator, rule: SecurityGroupRule) -> dict[str, Any]:
    permission: dict[str, Any] = {"IpProtocol": PROTOCOLS[rule.protocol]}
    if rule.protocol != "all":
        permission.update(FromPort=rule.ports.first, ToPort=rule.ports.last)
    described = {"Description": rule.description} if rule.description else {}
    if rule.peer.kind == "group":
        permission["UserIdGroupPairs"] = [{"GroupId": c.aws(rule.peer.value), **described}]
    elif rule.peer.kind == "prefix-list":
        permission["PrefixListIds"] = [{"PrefixListId": rule.peer.value, **described}]
    else:
        permission["IpRanges"] = [{"CidrIp": rule.peer.value, **described}]
    return permission


# ---- IAM ------------------------------------------------------------------------------------
def _role(c: Creator, role: Role) -> None:
    iam = c.client("iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": role.trusted_service},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    made = iam.create_role(
        Path=c.iam_path,
        RoleName=role.name,
        AssumeRolePolicyDocument=json.dumps(trust),
        Tags=c.tags(role.id),
    )["Role"]
    c.ids[role.id] = made["RoleId"]
    for policy in role.policies:
        if policy.arn:
            iam.attach_role_policy(RoleName=role.name, PolicyArn=policy.arn)


def _inline_policies(c: Creator, role: Role) -> None:
    for policy in (p for p in role.policies if not p.arn):
        statements = [
            {
                "Sid": s.sid,
                "Effect": s.effect,
                "Action": list(s.actions),
                "Resource": [_secret_arn(c, r) for r in s.resources],
            }
            for s in policy.statements
        ]
        document = {"Version": "2012-10-17", "Statement": statements}
        c.client("iam").put_role_policy(
            RoleName=role.name, PolicyName=policy.name, PolicyDocument=json.dumps(document)
        )


def _secret_arn(c: Creator, resource: str) -> str:
    """`secret-of:db/main` → the ARN of the secret RDS made for that database's password."""
    if not resource.startswith(SECRET_OF):
        return resource
    identifier = c.aws(resource.removeprefix(SECRET_OF))
    db = c.client("rds").describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
    return str(db["MasterUserSecret"]["SecretArn"])


def _instance_profile(c: Creator, profile: InstanceProfile) -> None:
    iam = c.client("iam")
    made = iam.create_instance_profile(
        InstanceProfileName=profile.name, Path=c.iam_path, Tags=c.tags(profile.id)
    )["InstanceProfile"]
    c.ids[profile.id] = made["InstanceProfileId"]
    iam.add_role_to_instance_profile(InstanceProfileName=profile.name, RoleName=profile.role_name)


# ---- compute and data -----------------------------------------------------------------------
def _instance(c: Creator, instance: Instance) -> None:
    ec2 = c.client("ec2")
    image = _image(c, instance.image)
    root = ec2.describe_images(ImageIds=[image])["Images"][0].get("RootDeviceName", "/dev/xvda")
    params: dict[str, Any] = {
        "ImageId": image,
        "InstanceType": instance.instance_type,
        "MinCount": 1,
        "MaxCount": 1,
        "NetworkInterfaces": [
            {
                "DeviceIndex": 0,
                "SubnetId": c.aws(instance.subnet_id),
                "Groups": [c.aws(g) for g in instance.security_group_ids],
                "AssociatePublicIpAddress": instance.has_public_ip,
            }
        ],
        "MetadataOptions": {
            "HttpTokens": "required" if instance.imdsv2_required else "optional",
            "HttpEndpoint": "enabled",
        },
        "BlockDeviceMappings": [
            {
                "DeviceName": root,
                "Ebs": {"Encrypted": instance.root_volume_encrypted, "VolumeSize": 8},
            }
        ],
        "TagSpecifications": c.spec("instance", instance.id, **{"awsarch:group": instance.group}),
    }
    if instance.instance_profile:
        params["IamInstanceProfile"] = {"Name": instance.instance_profile}
    c.ids[instance.id] = _launch(ec2, params)["Instances"][0]["InstanceId"]


def _launch(ec2: Any, params: dict[str, Any]) -> Any:
    """RunInstances, retried while a new instance profile has not propagated yet: AWS refuses
    it for seconds after it was created, as any script that creates one must expect."""
    for delay in (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2):
        try:
            return ec2.run_instances(**params)
        except ClientError as exc:
            if "iamInstanceProfile" not in str(exc):
                raise
            time.sleep(delay)
    return ec2.run_instances(**params)


def _image(c: Creator, image: str) -> str:
    """`resolve:ssm:<parameter>` is read from the public SSM parameter, as EC2 would."""
    if not image.startswith("resolve:ssm:"):
        return image
    name = image.removeprefix("resolve:ssm:")
    return str(c.client("ssm").get_parameter(Name=name)["Parameter"]["Value"])


def _db_subnet_group(c: Creator, group: DbSubnetGroup) -> None:
    c.client("rds").create_db_subnet_group(
        DBSubnetGroupName=group.name,
        DBSubnetGroupDescription=f"{c.arch.stack} {group.id}",
        SubnetIds=[c.aws(s) for s in group.subnet_ids],
        Tags=c.tags(group.id),
    )
    c.ids[group.id] = group.name


def _database(c: Creator, db: Database) -> None:
    identifier = f"{c.arch.stack}-{db.name}"
    c.client("rds").create_db_instance(
        DBInstanceIdentifier=identifier,
        Engine=db.engine,
        EngineVersion=db.engine_version,
        DBInstanceClass=db.instance_class,
        AllocatedStorage=db.storage_gb,
        Port=db.port,
        MasterUsername="admin",
        ManageMasterUserPassword=db.manage_master_password,
        DBSubnetGroupName=c.aws(db.subnet_group_id),
        VpcSecurityGroupIds=[c.aws(g) for g in db.security_group_ids],
        MultiAZ=db.multi_az,
        PubliclyAccessible=db.publicly_accessible,
        StorageEncrypted=db.storage_encrypted,
        DeletionProtection=db.deletion_protection,
        BackupRetentionPeriod=db.backup_retention_days,
        Tags=c.tags(db.id),
    )
    c.ids[db.id] = identifier


MAKERS: dict[type, Any] = {
    Vpc: _vpc,
    InternetGateway: _internet_gateway,
    Subnet: _subnet,
    RouteTable: _route_table,
    ElasticIp: _elastic_ip,
    NatGateway: _nat_gateway,
    NetworkAcl: _network_acl,
    SecurityGroup: _security_group,
    Role: _role,
    InstanceProfile: _instance_profile,
    Instance: _instance,
    DbSubnetGroup: _db_subnet_group,
    Database: _database,
}
"""One maker per kind of resource; a kind the creator does not know fails loudly (KeyError)."""
