"""Instances from launch templates (IMDSv2, encrypted root, the instance profile), and the
database with its subnet group, password managed by RDS and final snapshot."""

from __future__ import annotations

from awsarch.adapters.aws.resources.compute import MASTER_USERNAME, database_identifier
from awsarch.adapters.aws.resources.context import STACK_TAG
from awsarch.cfn.builder import Builder, CannotSynthesize, Json, get_att, ref
from awsarch.cfn.logical_ids import camel
from awsarch.model import Architecture, Database, Instance

SSM_IMAGE = "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
"""A public SSM parameter resolved to the AMI id when the stack is created or updated
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types)."""
ROOT_DEVICE = "/dev/xvda"
"""Amazon Linux 2023's root device name."""
Launch = tuple[str, str, str, bool, bool, str]


def add_compute(b: Builder, arch: Architecture) -> None:
    templates: dict[Launch, str] = {}
    for instance in arch.instances:
        key = _launch_key(instance)
        if key not in templates:
            templates[key] = _launch_template(b, arch, instance)
        if instance.scaling_group:  # launched by its Auto Scaling group, never by the template
            b.launch_templates.setdefault(instance.scaling_group, templates[key])
        else:
            _instance(b, instance, templates[key])
    for group in arch.db_subnet_groups:
        properties = {
            "DBSubnetGroupName": group.name,
            "DBSubnetGroupDescription": f"awsarch {arch.stack}: {group.id}",
            "SubnetIds": [b.ref(s) for s in group.subnet_ids],
            "Tags": b.tags(group.id),
        }
        b.add(b.name(group.id), "AWS::RDS::DBSubnetGroup", properties)
    for database in arch.databases:
        _database(b, arch.stack, database)


def _launch_key(instance: Instance) -> Launch:
    return (
        instance.scaling_group + "\0" + instance.group,
        instance.image,
        instance.instance_type,
        instance.imdsv2_required,
        instance.root_volume_encrypted,
        instance.instance_profile + "\0" + instance.user_data,
    )


def _image(b: Builder, image: str) -> Json | str:
    """`resolve:ssm:<public parameter>` as a parameter of the SSM type, an AMI id as it is."""
    if not image.startswith("resolve:ssm:"):
        return image
    path = image.removeprefix("resolve:ssm:")
    name = "Image" + camel(path.rsplit("/", 1)[-1])
    b.parameters[name] = {
        "Type": SSM_IMAGE,
        "Default": path,
        "Description": "The public SSM parameter that names the latest AMI",
    }
    return ref(name)


def _launch_template(b: Builder, arch: Architecture, instance: Instance) -> str:
    stack_only = [{"Key": STACK_TAG, "Value": arch.stack}]
    data: Json = {
        "ImageId": _image(b, instance.image),
        "InstanceType": instance.instance_type,
        "MetadataOptions": {
            "HttpTokens": "required" if instance.imdsv2_required else "optional",
            "HttpEndpoint": "enabled",
        },
        "BlockDeviceMappings": [
            {
                "DeviceName": ROOT_DEVICE,
                "Ebs": {
                    "Encrypted": instance.root_volume_encrypted,
                    "VolumeType": "gp3",
                    "DeleteOnTermination": True,
                },
            }
        ],
        "TagSpecifications": [
            {"ResourceType": "volume", "Tags": stack_only},
            {"ResourceType": "network-interface", "Tags": stack_only},
        ],
    }
    if instance.instance_profile:
        profile = next(
            (p for p in arch.instance_profiles if p.name == instance.instance_profile), None
        )
        data["IamInstanceProfile"] = (
            {"Arn": get_att(b.name(profile.id), "Arn")}
            if profile
            else {"Name": instance.instance_profile}
        )
    if instance.user_data:
        data["UserData"] = {"Fn::Base64": instance.user_data}
    if instance.scaling_group:
        data["NetworkInterfaces"] = [_member_interface(b, instance)]
    owner = f"launch-template/{instance.group or instance.name}"
    logical = b.derived("LaunchTemplate" + camel(instance.group or instance.name))
    properties = {
        "LaunchTemplateData": data,
        "TagSpecifications": [{"ResourceType": "launch-template", "Tags": b.tags(owner)}],
    }
    return b.add(logical, "AWS::EC2::LaunchTemplate", properties)


def _member_interface(b: Builder, instance: Instance) -> Json:
    """An Auto Scaling group's members take their groups and public address from the launch
    template, and their subnet from the group
    (https://docs.aws.amazon.com/autoscaling/ec2/userguide/create-launch-template.html#change-network-interface)."""
    _one_interface(instance)
    return {
        "DeviceIndex": 0,
        "Groups": [get_att(b.name(g), "GroupId") for g in instance.security_group_ids],
        "AssociatePublicIpAddress": instance.has_public_ip,
        "DeleteOnTermination": True,
    }


def _one_interface(instance: Instance) -> None:
    if instance.secondary_interfaces or instance.ipv6_addresses:
        raise CannotSynthesize(f"{instance.id}: synth renders one IPv4 interface per instance")


def _instance(b: Builder, instance: Instance, template: str) -> None:
    _one_interface(instance)
    interface: Json = {
        "DeviceIndex": "0",
        "SubnetId": b.ref(instance.subnet_id),
        "GroupSet": [get_att(b.name(g), "GroupId") for g in instance.security_group_ids],
        "AssociatePublicIpAddress": instance.has_public_ip,
    }
    if instance.private_ip:
        interface["PrivateIpAddress"] = instance.private_ip
    properties = {
        "LaunchTemplate": {
            "LaunchTemplateId": ref(template),
            "Version": get_att(template, "LatestVersionNumber"),
        },
        "NetworkInterfaces": [interface],
        "Tags": b.tags(instance.id, **{"awsarch:group": instance.group}),
    }
    # Booted once its subnet routes out, as `up` orders it: user data that installs packages
    # through the NAT gateway finds the route there.
    routing = b.routing.get(instance.subnet_id)
    waits = {"DependsOn": routing} if routing else {}
    b.add(b.name(instance.id), "AWS::EC2::Instance", properties, **waits)


def _database(b: Builder, stack: str, db: Database) -> None:
    """Its data outlives the stack: a snapshot when the stack deletes or replaces it
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html),
    and its master password is made and kept by RDS in Secrets Manager, never in the template
    (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html)."""
    if not db.manage_master_password:
        raise CannotSynthesize(
            f"{db.id} does not let RDS manage its password: awsarch never writes one"
        )
    properties = {
        "DBInstanceIdentifier": database_identifier(stack, db),
        "Engine": db.engine,
        "EngineVersion": db.engine_version,
        "DBInstanceClass": db.instance_class,
        "AllocatedStorage": str(db.storage_gb),
        "Port": str(db.port),
        "MasterUsername": MASTER_USERNAME,
        "ManageMasterUserPassword": True,
        "DBSubnetGroupName": b.ref(db.subnet_group_id),
        "VPCSecurityGroups": [get_att(b.name(g), "GroupId") for g in db.security_group_ids],
        "MultiAZ": db.multi_az,
        "PubliclyAccessible": db.publicly_accessible,
        "StorageEncrypted": db.storage_encrypted,
        "DeletionProtection": b.protection() if db.deletion_protection else False,
        "BackupRetentionPeriod": db.backup_retention_days,
        "CopyTagsToSnapshot": True,
        "Tags": b.tags(db.id),
    }
    b.add(
        b.name(db.id),
        "AWS::RDS::DBInstance",
        properties,
        DeletionPolicy="Snapshot",
        UpdateReplacePolicy="Snapshot",
        **_major_version_note(db.engine, db.engine_version),
    )


def _major_version_note(engine: str, version: str) -> Json:
    """RDS takes a major version (`8.0`) and picks its default minor one, as the direct engine
    asks (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html);
    cfn-lint's E3691/W3691 judge full versions only (`16` reads to it as an old, deprecated
    release), so the template tells it so, on this resource alone."""
    major_parts = 1 if engine == "postgres" else 2  # `16` / `8.0`
    if version.count(".") + 1 > major_parts:
        return {}
    return {"Metadata": {"cfn-lint": {"config": {"ignore_checks": ["E3691", "W3691"]}}}}
