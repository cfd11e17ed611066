"""EC2 instances, the DB subnet group and the RDS database."""

from __future__ import annotations

import base64
import uuid
from typing import Any

from awsarch.adapters.aws.errors import AwsError, error_code
from awsarch.adapters.aws.resources.base import Handler, first
from awsarch.adapters.aws.resources.context import STACK_TAG, ApplyContext
from awsarch.deploy.diff import Change
from awsarch.deploy.plan import SECRET_PREFIX, Action
from awsarch.errors import ToolError
from awsarch.model import Database, DbSubnetGroup, Instance

LIVE_STATES = ["pending", "running", "stopping", "stopped"]
MASTER_USERNAME = "admin"


class InstanceHandler(Handler):
    def create(self, ctx: ApplyContext, desired: Instance, action: Action) -> None:
        filters = [
            *ctx.stack_filters(desired.id),
            {"Name": "instance-state-name", "Values": LIVE_STATES},
        ]
        reservations = ctx.call("ec2", "describe_instances", Filters=filters)["Reservations"]
        found = first([i for r in reservations for i in r["Instances"]])
        if found is None:
            found = ctx.call("ec2", "run_instances", **_launch(ctx, desired))["Instances"][0]
        ctx.remember(desired.id, found["InstanceId"])
        ctx.wait("ec2", "instance_running", InstanceIds=[found["InstanceId"]])

    def update(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        desired: Instance = change.desired
        instance_id = change.live_id
        changed = {f.field for f in change.fields}
        if "instance_type" in changed:
            _resize(ctx, instance_id, desired.instance_type)
        if "security_group_ids" in changed:
            groups = [ctx.resolve(g) for g in desired.security_group_ids]
            ctx.call("ec2", "modify_instance_attribute", InstanceId=instance_id, Groups=groups)
        if "imdsv2_required" in changed:
            ctx.call(
                "ec2",
                "modify_instance_metadata_options",
                InstanceId=instance_id,
                HttpTokens="required" if desired.imdsv2_required else "optional",
                HttpEndpoint="enabled",
            )
        if "instance_profile" in changed and desired.instance_profile:
            ctx.call(
                "ec2",
                "associate_iam_instance_profile",
                InstanceId=instance_id,
                IamInstanceProfile={"Name": desired.instance_profile},
            )

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        ctx.call("ec2", "terminate_instances", InstanceIds=[change.live_id])
        ctx.wait("ec2", "instance_terminated", InstanceIds=[change.live_id])


def _resize(ctx: ApplyContext, instance_id: str, instance_type: str) -> None:
    """Change the type in place, as EC2 does it: stop, modify, start — the instance keeps its id,
    volumes and private address (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-resize.html).
    The plan resizes one AZ at a time, so the group keeps serving."""
    ctx.call("ec2", "stop_instances", InstanceIds=[instance_id])
    ctx.wait("ec2", "instance_stopped", InstanceIds=[instance_id])
    ctx.call(
        "ec2",
        "modify_instance_attribute",
        InstanceId=instance_id,
        InstanceType={"Value": instance_type},
    )
    ctx.call("ec2", "start_instances", InstanceIds=[instance_id])
    ctx.wait("ec2", "instance_running", InstanceIds=[instance_id])


def _launch(ctx: ApplyContext, desired: Instance) -> dict[str, Any]:
    image = image_id(ctx, desired.image)
    params: dict[str, Any] = {
        "ImageId": image,
        "InstanceType": desired.instance_type,
        "MinCount": 1,
        "MaxCount": 1,
        "NetworkInterfaces": [
            {
                "DeviceIndex": 0,
                "SubnetId": ctx.resolve(desired.subnet_id),
                "Groups": [ctx.resolve(g) for g in desired.security_group_ids],
                "AssociatePublicIpAddress": desired.has_public_ip,
            }
        ],
        "MetadataOptions": {
            "HttpTokens": "required" if desired.imdsv2_required else "optional",
            "HttpEndpoint": "enabled",
        },
        "BlockDeviceMappings": [root_volume(ctx, image, desired.root_volume_encrypted)],
        "TagSpecifications": [
            *ctx.tag_spec("instance", desired.id, **{"awsarch:group": desired.group}),
            # Every resource RunInstances creates carries the stack's tag, so the deployer
            # policy can require it (aws:RequestTag) on each of them.
            {"ResourceType": "volume", "Tags": [{"Key": STACK_TAG, "Value": ctx.stack}]},
            {"ResourceType": "network-interface", "Tags": [{"Key": STACK_TAG, "Value": ctx.stack}]},
        ],
        "ClientToken": launch_token(ctx.stack, desired),
    }
    if desired.instance_profile:
        params["IamInstanceProfile"] = {"Name": desired.instance_profile}
    if desired.user_data:
        params["UserData"] = base64.b64encode(desired.user_data.encode()).decode()
    return params


def launch_token(stack: str, desired: Instance) -> str:
    """A ClientToken for one launch: botocore's retries of this request reuse it, so a retry
    never launches twice; a later launch gets another, because EC2 answers a reused token with
    the earlier (maybe terminated) instance, or IdempotentParameterMismatch when the parameters
    changed (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html). A run
    killed after the launch finds the instance by its tags instead."""
    return f"{stack}-{desired.name}-{uuid.uuid4().hex}"[:64]


def image_id(ctx: ApplyContext, image: str) -> str:
    """`resolve:ssm:<parameter>` → the AMI id the public SSM parameter names today."""
    if not image.startswith("resolve:ssm:"):
        return image
    parameter = ctx.call("ssm", "get_parameter", Name=image.removeprefix("resolve:ssm:"))
    value: str = parameter["Parameter"]["Value"]
    return value


def root_volume(ctx: ApplyContext, image: str, encrypted: bool) -> dict[str, Any]:
    """The image's root device, encrypted as asked, at the image's own size (8 GiB if unsaid)."""
    images = ctx.call("ec2", "describe_images", ImageIds=[image])["Images"]
    described = images[0] if images else {}
    device = str(described.get("RootDeviceName") or "/dev/xvda")
    mapped = [m for m in described.get("BlockDeviceMappings", []) if m.get("DeviceName") == device]
    size = (mapped[0].get("Ebs", {}).get("VolumeSize") if mapped else None) or 8
    return {
        "DeviceName": device,
        # Said explicitly: the emulator keeps an unsaid root volume after termination.
        "Ebs": {
            "Encrypted": encrypted,
            "VolumeSize": size,
            "VolumeType": "gp3",
            "DeleteOnTermination": True,
        },
    }


class DbSubnetGroupHandler(Handler):
    def create(self, ctx: ApplyContext, desired: DbSubnetGroup, action: Action) -> None:
        subnets = [ctx.resolve(s) for s in desired.subnet_ids]
        try:
            found = ctx.session.call(
                "rds", "describe_db_subnet_groups", DBSubnetGroupName=desired.name
            )["DBSubnetGroups"][0]
        except AwsError as exc:
            if error_code(exc) != "DBSubnetGroupNotFoundFault":
                raise
            ctx.call(
                "rds",
                "create_db_subnet_group",
                DBSubnetGroupName=desired.name,
                DBSubnetGroupDescription=f"awsarch {ctx.stack}: {desired.id}",
                SubnetIds=subnets,
                Tags=ctx.tags(desired.id),
            )
        else:
            live = {s["SubnetIdentifier"] for s in found.get("Subnets", [])}
            if live != set(subnets):  # only when needed: the emulator loses a modified group
                ctx.call(
                    "rds",
                    "modify_db_subnet_group",
                    DBSubnetGroupName=desired.name,
                    SubnetIds=subnets,
                )
        ctx.remember(desired.id, desired.name)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        ctx.call("rds", "delete_db_subnet_group", DBSubnetGroupName=change.observed.name)


def subnet_group_name(resolved: str) -> str:
    """A DB subnet group found live is known by its ARN (`…:subgrp:<name>`); RDS wants the name."""
    return resolved.split(":subgrp:", 1)[-1]


def database_identifier(stack: str, database: Database) -> str:
    return f"{stack}-{database.name}"


class ProtectedError(ToolError):
    """A database with deletion protection on was to be deleted by anything but `down`."""


class DatabaseHandler(Handler):
    def create(self, ctx: ApplyContext, desired: Database, action: Action) -> None:
        identifier = database_identifier(ctx.stack, desired)
        if _describe_db(ctx, identifier) is None:
            ctx.call("rds", "create_db_instance", **_create_params(ctx, desired, identifier))
        ctx.remember(desired.id, identifier)
        ctx.wait("rds", "db_instance_available", DBInstanceIdentifier=identifier)
        _remember_secret(ctx, desired.id, identifier)

    def update(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        desired: Database = change.desired
        changes = _modifications(ctx, desired, {f.field for f in change.fields})
        if changes:
            ctx.call(
                "rds",
                "modify_db_instance",
                DBInstanceIdentifier=change.live_id,
                ApplyImmediately=True,
                **changes,
            )
            ctx.wait("rds", "db_instance_available", DBInstanceIdentifier=change.live_id)
        _remember_secret(ctx, desired.id, change.live_id)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        identifier = change.live_id
        live = _describe_db(ctx, identifier)
        if live is None:
            return
        if live.get("DBInstanceStatus") == "deleting":
            # An earlier run asked already (and its final snapshot was taken then): RDS refuses a
            # second DeleteDBInstance with InvalidDBInstanceState, so wait for the first.
            ctx.announce(f"{identifier} is already being deleted: waiting for it")
            ctx.wait("rds", "db_instance_deleted", DBInstanceIdentifier=identifier)
            return
        if change.observed.deletion_protection:
            if not ctx.unprotect:
                raise ProtectedError(
                    f"{identifier} has deletion protection on and only `awsarch down` turns it"
                    " off — set `deletion_protection: false` and run `awsarch up` first"
                )
            ctx.announce(f"turning deletion protection off for {identifier} (to delete it)")
            ctx.call(
                "rds",
                "modify_db_instance",
                DBInstanceIdentifier=identifier,
                DeletionProtection=False,
                ApplyImmediately=True,
            )
        final = (
            {"FinalDBSnapshotIdentifier": action.snapshot}
            if action.snapshot
            else {"SkipFinalSnapshot": True}
        )
        if action.snapshot:
            ctx.announce(f"taking final snapshot {action.snapshot} of {identifier}")
        ctx.call(
            "rds",
            "delete_db_instance",
            DBInstanceIdentifier=identifier,
            DeleteAutomatedBackups=False,
            **final,
        )
        ctx.wait("rds", "db_instance_deleted", DBInstanceIdentifier=identifier)


def _describe_db(ctx: ApplyContext, identifier: str) -> dict[str, Any] | None:
    try:
        found = ctx.session.call("rds", "describe_db_instances", DBInstanceIdentifier=identifier)
    except AwsError as exc:
        if error_code(exc) == "DBInstanceNotFound":
            return None
        raise
    return dict(found["DBInstances"][0])


def _remember_secret(ctx: ApplyContext, logical: str, identifier: str) -> None:
    live = _describe_db(ctx, identifier) or {}
    arn = live.get("MasterUserSecret", {}).get("SecretArn")
    if arn:
        ctx.remember(SECRET_PREFIX + logical, arn)


def _create_params(ctx: ApplyContext, db: Database, identifier: str) -> dict[str, Any]:
    return {
        "DBInstanceIdentifier": identifier,
        "Engine": db.engine,
        "EngineVersion": db.engine_version,
        "DBInstanceClass": db.instance_class,
        "AllocatedStorage": db.storage_gb,
        "Port": db.port,
        "MasterUsername": MASTER_USERNAME,
        "ManageMasterUserPassword": db.manage_master_password,
        "DBSubnetGroupName": subnet_group_name(ctx.resolve(db.subnet_group_id)),
        "VpcSecurityGroupIds": [ctx.resolve(g) for g in db.security_group_ids],
        "MultiAZ": db.multi_az,
        "PubliclyAccessible": db.publicly_accessible,
        "StorageEncrypted": db.storage_encrypted,
        "DeletionProtection": db.deletion_protection,
        "BackupRetentionPeriod": db.backup_retention_days,
        "CopyTagsToSnapshot": True,
        "Tags": ctx.tags(db.id),
    }


def _modifications(ctx: ApplyContext, db: Database, changed: set[str]) -> dict[str, Any]:
    fields: dict[str, tuple[str, Any]] = {
        "multi_az": ("MultiAZ", db.multi_az),
        "publicly_accessible": ("PubliclyAccessible", db.publicly_accessible),
        "deletion_protection": ("DeletionProtection", db.deletion_protection),
        "backup_retention_days": ("BackupRetentionPeriod", db.backup_retention_days),
        "instance_class": ("DBInstanceClass", db.instance_class),
        "storage_gb": ("AllocatedStorage", db.storage_gb),
        "engine_version": ("EngineVersion", db.engine_version),
        "security_group_ids": (
            "VpcSecurityGroupIds",
            [ctx.resolve(g) for g in db.security_group_ids],
        ),
        "manage_master_password": ("ManageMasterUserPassword", db.manage_master_password),
    }
    return dict(fields[name] for name in sorted(changed) if name in fields)
