"""Instances (with their launch templates) and databases of a template, as the model has them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from awsarch.cfn.intrinsics import Unknown
from awsarch.cfn.names import DEFAULT_GROUP, database_name, implicit_id, server_group
from awsarch.cfn.reading import Reading, flag, number, strings
from awsarch.model import ENGINE_PORTS, Database, DbSubnetGroup, Instance, Subnet

_LT_ALIASES = (
    ("imdsv2", "MetadataOptions"),
    ("encrypted_root", "BlockDeviceMappings"),
    ("role", "IamInstanceProfile"),
    ("user_data", "UserData"),
)


def instances(r: Reading, subnets: list[Subnet], profiles: Mapping[str, str]) -> list[Instance]:
    """`profiles` maps what a template may write for a profile (its name, its Arn) to its name."""
    by_id = {s.id: s for s in subnets}
    found = []
    for lid, p in r.of_type("AWS::EC2::Instance"):
        template_lid, data = launch_template(r, p)
        merged = {**data, **p}
        nic = _primary_interface(merged)
        subnet_id = r.text(merged.get("SubnetId", nic.get("SubnetId")), lid, "SubnetId")
        r.origin(r.id(lid), lid)
        launch_aliases(r, lid, p, template_lid)
        found.append(
            launched(
                r,
                Launched(id=r.id(lid), name=r.name(lid), group=server_group(lid, p)),
                merged,
                by_id.get(subnet_id),
                profiles,
                subnet_id=subnet_id,
            )
        )
    return found


@dataclass(frozen=True)
class Launched:
    """Who an instance is: its id, people's name, server group and Auto Scaling group."""

    id: str
    name: str
    group: str
    scaling_group: str = ""


def launched(
    r: Reading,
    who: Launched,
    merged: Mapping[str, Any],
    subnet: Subnet | None,
    profiles: Mapping[str, str],
    *,
    subnet_id: str,
) -> Instance:
    """An instance from its launch template's data with its own properties over them."""
    nic = _primary_interface(merged)
    groups = (
        strings(merged.get("SecurityGroupIds"))
        or strings(nic.get("GroupSet"))
        or strings(nic.get("Groups"))  # a launch template's interface
    )
    if not groups and subnet is not None:  # launched with none: the VPC's default group
        groups = (implicit_id(subnet.vpc_id, DEFAULT_GROUP),)
    public = flag(nic.get("AssociatePublicIpAddress"), subnet is not None and subnet.map_public_ip)
    image = _text(merged.get("ImageId"))
    return Instance(
        id=who.id,
        name=who.name,
        group=who.group,
        subnet_id=subnet_id,
        security_group_ids=groups,
        instance_type=_text(merged.get("InstanceType")),
        image=image,
        has_public_ip=public or who.id in _elastic_ip_holders(r),
        instance_profile=_profile(merged.get("IamInstanceProfile"), profiles),
        imdsv2_required=(merged.get("MetadataOptions") or {}).get("HttpTokens") == "required",
        root_volume_encrypted=_encrypted(merged.get("BlockDeviceMappings")),
        user_data=_text(merged.get("UserData")),
        platform=_platform(image),
        scaling_group=who.scaling_group,
    )


_PLATFORMS = (
    ("resolve:ssm:/aws/service/ami-amazon-linux-latest/", "linux"),
    ("resolve:ssm:/aws/service/ami-windows-latest/", "windows"),
)
"""AWS's public AMI parameters by operating system
(https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-public-parameters-ami.html)."""


def _platform(image: str) -> str:
    """The operating system of an AMI named by its public parameter; "" for an AMI id."""
    return next((os for prefix, os in _PLATFORMS if image.startswith(prefix)), "")


def _elastic_ip_holders(r: Reading) -> set[str]:
    """Instances an Elastic IP is associated with (on the EIP or by an EIPAssociation)."""
    kinds = ("AWS::EC2::EIP", "AWS::EC2::EIPAssociation")
    return {str(p.get("InstanceId")) for kind in kinds for _, p in r.of_type(kind)}


def launch_template(r: Reading, p: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The instance's launch template (by id or name) and its data; the instance's own
    properties override it (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-launch-templates.html)."""
    spec = p.get("LaunchTemplate") or {}
    ref = spec.get("LaunchTemplateId", spec.get("LaunchTemplateName"))
    if not isinstance(ref, str):
        return "", {}
    for lid, lt in r.of_type("AWS::EC2::LaunchTemplate"):
        if ref in (lid, r.id(lid), lt.get("LaunchTemplateName")):
            data = lt.get("LaunchTemplateData") or {}
            return lid, dict(data) if isinstance(data, dict) else {}
    return "", {}


def launch_aliases(r: Reading, lid: str, p: Mapping[str, Any], template_lid: str) -> None:
    """Findings on what the launch template sets point at the template's property."""
    for attribute, prop in _LT_ALIASES:
        if prop in p or not template_lid:
            r.alias(lid, attribute, prop)
        else:
            target = r.path(template_lid, "LaunchTemplateData", prop)
            if target in r.doc.values:
                r.aliases[("Resources", lid, attribute)] = target
            else:
                r.alias(lid, attribute, "LaunchTemplate")


def _primary_interface(p: Mapping[str, Any]) -> dict[str, Any]:
    for nic in p.get("NetworkInterfaces") or ():
        if isinstance(nic, dict) and number(nic.get("DeviceIndex"), 0) == 0:
            return nic
    return {}


def _profile(value: Any, profiles: Mapping[str, str]) -> str:
    if isinstance(value, dict):  # a launch template's {Arn: …} or {Name: …}
        value = value.get("Name", value.get("Arn"))
    if not isinstance(value, str):
        return ""
    return profiles.get(value, value)


def _encrypted(mappings: Any) -> bool:
    """The root volume (the first EBS mapping) is encrypted; unsaid: the account's default,
    which is not known offline, so not claimed."""
    for mapping in mappings or ():
        if isinstance(mapping, dict) and isinstance(mapping.get("Ebs"), dict):
            return flag(mapping["Ebs"].get("Encrypted"))
    return False


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def db_subnet_groups(r: Reading) -> list[DbSubnetGroup]:
    found = []
    for lid, p in r.of_type("AWS::RDS::DBSubnetGroup"):
        r.origin(r.id(lid), lid)
        name = p.get("DBSubnetGroupName")
        found.append(
            DbSubnetGroup(
                id=r.id(lid),
                name=name if isinstance(name, str) else lid,
                subnet_ids=strings(p.get("SubnetIds")),
            )
        )
    return found


_DB_ALIASES = (
    ("multi_az", "MultiAZ"),
    ("backup_days", "BackupRetentionPeriod"),
    ("deletion_protection", "DeletionProtection"),
    ("encrypted", "StorageEncrypted"),
    ("publicly_accessible", "PubliclyAccessible"),
    ("tier", "DBSubnetGroupName"),
    ("allow_cidrs", "VPCSecurityGroups"),
)


def databases(
    r: Reading,
    subnet_groups: list[DbSubnetGroup],
    public_vpcs: frozenset[str],
    subnet_vpc: Mapping[str, str],
) -> list[Database]:
    """`public_vpcs`: VPCs with an attached internet gateway (they decide the default of
    PubliclyAccessible); `subnet_vpc`: each subnet's VPC. A DBSubnetGroupName is a group's
    logical id (what Ref gives) or the name it declares."""
    groups = {g.name: g for g in subnet_groups} | {g.id: g for g in subnet_groups}
    found = []
    for lid, p in r.of_type("AWS::RDS::DBInstance"):
        r.origin(r.id(lid), lid)
        for attribute, prop in _DB_ALIASES:
            r.alias(lid, attribute, prop)
        engine = _text(p.get("Engine")).lower()
        group = groups.get(_text(p.get("DBSubnetGroupName")))
        vpcs = {subnet_vpc.get(s, "") for s in group.subnet_ids} if group else set()
        found.append(
            Database(
                id=r.id(lid),
                name=database_name_of(r, lid),
                engine=engine,
                engine_version=_text(p.get("EngineVersion")),
                port=number(p.get("Port"), ENGINE_PORTS.get(engine.split("-")[-1], 0)),
                instance_class=_text(p.get("DBInstanceClass")),
                storage_gb=number(p.get("AllocatedStorage"), 0),
                subnet_group_id=group.id if group else "",
                security_group_ids=strings(p.get("VPCSecurityGroups")),
                multi_az=flag(p.get("MultiAZ")),
                publicly_accessible=_public(p.get("PubliclyAccessible"), vpcs, public_vpcs),
                storage_encrypted=flag(p.get("StorageEncrypted")),
                deletion_protection=flag(p.get("DeletionProtection")),
                backup_retention_days=number(p.get("BackupRetentionPeriod"), 1),
                manage_master_password=flag(p.get("ManageMasterUserPassword")),
            )
        )
    return found


def _public(value: Any, vpcs: set[str], public_vpcs: frozenset[str]) -> bool:
    """Unsaid, a database in a subnet group is public when its VPC has an internet gateway
    attached (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html)."""
    if isinstance(value, Unknown) or value is None:
        return bool(vpcs & public_vpcs)
    return flag(value)


def database_name_of(r: Reading, lid: str) -> str:
    """The name intents use: the `awsarch:name`'s (`db/main` → main), else DBInstanceIdentifier
    or the friendly logical id."""
    return r.name(lid) if r.id(lid) != lid else database_name(lid, r.props(lid))
