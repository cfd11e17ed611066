"""Turn discovery's raw JSON into the model (pure: no boto3, no I/O).

Ids are AWS ids (`subnet-0abc…`); names come from the `awsarch:name` tag (`subnet/public-a` →
`public-a`), else the `Name` tag, else the AWS name or id. The emulator's addresses are not
realistic (Elastic IPs in 127.0.0.0/8), so "has a public address" is decided from what is allocated
or associated, never from an address value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, cast

from awsarch.adapters.aws.ingest_balancing import (
    GROUP_NAME_TAG,
    balancing_logical_ids,
    load_balancers,
    scaled_instances,
    scaling_group_ids,
    scaling_groups,
    target_groups,
)
from awsarch.adapters.aws.ingest_iam import (
    iam_logical_ids,
    instance_profile,
    profile_roles,
    role,
    stack_role_ids,
    used_profiles,
)
from awsarch.adapters.aws.ingest_peering import vpc_peerings
from awsarch.adapters.aws.ingest_security import (
    GONE_PREFIX_LIST_STATES,
    aws_prefix_lists,
    customer_prefix_lists,
    network_acl,
    security_group,
)
from awsarch.adapters.aws.raw import Raw, name_of, tags_of
from awsarch.adapters.aws.raw import items as _list
from awsarch.adapters.aws.raw import sorted_items as _sorted
from awsarch.blueprint.expand import SUBNET_GROUP_SUFFIX
from awsarch.model import (
    ENGINE_PORTS,
    Architecture,
    Database,
    DbSubnetGroup,
    ElasticIp,
    Instance,
    InternetGateway,
    NatGateway,
    NetworkInterface,
    Route,
    RouteTable,
    Subnet,
    SubnetKind,
    Vpc,
)
from awsarch.model.network import RouteTarget

SUBNET_KINDS = ("public", "private", "isolated")
GONE_INSTANCE_STATES = ("shutting-down", "terminated")
ATTACHED_STATES = ("available", "attached")
LIVE_NAT_STATES = ("pending", "available")
IPV6_ASSOCIATED = ("associating", "associated")
GONE_STATES = ("deleting", "deleted", "failed", *GONE_PREFIX_LIST_STATES)
OTHER_ROUTE_TARGETS = (
    "GatewayId",
    "TransitGatewayId",
    "VpcPeeringConnectionId",
    "NetworkInterfaceId",
    "InstanceId",
    "EgressOnlyInternetGatewayId",
    "CarrierGatewayId",
    "LocalGatewayId",
    "CoreNetworkArn",
)


def ingest(raw: Raw, *, stack: str = "") -> Architecture:
    """The observed architecture in discovery's raw JSON (see `awsarch.adapters.aws.discover`).

    `stack` names it; by default the `awsarch:stack` tag of the first tagged VPC, else "".
    """
    ec2, iam = raw.get("ec2", {}), raw.get("iam", {})
    vpcs = tuple(vpc(v, ec2.get("VpcAttributes", {})) for v in _sorted(ec2, "Vpcs", "VpcId"))
    encrypted = frozenset(str(v["VolumeId"]) for v in _list(ec2, "Volumes") if v.get("Encrypted"))
    groups = scaling_group_ids(raw)
    instances = tuple(
        dataclasses.replace(
            found, scaling_group=groups.get(found.scaling_group, found.scaling_group)
        )
        for found in (
            instance(i, ec2, encrypted)
            for i in _sorted_instances(ec2)
            if i.get("State", {}).get("Name") not in GONE_INSTANCE_STATES
        )
    )
    databases = [d for d in _list(raw.get("rds", {}), "DBInstances") if _in_scope(d, raw)]
    stack = stack or _stack_tag(ec2)
    profiles = used_profiles(iam, instances, stack)
    subnets = tuple(subnet(s) for s in _sorted(ec2, "Subnets", "SubnetId"))
    subnet_ids = {s.id for s in subnets}
    return Architecture(
        stack=stack,
        region=str(raw.get("region", "")),
        vpcs=vpcs,
        subnets=subnets,
        route_tables=tuple(route_table(t) for t in _sorted(ec2, "RouteTables", "RouteTableId")),
        internet_gateways=tuple(
            internet_gateway(g) for g in _sorted(ec2, "InternetGateways", "InternetGatewayId")
        ),
        vpc_peerings=vpc_peerings(raw),
        elastic_ips=tuple(
            ElasticIp(id=str(a["AllocationId"]), name=str(a.get("PublicIp", "")))
            for a in _sorted(ec2, "Addresses", "AllocationId")
            if a.get("AllocationId")
        ),
        nat_gateways=tuple(
            nat_gateway(n)
            for n in _sorted(ec2, "NatGateways", "NatGatewayId")
            if n.get("State", "available") in LIVE_NAT_STATES
        ),
        network_acls=tuple(network_acl(a) for a in _sorted(ec2, "NetworkAcls", "NetworkAclId")),
        prefix_lists=customer_prefix_lists(ec2),
        security_groups=tuple(
            security_group(g, ec2.get("PrefixListEntries") or {})
            for g in _sorted(ec2, "SecurityGroups", "GroupId")
        ),
        instances=instances,
        db_subnet_groups=_subnet_groups(databases, _groups_in_scope(raw)),
        databases=tuple(database(d) for d in sorted(databases, key=_db_id)),
        target_groups=target_groups(
            raw, {v.id for v in vpcs}, scaled_instances(_sorted_instances(ec2))
        ),
        load_balancers=load_balancers(raw, subnet_ids),
        auto_scaling_groups=scaling_groups(raw, subnet_ids),
        roles=tuple(
            role(r, iam.get("Roles", {})) for r in profile_roles(profiles, _list(iam, "StackRoles"))
        ),
        instance_profiles=tuple(instance_profile(p) for p in profiles),
        logical_ids=_logical_ids(raw, stack, profiles),
        aws_prefix_lists=aws_prefix_lists(ec2),
    )


TAGGED = (
    ("ec2", "Vpcs", "VpcId", "Tags"),
    ("ec2", "Subnets", "SubnetId", "Tags"),
    ("ec2", "RouteTables", "RouteTableId", "Tags"),
    ("ec2", "InternetGateways", "InternetGatewayId", "Tags"),
    ("ec2", "NatGateways", "NatGatewayId", "Tags"),
    ("ec2", "Addresses", "AllocationId", "Tags"),
    ("ec2", "NetworkAcls", "NetworkAclId", "Tags"),
    ("ec2", "SecurityGroups", "GroupId", "Tags"),
    ("ec2", "PrefixLists", "PrefixListId", "Tags"),
    ("rds", "DBInstances", "DBInstanceIdentifier", "TagList"),
)
"""Where owned resources carry their tags: (service, list, id field, tag list field)."""


def _logical_ids(raw: Raw, stack: str, profiles: list[Any]) -> tuple[tuple[str, str], ...]:
    """(AWS id, `awsarch:name`) of every resource tagged `awsarch:stack=<stack>`; the DB subnet
    group of database `db/x` is `dbsubnets/x`; IAM resources are known by their path."""
    found: list[tuple[str, str]] = []
    if not stack:
        return ()
    sources = [(raw.get(svc, {}), key, field, tag) for svc, key, field, tag in TAGGED]
    sources.append((raw.get("ec2", {}), "Instances", "InstanceId", "Tags"))
    vpcs = {str(v["VpcId"]) for v in _list(raw.get("ec2", {}), "Vpcs")}
    for section, key, field, tag in sources:
        listed = _sorted_instances(section) if key == "Instances" else _list(section, key)
        for item in listed:
            tags = tags_of(item, tag)
            if (
                tags.get("awsarch:stack") == stack
                and tags.get("awsarch:name")
                and _alive(item, vpcs)
            ):
                found.append((str(item[field]), tags["awsarch:name"]))
    found += _subnet_group_logical_ids(raw, dict(found), stack)
    found += balancing_logical_ids(raw, stack)
    found += iam_logical_ids(profiles, stack)
    found += stack_role_ids(_list(raw.get("iam", {}), "StackRoles"), stack)
    return tuple(sorted(set(found)))


def _alive(item: Raw, vpcs: set[str]) -> bool:
    """Not a deleted NAT gateway, nor a leftover of a deleted VPC (the emulator keeps a deleted
    VPC's default network ACL; AWS deletes it with the VPC)."""
    if item.get("State") in GONE_STATES:
        return False
    vpc = item.get("VpcId")
    return not (_vpc_scoped(item) and vpc and vpc not in vpcs)


def _vpc_scoped(item: Raw) -> bool:
    """Network ACLs, route tables and security groups live and die with their VPC."""
    return any(k in item for k in ("NetworkAclId", "RouteTableId", "GroupId"))


def _subnet_group_logical_ids(
    raw: Raw, logical: dict[str, str], stack: str
) -> list[tuple[str, str]]:
    """`dbsubnets/x` for the group of database `db/x`, and for any group the stack named
    `<stack>-x-subnets` (see blueprint/expand.py) whose database is gone or never came."""
    found = []
    for group in _list(raw.get("rds", {}), "DBSubnetGroups"):
        name = str(group.get("DBSubnetGroupName", ""))
        if name.startswith(f"{stack}-") and name.endswith(SUBNET_GROUP_SUFFIX):
            middle = name.removeprefix(f"{stack}-").removesuffix(SUBNET_GROUP_SUFFIX)
            found.append((subnet_group_id(group), f"dbsubnets/{middle}"))
    for item in _list(raw.get("rds", {}), "DBInstances"):
        name = logical.get(str(item["DBInstanceIdentifier"]), "")
        group = item.get("DBSubnetGroup") or {}
        if name.startswith("db/") and group.get("DBSubnetGroupName"):
            found.append((subnet_group_id(group), "dbsubnets/" + name.removeprefix("db/")))
    return found


def _stack_tag(ec2: Raw) -> str:
    stacks = (tags_of(v).get("awsarch:stack", "") for v in _sorted(ec2, "Vpcs", "VpcId"))
    return next((s for s in stacks if s), "")


# ---- network --------------------------------------------------------------------------------
def vpc(item: Raw, attributes: Raw) -> Vpc:
    vpc_id = str(item["VpcId"])
    dns = attributes.get(vpc_id, {})
    return Vpc(
        id=vpc_id,
        name=name_of(item, vpc_id),
        cidr=str(item.get("CidrBlock", "")),
        dns_hostnames=bool(dns.get("EnableDnsHostnames", False)),
        dns_support=bool(dns.get("EnableDnsSupport", True)),
        ipv6_cidrs=tuple(_ipv6_blocks(item)),
    )


def _ipv6_blocks(item: Raw) -> list[str]:
    """A VPC's or subnet's associated IPv6 blocks (one being disassociated carries no more)."""
    return [
        str(a["Ipv6CidrBlock"])
        for a in _list(item, "Ipv6CidrBlockAssociationSet")
        if a.get("Ipv6CidrBlock")
        and (a.get("Ipv6CidrBlockState") or {}).get("State", "associated") in IPV6_ASSOCIATED
    ]


def subnet(item: Raw) -> Subnet:
    tags = tags_of(item)
    kind = tags.get("awsarch:kind", "")
    return Subnet(
        id=str(item["SubnetId"]),
        name=name_of(item, str(item["SubnetId"])),
        vpc_id=str(item.get("VpcId", "")),
        cidr=str(item.get("CidrBlock", "")),
        az=str(item.get("AvailabilityZone", "")),
        tier=tags.get("awsarch:tier", ""),
        kind=cast(SubnetKind, kind if kind in SUBNET_KINDS else ""),
        map_public_ip=bool(item.get("MapPublicIpOnLaunch", False)),
        ipv6_cidr=next(iter(_ipv6_blocks(item)), ""),
        assign_ipv6=bool(item.get("AssignIpv6AddressOnCreation", False)),
    )


def route_table(item: Raw) -> RouteTable:
    """Routes, explicit subnet associations, and whether it is the VPC's main table."""
    associations = _list(item, "Associations")
    return RouteTable(
        id=str(item["RouteTableId"]),
        name=name_of(item, str(item["RouteTableId"])),
        vpc_id=str(item.get("VpcId", "")),
        routes=tuple(route(r) for r in _list(item, "Routes")),
        subnet_ids=tuple(str(a["SubnetId"]) for a in associations if a.get("SubnetId")),
        is_main=any(a.get("Main") for a in associations),
    )


def route(item: Raw) -> Route:
    """One route; a route whose target is gone (state `blackhole`) drops traffic."""
    destination = str(
        item.get("DestinationCidrBlock")
        or item.get("DestinationIpv6CidrBlock")
        or item.get("DestinationPrefixListId")
        or ""
    )
    gateway = str(item.get("GatewayId", ""))
    target: RouteTarget
    if item.get("State") == "blackhole":
        target, target_id = "blackhole", str(item.get("NatGatewayId") or _other_target(item))
    elif gateway == "local":
        target, target_id = "local", ""
    elif gateway.startswith("igw-"):
        target, target_id = "internet-gateway", gateway
    elif item.get("EgressOnlyInternetGatewayId"):
        target, target_id = "egress-only-gateway", str(item["EgressOnlyInternetGatewayId"])
    elif item.get("NatGatewayId"):
        target, target_id = "nat-gateway", str(item["NatGatewayId"])
    elif item.get("VpcPeeringConnectionId"):
        target, target_id = "peering", str(item["VpcPeeringConnectionId"])
    else:
        target, target_id = "other", _other_target(item)
    return Route(destination=destination, target=target, target_id=target_id)


def _other_target(item: Raw) -> str:
    return next((str(item[k]) for k in OTHER_ROUTE_TARGETS if item.get(k)), "")


def internet_gateway(item: Raw) -> InternetGateway:
    attached = [a for a in _list(item, "Attachments") if a.get("State") in ATTACHED_STATES]
    return InternetGateway(
        id=str(item["InternetGatewayId"]),
        name=name_of(item, str(item["InternetGatewayId"])),
        vpc_id=str(attached[0]["VpcId"]) if attached else "",
    )


def nat_gateway(item: Raw) -> NatGateway:
    """Public when an Elastic IP is allocated to it (never judged by the address value)."""
    allocations = [
        str(a["AllocationId"]) for a in _list(item, "NatGatewayAddresses") if a.get("AllocationId")
    ]
    public = item.get("ConnectivityType", "public") == "public" and bool(allocations)
    return NatGateway(
        id=str(item["NatGatewayId"]),
        name=name_of(item, str(item["NatGatewayId"])),
        subnet_id=str(item.get("SubnetId", "")),
        has_public_ip=public,
        elastic_ip_id=allocations[0] if allocations else "",
    )


# ---- compute --------------------------------------------------------------------------------
def _sorted_instances(ec2: Raw) -> list[Any]:
    found = [i for r in _list(ec2, "Reservations") for i in _list(r, "Instances")]
    return sorted(found, key=lambda i: str(i["InstanceId"]))


def instance(item: Raw, ec2: Raw, encrypted_volumes: frozenset[str] = frozenset()) -> Instance:
    """An EC2 instance: its primary network interface fills the instance's own fields (subnet,
    groups, addresses); every other attached interface is a NetworkInterface of its own."""
    instance_id = str(item["InstanceId"])
    profile_arn = str((item.get("IamInstanceProfile") or {}).get("Arn", ""))
    addresses = _list(ec2, "Addresses")
    primary, others = _interfaces(item)
    return Instance(
        id=instance_id,
        name=name_of(item, instance_id),
        group=tags_of(item).get("awsarch:group", ""),
        subnet_id=str(item.get("SubnetId") or (primary or {}).get("SubnetId", "")),
        security_group_ids=_instance_groups(item, primary),
        instance_type=str(item.get("InstanceType", "")),
        image=str(item.get("ImageId", "")),
        has_public_ip=_has_public_ip(item, primary, addresses)
        or (not others and _gets_one_on_start(item, ec2)),
        private_ip=str(item.get("PrivateIpAddress", "")),
        instance_profile=profile_arn.rsplit("/", 1)[-1] if profile_arn else "",
        imdsv2_required=(item.get("MetadataOptions") or {}).get("HttpTokens") == "required",
        root_volume_encrypted=_root_volume(item) in encrypted_volumes,
        user_data=str((ec2.get("UserData") or {}).get(instance_id, "")),
        platform=_platform(item),
        ipv6_addresses=_ipv6(primary or {}),
        secondary_interfaces=tuple(network_interface(n, addresses) for n in others),
        scaling_group=tags_of(item).get(GROUP_NAME_TAG, ""),
        # the group's name here; `ingest` makes it the group's id
    )


def _interfaces(item: Raw) -> tuple[Raw | None, list[Raw]]:
    """(the primary interface, the others by device index). The primary is the one at device
    index 0 (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html), else the one in
    the instance's own subnet; a detached interface is no longer the instance's."""
    attached = [
        n
        for n in _list(item, "NetworkInterfaces")
        if (n.get("Attachment") or {}).get("Status") != "detached"
    ]
    attached.sort(key=lambda n: (_device_index(n), str(n.get("NetworkInterfaceId", ""))))
    primary = next((n for n in attached if _device_index(n) == 0), None)
    if primary is None:
        subnet = item.get("SubnetId")
        primary = next((n for n in attached if subnet and n.get("SubnetId") == subnet), None)
    return primary, [n for n in attached if n is not primary]


def _device_index(nic: Raw) -> int:
    index = (nic.get("Attachment") or {}).get("DeviceIndex")
    return int(index) if index is not None else 1 << 16


def network_interface(nic: Raw, addresses: Iterable[Raw]) -> NetworkInterface:
    """A secondary interface: its own subnet, groups and addresses. EC2 auto-assigns a public
    IPv4 address to the primary interface only, so a secondary one is public through an Elastic
    IP (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceNetworkInterfaceSpecification.html)."""
    nic_id = str(nic.get("NetworkInterfaceId", ""))
    public = bool((nic.get("Association") or {}).get("PublicIp")) or any(
        a.get("AssociationId") and a.get("NetworkInterfaceId") == nic_id for a in addresses
    )
    return NetworkInterface(
        id=nic_id,
        subnet_id=str(nic.get("SubnetId", "")),
        security_group_ids=tuple(dict.fromkeys(str(g["GroupId"]) for g in _list(nic, "Groups"))),
        device_index=_device_index(nic),
        private_ip=str(nic.get("PrivateIpAddress", "")),
        has_public_ip=public,
        ipv6_addresses=_ipv6(nic),
    )


def _ipv6(nic: Raw) -> tuple[str, ...]:
    return tuple(str(a["Ipv6Address"]) for a in _list(nic, "Ipv6Addresses") if a.get("Ipv6Address"))


def _platform(item: Raw) -> str:
    """DescribeInstances' PlatformDetails (`Linux/UNIX`, `Windows`, `Red Hat Enterprise Linux`…);
    `Platform` is `windows` for Windows and absent otherwise."""
    details = str(item.get("PlatformDetails", "")).lower()
    if "windows" in details or str(item.get("Platform", "")).lower() == "windows":
        return "windows"
    return "linux" if "linux" in details or "unix" in details else ""


def _instance_groups(item: Raw, primary: Raw | None) -> tuple[str, ...]:
    """The primary interface's groups; the instance's own list when its interfaces are not
    described (the instance-level list of a several-interface instance is not the primary's)."""
    listed = _list(primary, "Groups") if primary is not None and "Groups" in primary else None
    groups = listed if listed is not None else _list(item, "SecurityGroups")
    return tuple(dict.fromkeys(str(g["GroupId"]) for g in groups))


def _gets_one_on_start(item: Raw, ec2: Raw) -> bool:
    """A stopped instance has no public IPv4 address: EC2 releases it on stop and assigns a new
    one on start when its subnet auto-assigns them
    (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html). It is
    read as the instance it is when running, so stopping it is no drift to replace. An instance
    with more than one network interface gets no new one (same page): the caller checks that."""
    if (item.get("State") or {}).get("Name") not in ("stopping", "stopped"):
        return False
    subnet = str(item.get("SubnetId", ""))
    return any(
        s.get("SubnetId") == subnet and bool(s.get("MapPublicIpOnLaunch"))
        for s in _list(ec2, "Subnets")
    )


def _has_public_ip(item: Raw, primary: Raw | None, addresses: Iterable[Raw]) -> bool:
    """The primary interface's public address: auto-assigned, or an Elastic IP associated with
    that interface (or with the instance, which means its primary interface). An Elastic IP on
    another interface makes that interface public, not the instance's primary one."""
    primary_id = str((primary or {}).get("NetworkInterfaceId", ""))
    return (
        bool(item.get("PublicIpAddress"))
        or bool(((primary or {}).get("Association") or {}).get("PublicIp"))
        or any(
            a.get("AssociationId")
            and (
                a.get("NetworkInterfaceId") == primary_id
                if a.get("NetworkInterfaceId") and primary_id
                else a.get("InstanceId") == item["InstanceId"]
            )
            for a in addresses
        )
    )


def _root_volume(item: Raw) -> str:
    """The id of the EBS volume behind the instance's root device ("" when none)."""
    root = item.get("RootDeviceName")
    return next(
        (
            str(m["Ebs"]["VolumeId"])
            for m in _list(item, "BlockDeviceMappings")
            if m.get("DeviceName") == root and m.get("Ebs")
        ),
        "",
    )


def _db_id(item: Raw) -> str:
    return str(item["DBInstanceIdentifier"])


def _in_scope(item: Raw, raw: Raw) -> bool:
    """With a VPC scope, only databases whose subnet group lives in that VPC."""
    scope = raw.get("vpc_id") or ""
    return not scope or (item.get("DBSubnetGroup") or {}).get("VpcId") == scope


def subnet_group_id(group: Raw) -> str:
    """A DB subnet group's id: its ARN (its name alone would clash with a database's id)."""
    name = str(group.get("DBSubnetGroupName", ""))
    return str(group.get("DBSubnetGroupArn") or (f"subgrp:{name}" if name else ""))


def _groups_in_scope(raw: Raw) -> list[Any]:
    """DB subnet groups listed on their own (in the VPC, when discovery has one)."""
    scope = raw.get("vpc_id") or ""
    groups = _list(raw.get("rds", {}), "DBSubnetGroups")
    return [g for g in groups if not scope or g.get("VpcId") == scope]


def _subnet_groups(
    databases: Iterable[Raw], listed: Iterable[Raw] = ()
) -> tuple[DbSubnetGroup, ...]:
    """The subnet groups of the databases, and those listed on their own (a group whose
    database was never created, or was deleted, still exists and is still owned)."""
    found: dict[str, DbSubnetGroup] = {}
    groups = [item.get("DBSubnetGroup") or {} for item in databases]
    for group in [*groups, *listed]:
        if group.get("DBSubnetGroupName"):
            subnets = tuple(str(s["SubnetIdentifier"]) for s in _list(group, "Subnets"))
            found[subnet_group_id(group)] = DbSubnetGroup(
                id=subnet_group_id(group), name=str(group["DBSubnetGroupName"]), subnet_ids=subnets
            )
    return tuple(found[key] for key in sorted(found))


def database(item: Raw) -> Database:
    """An RDS instance: its port, subnet group, groups and the flags the rules check."""
    engine = str(item.get("Engine", ""))
    port = (item.get("Endpoint") or {}).get("Port") or item.get("DbInstancePort")
    return Database(
        id=_db_id(item),
        name=name_of(item, _db_id(item), key="TagList"),
        engine=engine,
        engine_version=str(item.get("EngineVersion", "")),
        port=int(port or ENGINE_PORTS.get(engine, 0)),
        instance_class=str(item.get("DBInstanceClass", "")),
        storage_gb=int(item.get("AllocatedStorage", 0)),
        subnet_group_id=subnet_group_id(item.get("DBSubnetGroup") or {}),
        security_group_ids=tuple(
            str(g["VpcSecurityGroupId"])
            for g in _list(item, "VpcSecurityGroups")
            if g.get("Status", "active") in ("active", "adding")
        ),
        multi_az=bool(item.get("MultiAZ", False)),
        publicly_accessible=bool(item.get("PubliclyAccessible", False)),
        storage_encrypted=bool(item.get("StorageEncrypted", False)),
        deletion_protection=bool(item.get("DeletionProtection", False)),
        backup_retention_days=int(item.get("BackupRetentionPeriod", 0)),
        manage_master_password=bool(item.get("MasterUserSecret")),
        master_secret_arn=str((item.get("MasterUserSecret") or {}).get("SecretArn", "")),
    )


def owned_ids(raw: Raw, stack: str) -> tuple[tuple[str, str], ...]:
    """(id, logical id) of everything the stack owns in the raw JSON: tagged resources (Elastic
    IPs included) and the IAM profiles and roles under its path, used by instances or not."""
    return _logical_ids(raw, stack, _list(raw.get("iam", {}), "InstanceProfiles"))
