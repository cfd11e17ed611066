"""The blueprint as typed, validated values: what the user asked for, before expansion."""

from __future__ import annotations

from typing import Any

from awsarch.record import record


@record
class TierSpec:
    """A tier of subnets (`public`, `private` or `isolated`) in every AZ."""

    name: str
    kind: str
    cidrs: tuple[str, ...] = ()


@record
class StatementSpec:
    """A statement the blueprint adds to a role's policy."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]


@record
class RoleSpec:
    """What a server group's instance role may do."""

    enabled: bool = True
    session_manager: bool = True
    read_secrets: tuple[str, ...] = ()
    allow: tuple[StatementSpec, ...] = ()


@record
class PrefixListSpec:
    """A customer-managed prefix list the stack owns."""

    name: str
    cidrs: tuple[str, ...]
    max_entries: int
    """As written, else the number of CIDRs."""


@record
class AllowSpec:
    """`allow: [{ports: [22], from: office}]`: ports admitted from a managed prefix list."""

    ports: tuple[int, ...]
    source: str
    """A prefix list of this blueprint (`office`), an existing list's id (`pl-…`) or an
    AWS-managed list's name (`com.amazonaws.…`)."""
    protocol: str = "tcp"


@record
class ScalingSpec:
    """An Auto Scaling group instead of fixed instances."""

    min: int
    max: int
    desired: int
    """As written, else `min`."""


@record
class ListenerSpec:
    """A port a load balancer listens on."""

    port: int
    protocol: str
    redirect: int | None = None
    """An HTTP listener that redirects every request to HTTPS on this port."""


@record
class TargetSpec:
    """The servers a load balancer sends requests to, and on which port."""

    servers: str
    port: int
    protocol: str = "HTTP"
    health_path: str = "/"
    health_port: int | None = None


@record
class LoadBalancerSpec:
    """A load balancer of the blueprint: its tier, listeners and targets."""

    name: str
    scheme: str
    tier: str
    listeners: tuple[ListenerSpec, ...]
    target: TargetSpec
    certificate: str = ""
    deletion_protection: bool = True


@record
class ServerSpec:
    """A server group: how many instances, in which tier, open to whom."""

    name: str
    count: int
    type: str
    image: str
    tier: str
    public_ports: tuple[int, ...]
    role: RoleSpec
    allow: tuple[AllowSpec, ...] = ()
    imdsv2: bool = True
    encrypted_root: bool = True
    user_data: str = ""
    scaling: ScalingSpec | None = None


@record
class DatabaseSpec:
    """A database: its engine, tier and the server groups it admits."""

    name: str
    engine: str
    version: str
    instance_class: str
    storage_gb: int
    port: int | None
    multi_az: bool
    tier: str
    allow_from: tuple[str, ...]
    allow_cidrs: tuple[str, ...]
    publicly_accessible: bool
    encrypted: bool
    deletion_protection: bool
    backup_days: int


@record
class NetworkSpec:
    """The VPC: its CIDR, AZs, NAT and tiers."""

    cidr: str
    azs: int
    nat: str
    subnet_size: int | None
    tiers: tuple[TierSpec, ...]


@record
class OperatorGroupSpec:
    """A group of people who operate the stack, and what they may do."""

    name: str
    permissions: str
    """`deployer` or `viewer`."""
    require_mfa: bool = True


@record
class OperatorUserSpec:
    """A person who operates the stack, and the groups they are in."""

    name: str
    groups: tuple[str, ...]


@record
class OperatorsSpec:
    """The people who operate the stack."""

    groups: tuple[OperatorGroupSpec, ...] = ()
    users: tuple[OperatorUserSpec, ...] = ()


@record
class AcceptSpec:
    """`accept: [{rule: DATA004, resource: db/main, reason: …, expires: 2025-06-30}]`."""

    rule: str
    resource: str
    reason: str
    expires: str = ""
    """An ISO date ("" for none)."""
    index: int = 0
    """Its place in the `accept:` list, for locating it."""


@record
class Blueprint:
    """A whole blueprint, read and checked: what `expand` turns into an architecture."""

    stack: str
    region: str
    network: NetworkSpec
    servers: tuple[ServerSpec, ...]
    databases: tuple[DatabaseSpec, ...]
    intents: tuple[str, ...] = ()
    operators: OperatorsSpec = OperatorsSpec()
    prefix_lists: tuple[PrefixListSpec, ...] = ()
    load_balancers: tuple[LoadBalancerSpec, ...] = ()
    accept: tuple[AcceptSpec, ...] = ()

    def tier(self, name: str) -> TierSpec | None:
        return next((t for t in self.network.tiers if t.name == name), None)

    def server(self, name: str) -> ServerSpec | None:
        return next((s for s in self.servers if s.name == name), None)


def blueprint_from(data: dict[str, Any]) -> Blueprint:
    """Build the typed blueprint from the schema's normalised dict."""
    net = data["network"]
    return Blueprint(
        stack=data["stack"],
        region=data["region"],
        network=NetworkSpec(
            cidr=net["cidr"],
            azs=net["azs"],
            nat=net["nat"],
            subnet_size=net["subnet_size"],
            tiers=tuple(
                TierSpec(name=name, kind=t["kind"], cidrs=tuple(t["cidrs"]))
                for name, t in net["tiers"].items()
            ),
        ),
        servers=tuple(_server(name, s) for name, s in data["servers"].items()),
        databases=tuple(_database(name, d) for name, d in data["databases"].items()),
        intents=tuple(data["intents"]),
        operators=_operators(data.get("operators") or {}),
        load_balancers=tuple(
            _load_balancer(name, lb) for name, lb in (data.get("load_balancers") or {}).items()
        ),
        prefix_lists=tuple(
            PrefixListSpec(
                name=name,
                cidrs=tuple(p["cidrs"]),
                max_entries=p["max_entries"] or len(p["cidrs"]),
            )
            for name, p in (data.get("prefix_lists") or {}).items()
        ),
        accept=tuple(
            AcceptSpec(
                rule=a["rule"],
                resource=a["resource"],
                reason=a["reason"].strip(),
                expires=a["expires"] or "",
                index=i,
            )
            for i, a in enumerate(data.get("accept") or ())
        ),
    )


def _operators(data: dict[str, Any]) -> OperatorsSpec:
    return OperatorsSpec(
        groups=tuple(
            OperatorGroupSpec(name=name, permissions=g["permissions"], require_mfa=g["require_mfa"])
            for name, g in (data.get("groups") or {}).items()
        ),
        users=tuple(
            OperatorUserSpec(name=name, groups=tuple(u["groups"]))
            for name, u in (data.get("users") or {}).items()
        ),
    )


def _server(name: str, s: dict[str, Any]) -> ServerSpec:
    role = s["role"]
    return ServerSpec(
        name=name,
        count=s["count"],
        type=s["type"],
        image=s["image"],
        tier=s["tier"],
        public_ports=tuple(s["public_ports"]),
        allow=tuple(
            AllowSpec(ports=tuple(a["ports"]), source=a["from"], protocol=a["protocol"])
            for a in s.get("allow", ())
        ),
        role=RoleSpec(
            enabled=role.get("enabled", True),
            session_manager=role.get("session_manager", True),
            read_secrets=tuple(role.get("read_secrets", ())),
            allow=tuple(
                StatementSpec(actions=tuple(a["actions"]), resources=tuple(a["resources"]))
                for a in role.get("allow", ())
            ),
        ),
        imdsv2=s["imdsv2"],
        encrypted_root=s["encrypted_root"],
        user_data=s["user_data"],
        scaling=_scaling(s.get("scaling")),
    )


def _scaling(data: dict[str, Any] | None) -> ScalingSpec | None:
    if data is None:
        return None
    desired = data["desired"] if data.get("desired") is not None else data["min"]
    return ScalingSpec(min=data["min"], max=data["max"], desired=desired)


def _load_balancer(name: str, lb: dict[str, Any]) -> LoadBalancerSpec:
    target = lb["target"]
    health = target.get("health_check") or {}
    return LoadBalancerSpec(
        name=name,
        scheme=lb["scheme"],
        tier=lb["tier"],
        listeners=tuple(
            ListenerSpec(port=x["port"], protocol=x["protocol"], redirect=x.get("redirect"))
            for x in lb["listeners"]
        ),
        target=TargetSpec(
            servers=target["servers"],
            port=target["port"],
            protocol=target["protocol"],
            health_path=health.get("path") or "/",
            health_port=health.get("port"),
        ),
        certificate=lb["certificate"],
        deletion_protection=lb["deletion_protection"],
    )


def _database(name: str, d: dict[str, Any]) -> DatabaseSpec:
    return DatabaseSpec(
        name=name,
        engine=d["engine"],
        version=d["version"],
        instance_class=d["class"],
        storage_gb=d["storage_gb"],
        port=d["port"],
        multi_az=d["multi_az"],
        tier=d["tier"],
        allow_from=tuple(d["allow_from"]),
        allow_cidrs=tuple(d["allow_cidrs"]),
        publicly_accessible=d["publicly_accessible"],
        encrypted=d["encrypted"],
        deletion_protection=d["deletion_protection"],
        backup_days=d["backup_days"],
    )
