"""Expand a validated blueprint into the model of the architecture it describes.

Ids are logical (`subnet/public-a`), the same `kind/name` that becomes the `awsarch:name` tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from awsarch.blueprint.cidr import plan_subnets
from awsarch.blueprint.expand_balancing import (
    balancer_group,
    load_balancer,
    scaling_group,
    target_group,
    target_ingress,
)
from awsarch.blueprint.expand_iam import instance_role, with_operators
from awsarch.blueprint.prefix_lists import logical_id, source_kind
from awsarch.blueprint.regions import REGION_AZS
from awsarch.blueprint.spec import Blueprint, DatabaseSpec, ServerSpec, TierSpec
from awsarch.model import (
    ALLOW_ALL_EGRESS,
    ENGINE_PORTS,
    Architecture,
    Database,
    DbSubnetGroup,
    ElasticIp,
    Instance,
    InstanceProfile,
    InternetGateway,
    NatGateway,
    NetworkAcl,
    Path,
    Peer,
    PortRange,
    PrefixList,
    Route,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Vpc,
    allow_all_acl_entries,
)

VPC_ID = "vpc/main"
IGW_ID = "igw/main"
SUBNET_GROUP_SUFFIX = "-subnets"
"""A database's subnet group is `<stack>-<database>-subnets` (discovery finds it by that name)."""
AL2023_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{arch}"
ARM_FAMILIES = ("a1", "t4g", "m6g", "m7g", "m8g", "c6g", "c7g", "c8g", "r6g", "r7g", "r8g")


def image_reference(image: str, instance_type: str) -> str:
    """`al2023` → the public SSM parameter that names the latest AMI for the CPU family."""
    if image != "al2023":
        return image
    arch = "arm64" if instance_type.split(".")[0] in ARM_FAMILIES else "x86_64"
    return "resolve:ssm:" + AL2023_PARAMETER.format(arch=arch)


@dataclass
class _Builder:
    """Collects resources and where each came from while the blueprint is expanded."""

    bp: Blueprint
    parts: dict[str, list[object]] = field(default_factory=dict)
    origins: list[tuple[str, Path]] = field(default_factory=list)

    def add(self, kind: str, resource: object, origin: Path) -> None:
        self.parts.setdefault(kind, []).append(resource)
        self.origins.append((getattr(resource, "id"), origin))  # noqa: B009

    def all(self, kind: str) -> tuple:  # type: ignore[type-arg]
        return tuple(self.parts.get(kind, ()))

    def find_prefix_list(self, name: str) -> PrefixList:
        found: PrefixList = next(p for p in self.all("prefix_lists") if p.name == name)
        return found


def expand(bp: Blueprint, zones: tuple[str, ...] | None = None) -> Architecture:
    """The full architecture a blueprint describes, every resource with its blueprint origin.

    `zones` are the region's zone names as the account has them (sorted); without them, the
    offline table (good enough for `check`, which reads no account). The first `network.azs`
    are used, and the caller makes sure there are that many.
    """
    b = _Builder(bp)
    zones = (REGION_AZS[bp.region] if zones is None else zones)[: bp.network.azs]
    b.add("vpcs", Vpc(id=VPC_ID, name="main", cidr=bp.network.cidr), ("network", "cidr"))
    _network(b, zones)
    _prefix_lists(b)
    _security_groups(b)
    for server in bp.servers:
        _server(b, server, zones)
    _load_balancers(b)
    for db in bp.databases:
        _database(b, db)
    return with_operators(
        bp,
        Architecture(
            stack=bp.stack,
            region=bp.region,
            vpcs=b.all("vpcs"),
            subnets=b.all("subnets"),
            route_tables=b.all("route_tables"),
            internet_gateways=b.all("igws"),
            elastic_ips=b.all("eips"),
            nat_gateways=b.all("nats"),
            network_acls=b.all("acls"),
            prefix_lists=b.all("prefix_lists"),
            security_groups=b.all("groups"),
            instances=b.all("instances"),
            db_subnet_groups=b.all("db_subnet_groups"),
            databases=b.all("databases"),
            target_groups=b.all("target_groups"),
            load_balancers=b.all("load_balancers"),
            auto_scaling_groups=b.all("scaling_groups"),
            roles=b.all("roles"),
            instance_profiles=b.all("profiles"),
            origins=tuple(b.origins),
        ),
    )


def subnet_id(tier: str, zone: str) -> str:
    return f"subnet/{tier}-{zone[-1]}"


def _network(b: _Builder, zones: tuple[str, ...]) -> None:
    net = b.bp.network
    planned = plan_subnets(net.cidr, [t.name for t in net.tiers], net.azs, net.subnet_size)
    for slot in planned:
        tier = b.bp.tier(slot.tier)
        assert tier is not None
        zone = zones[slot.az_index]
        subnet = Subnet(
            id=subnet_id(tier.name, zone),
            name=f"{tier.name}-{zone[-1]}",
            vpc_id=VPC_ID,
            cidr=tier.cidrs[slot.az_index] if tier.cidrs else slot.cidr,
            az=zone,
            tier=tier.name,
            kind=tier.kind,  # type: ignore[arg-type]
            map_public_ip=tier.kind == "public",
        )
        b.add("subnets", subnet, ("network", "tiers", tier.name))
    local = Route(destination=net.cidr, target="local")
    b.add(
        "route_tables",
        RouteTable(id="rtb/main", name="main", vpc_id=VPC_ID, routes=(local,), is_main=True),
        ("network",),
    )
    all_subnets = tuple(s.id for s in b.all("subnets"))
    b.add(
        "acls",
        NetworkAcl(
            id="acl/default",
            name="default",
            vpc_id=VPC_ID,
            is_default=True,
            entries=allow_all_acl_entries(),
            subnet_ids=all_subnets,
        ),
        ("network",),
    )
    public = [t for t in net.tiers if t.kind == "public"]
    if public:
        b.add(
            "igws",
            InternetGateway(id=IGW_ID, name="main", vpc_id=VPC_ID),
            ("network", "tiers", public[0].name),
        )
    nats = _nat_gateways(b, public, zones)
    for tier in net.tiers:
        _route_tables(b, tier, zones, local, nats)


def _nat_gateways(b: _Builder, public: list[TierSpec], zones: tuple[str, ...]) -> dict[str, str]:
    """NAT gateways by AZ: one in the first AZ (single) or one per AZ, in the first public tier."""
    strategy = b.bp.network.nat
    if strategy == "none" or not public:
        return {}
    placed = zones if strategy == "per-az" else zones[:1]
    by_zone = {}
    for zone in placed:
        nat = NatGateway(
            id=f"nat/{zone[-1]}",
            name=zone[-1],
            subnet_id=subnet_id(public[0].name, zone),
            elastic_ip_id=f"eip/nat-{zone[-1]}",
        )
        b.add("eips", ElasticIp(id=nat.elastic_ip_id, name=f"nat-{zone[-1]}"), ("network", "nat"))
        b.add("nats", nat, ("network", "nat"))
        by_zone[zone] = nat.id
    return {zone: by_zone.get(zone, by_zone[zones[0]]) for zone in zones}


def _route_tables(
    b: _Builder, tier: TierSpec, zones: tuple[str, ...], local: Route, nats: dict[str, str]
) -> None:
    origin: Path = ("network", "tiers", tier.name)
    subnets = {zone: subnet_id(tier.name, zone) for zone in zones}
    if tier.kind == "private" and b.bp.network.nat == "per-az":
        for zone in zones:
            route = Route(destination="0.0.0.0/0", target="nat-gateway", target_id=nats[zone])
            b.add(
                "route_tables",
                RouteTable(
                    id=f"rtb/{tier.name}-{zone[-1]}",
                    name=f"{tier.name}-{zone[-1]}",
                    vpc_id=VPC_ID,
                    routes=(local, route),
                    subnet_ids=(subnets[zone],),
                ),
                origin,
            )
        return
    routes: tuple[Route, ...] = (local,)
    if tier.kind == "public":
        routes += (Route(destination="0.0.0.0/0", target="internet-gateway", target_id=IGW_ID),)
    elif tier.kind == "private" and nats:
        routes += (Route(destination="0.0.0.0/0", target="nat-gateway", target_id=nats[zones[0]]),)
    table = RouteTable(
        id=f"rtb/{tier.name}",
        name=tier.name,
        vpc_id=VPC_ID,
        routes=routes,
        subnet_ids=tuple(subnets.values()),
    )
    b.add("route_tables", table, origin)


def _prefix_lists(b: _Builder) -> None:
    for plist in b.bp.prefix_lists:
        resource = PrefixList(
            id=logical_id(plist.name),
            name=plist.name,
            cidrs=tuple(sorted(plist.cidrs)),
            max_entries=plist.max_entries,
        )
        b.add("prefix_lists", resource, ("prefix_lists", plist.name))


def _prefix_list_peer(b: _Builder, source: str) -> Peer:
    """The blueprint's own list with its CIDRs (proofs are exact); an existing id or an
    AWS-managed name as it is, entries unread (a proof that needs them says `unknown`)."""
    if source_kind(source) != "own":
        return Peer(kind="prefix-list", value=source, entries=None)
    plist = b.find_prefix_list(source)
    return Peer(kind="prefix-list", value=plist.id, entries=plist.cidrs)


def _allowed(b: _Builder, server: ServerSpec) -> tuple[SecurityGroupRule, ...]:
    return tuple(
        SecurityGroupRule(
            protocol=rule.protocol,  # type: ignore[arg-type]
            ports=PortRange.single(port),
            peer=_prefix_list_peer(b, rule.source),
            description=f"{rule.source} to {server.name}",
        )
        for rule in server.allow
        for port in rule.ports
    )


def _security_groups(b: _Builder) -> None:
    b.add(
        "groups",
        SecurityGroup(
            id="sg/default",
            name="default",
            vpc_id=VPC_ID,
            is_default=True,
            description="The VPC's default group, left with no rules",
        ),
        ("network",),
    )
    for server in b.bp.servers:
        ingress = (
            tuple(
                SecurityGroupRule(
                    protocol="tcp",
                    ports=PortRange.single(port),
                    peer=Peer.cidr("0.0.0.0/0"),
                    description=f"internet to {server.name}",
                )
                for port in server.public_ports
            )
            + _allowed(b, server)
            + target_ingress(b.bp, server)
        )
        group = SecurityGroup(
            id=f"sg/{server.name}",
            name=server.name,
            vpc_id=VPC_ID,
            description=f"{server.name} servers",
            ingress=ingress,
            egress=ALLOW_ALL_EGRESS,
        )
        b.add("groups", group, ("servers", server.name, "public_ports"))
    for lb in b.bp.load_balancers:
        b.add("groups", balancer_group(b.bp, lb), ("load_balancers", lb.name))
    for db in b.bp.databases:
        _database_group(b, db)


def _database_group(b: _Builder, db: DatabaseSpec) -> None:
    port = PortRange.single(database_port(db))
    ingress = tuple(
        SecurityGroupRule(
            protocol="tcp",
            ports=port,
            peer=Peer.group(f"sg/{source}"),
            description=f"{source} to {db.name}",
        )
        for source in db.allow_from
    ) + tuple(
        SecurityGroupRule(
            protocol="tcp", ports=port, peer=Peer.cidr(cidr), description=f"{cidr} to {db.name}"
        )
        for cidr in db.allow_cidrs
    )
    group = SecurityGroup(
        id=f"sg/db-{db.name}",
        name=f"db-{db.name}",
        vpc_id=VPC_ID,
        description=f"database {db.name}",
        ingress=ingress,
        egress=ALLOW_ALL_EGRESS,
    )
    b.add("groups", group, ("databases", db.name, "allow_from"))


def database_port(db: DatabaseSpec) -> int:
    return db.port if db.port is not None else ENGINE_PORTS[db.engine]


def _server(b: _Builder, server: ServerSpec, zones: tuple[str, ...]) -> None:
    origin: Path = ("servers", server.name)
    profile = ""
    if server.role.enabled:
        profile = f"{b.bp.stack}-{server.name}"
        b.add("roles", instance_role(b.bp.stack, server), (*origin, "role"))
        b.add(
            "profiles",
            InstanceProfile(id=f"profile/{server.name}", name=profile, role_name=profile),
            (*origin, "role"),
        )
    scaling = ""
    if server.scaling is not None:
        group = scaling_group(b.bp, server, b.all("subnets"))
        b.add("scaling_groups", group, (*origin, "scaling"))
        scaling = group.id
    count = server.scaling.desired if server.scaling is not None else server.count
    for index in range(count):
        zone = zones[index % len(zones)]
        instance = Instance(
            id=f"instance/{server.name}-{index + 1}",
            name=f"{server.name}-{index + 1}",
            group=server.name,
            subnet_id=subnet_id(server.tier, zone),
            security_group_ids=(f"sg/{server.name}",),
            instance_type=server.type,
            image=image_reference(server.image, server.type),
            has_public_ip=b.bp.tier(server.tier).kind == "public",  # type: ignore[union-attr]
            instance_profile=profile,
            imdsv2_required=server.imdsv2,
            root_volume_encrypted=server.encrypted_root,
            user_data=server.user_data,
            platform="linux" if server.image == "al2023" else "",  # an ami-… id: not known
            scaling_group=scaling,
        )
        b.add("instances", instance, origin)


def _load_balancers(b: _Builder) -> None:
    for lb in b.bp.load_balancers:
        origin: Path = ("load_balancers", lb.name)
        fixed = tuple(
            i.id for i in b.all("instances") if i.group == lb.target.servers and not i.scaling_group
        )
        b.add("target_groups", target_group(b.bp, lb, fixed), (*origin, "target"))
        b.add("load_balancers", load_balancer(b.bp, lb, b.all("subnets")), origin)


def _database(b: _Builder, db: DatabaseSpec) -> None:
    origin: Path = ("databases", db.name)
    subnets = tuple(s.id for s in b.all("subnets") if s.tier == db.tier)
    group = DbSubnetGroup(
        id=f"dbsubnets/{db.name}",
        name=f"{b.bp.stack}-{db.name}{SUBNET_GROUP_SUFFIX}",
        subnet_ids=subnets,
    )
    b.add("db_subnet_groups", group, (*origin, "tier"))
    database = Database(
        id=f"db/{db.name}",
        name=db.name,
        engine=db.engine,
        engine_version=db.version,
        port=database_port(db),
        instance_class=db.instance_class,
        storage_gb=db.storage_gb,
        subnet_group_id=group.id,
        security_group_ids=(f"sg/db-{db.name}",),
        multi_az=db.multi_az,
        publicly_accessible=db.publicly_accessible,
        storage_encrypted=db.encrypted,
        deletion_protection=db.deletion_protection,
        backup_retention_days=db.backup_days,
    )
    b.add("databases", database, origin)
