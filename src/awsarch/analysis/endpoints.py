"""Endpoints of a flow and the placements they stand for.

An endpoint is what a person names: `internet`, a tier (`public` or `tier/public`), a server
group (`web`), a database (`main` or `db/main`), a security group (`sg/web` or its name), or one
instance (`instance/web-1`). It resolves to placements: where
a network interface sits (subnet), which security groups it carries and whether it has a public
address. Interfaces that agree on all three behave the same in every proof, so they are grouped
into one class (one placement with several members): the cost of a proof grows with distinct
classes, not with instances.

Choices, documented here because the proof depends on them:
- A tier endpoint is "any interface placed in one of the tier's subnets with an allow-all security
  group": it proves what the network (routes, ACLs, gateways) lets through, independent of any
  group. It has a public address when its subnet auto-assigns one (`map_public_ip`).
- A security group endpoint is every current member of the group: the network interfaces that
  carry it (an instance's other interfaces are not members) and the databases.
- An instance (or a server group) is every network interface of it, each its own placement with
  its own subnet, groups and public address: it is reachable when some interface is, and the path
  names the interface (`i-0abc (eni-0def)`; the primary interface is the instance's id alone).
- A load balancer (`front`, `lb/front`, or on a live model its AWS name) is its network
  interfaces: one per subnet it spans, each with the load balancer's security groups, public
  when it is internet-facing (its nodes then have public addresses,
  https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-scheme).
  It accepts only its listeners' ports: the proof of a connection to it ends at a listener hop.
- A database sits in every subnet of its DB subnet group (primary and Multi-AZ standby); it has a
  public address only when `publicly_accessible` and its subnet routes to an attached internet
  gateway (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Literal

from awsarch.analysis.sets import EPHEMERAL, LINUX_EPHEMERAL, WINDOWS_EPHEMERAL
from awsarch.errors import InputError
from awsarch.model import (
    Architecture,
    Database,
    Instance,
    LoadBalancer,
    NetworkInterface,
    PortRange,
    SecurityGroup,
)
from awsarch.record import record

PlacementKind = Literal["internet", "instance", "database", "tier", "load-balancer"]
EndpointKind = Literal["internet", "tier", "servers", "database", "security-group", "load-balancer"]
INTERNET = "internet"
RDS_PREFIX = "rds:"


class UnknownEndpointError(InputError):
    """An endpoint name matches nothing in the architecture; the message lists what does."""


@record
class Placement:
    """A class of network interfaces that behave the same: one subnet, one set of groups."""

    kind: PlacementKind
    subnet_id: str = ""
    group_ids: tuple[str, ...] = ()
    allow_all: bool = False
    """A hypothetical interface whose security group allows everything (tier endpoints)."""
    public: bool = False
    public_reason: str = ""
    """Why it has, or lacks, a public address (said in the proof's public-address hop)."""
    members: tuple[str, ...] = ()
    ephemeral: PortRange = EPHEMERAL
    """The source ports of connections this placement opens: where replies come back to."""
    ipv6: bool = False
    """It has an IPv6 address (from its subnet's IPv6 block): reachable over IPv6 too."""
    secondary: bool = False
    """Some member is an instance's secondary interface: its paths may be alternatives to the
    paths of the same instance's other interfaces (see verdict.alternatives)."""
    balancer: str = ""
    """The load balancer whose node this is ("" for anything else): only its listeners'
    ports are accepted."""

    @property
    def is_internet(self) -> bool:
        return self.kind == "internet"

    def key(self) -> tuple[object, ...]:
        """What decides behaviour: interfaces with the same key are one class."""
        return (
            self.kind,
            self.subnet_id,
            self.group_ids,
            self.allow_all,
            self.public,
            self.ephemeral,
            self.ipv6,
            self.balancer,
        )

    @property
    def label(self) -> str:
        if self.is_internet:
            return INTERNET
        return f"{', '.join(self.members)} ({self.subnet_id})"


INTERNET_PLACEMENT = Placement(kind="internet", members=(INTERNET,))


@record
class Endpoint:
    """What a person named, and the classes of interfaces it stands for."""

    name: str
    kind: EndpointKind
    placements: tuple[Placement, ...]


def instance_placement(instance: Instance) -> Placement:
    """The instance's primary network interface (device index 0): the instance's own fields."""
    reason = "has a public IP" if instance.has_public_ip else "has no public IP"
    return Placement(
        kind="instance",
        subnet_id=instance.subnet_id,
        group_ids=tuple(sorted(instance.security_group_ids)),
        public=instance.has_public_ip,
        public_reason=f"{instance.id} {reason}",
        members=(instance.id,),
        ephemeral=CLIENT_PORTS.get(instance.platform, EPHEMERAL),
        ipv6=bool(instance.ipv6_addresses),
    )


def interface_placement(instance: Instance, nic: NetworkInterface) -> Placement:
    """A secondary interface, placed on its own: its subnet (so its subnet's ACL and routes),
    its groups and its own public address; replies reach it on the instance's client ports
    (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html)."""
    member = interface_member(instance, nic)
    reason = "has a public IP" if nic.has_public_ip else "has no public IP"
    return Placement(
        kind="instance",
        subnet_id=nic.subnet_id,
        group_ids=tuple(sorted(nic.security_group_ids)),
        public=nic.has_public_ip,
        public_reason=f"{member} {reason}",
        members=(member,),
        ephemeral=CLIENT_PORTS.get(instance.platform, EPHEMERAL),
        ipv6=bool(nic.ipv6_addresses),
        secondary=True,
    )


def interface_member(instance: Instance, nic: NetworkInterface) -> str:
    """How a path names a secondary interface: `i-0abc (eni-0def)`; the primary interface is
    named by the instance's id alone."""
    return f"{instance.id} ({nic.id})"


def owner_of(member: str) -> str:
    """Whose interface a member is: `i-0abc (eni-0def)` and `i-0abc` are both `i-0abc`."""
    return member.partition(" (")[0]


def instance_placements(instance: Instance, group_id: str = "") -> tuple[Placement, ...]:
    """Every network interface of the instance, the primary first; with `group_id`, only the
    interfaces that carry that security group (a group's members are interfaces)."""
    found = []
    if not group_id or group_id in instance.security_group_ids:
        found.append(instance_placement(instance))
    found += [
        interface_placement(instance, nic)
        for nic in instance.secondary_interfaces
        if not group_id or group_id in nic.security_group_ids
    ]
    return tuple(found)


CLIENT_PORTS = {"linux": LINUX_EPHEMERAL, "windows": WINDOWS_EPHEMERAL}


def database_placements(arch: Architecture, db: Database) -> tuple[Placement, ...]:
    """One placement per subnet of the database's subnet group (primary and standby)."""
    found = []
    for subnet_id in arch.subnet_group(db.subnet_group_id).subnet_ids:
        routed = arch.routes_to_internet_gateway(subnet_id)
        public = db.publicly_accessible and routed
        if public:
            reason = f"{db.id} is publicly accessible in a subnet routed to an internet gateway"
        elif not db.publicly_accessible:
            reason = f"{db.id} is not publicly accessible, so it has no public address"
        else:
            reason = f"{db.id} is publicly accessible but {subnet_id} has no internet route"
        found.append(
            Placement(
                kind="database",
                subnet_id=subnet_id,
                group_ids=tuple(sorted(db.security_group_ids)),
                public=public,
                public_reason=reason,
                members=(db.id,),
            )
        )
    return tuple(found)


def balancer_placements(lb: LoadBalancer) -> tuple[Placement, ...]:
    """One network interface per subnet of the load balancer, each with its groups."""
    if lb.internet_facing:
        reason = f"{lb.id} is internet-facing: its nodes have public addresses"
    else:
        reason = f"{lb.id} is internal: its nodes have private addresses only"
    return tuple(
        Placement(
            kind="load-balancer",
            subnet_id=subnet_id,
            group_ids=tuple(sorted(lb.security_group_ids)),
            public=lb.internet_facing,
            public_reason=reason,
            members=(lb.id,),
            balancer=lb.id,
        )
        for subnet_id in lb.subnet_ids
    )


def balancer_name(arch: Architecture, lb: LoadBalancer) -> str:
    """How people name a load balancer (Architecture.balancer_name)."""
    return arch.balancer_name(lb)


def balancer_names(arch: Architecture) -> tuple[str, ...]:
    return tuple(dict.fromkeys(balancer_name(arch, lb) for lb in arch.load_balancers))


def find_balancer(arch: Architecture, name: str) -> LoadBalancer | None:
    """The load balancer a person names: its blueprint or logical name, `lb/NAME`, its AWS
    name or its id."""
    bare = name.removeprefix("lb/")
    for lb in arch.load_balancers:
        if name in (lb.id, lb.name) or bare == balancer_name(arch, lb):
            return lb
    return None


def tier_placements(arch: Architecture, tier: str) -> tuple[Placement, ...]:
    return tuple(
        Placement(
            kind="tier",
            subnet_id=s.id,
            allow_all=True,
            public=s.map_public_ip,
            public_reason=(
                f"{s.id} assigns public IPs" if s.map_public_ip else f"{s.id} assigns no public IP"
            ),
            members=(f"tier {tier}",),
            ipv6=bool(s.ipv6_cidr) and s.assign_ipv6,
        )
        for s in arch.subnets
        if s.tier == tier
    )


def classes(placements: Iterable[Placement]) -> tuple[Placement, ...]:
    """Merge placements that behave the same into one, keeping every member's name (in one pass:
    a server group of thousands of instances is a few classes)."""
    first: dict[tuple[object, ...], Placement] = {}
    members: dict[tuple[object, ...], tuple[list[str], set[str]]] = {}
    secondary: dict[tuple[object, ...], bool] = {}
    for placement in placements:
        key = placement.key()
        if key not in first:
            first[key] = placement
            members[key] = (list(placement.members), set(placement.members))
            secondary[key] = placement.secondary
            continue
        names, seen = members[key]
        new = [m for m in placement.members if m not in seen]
        names.extend(new)
        seen.update(new)
        secondary[key] = secondary[key] or placement.secondary
    return tuple(
        p
        if len(members[k][0]) == len(p.members) and secondary[k] == p.secondary
        else replace(p, members=tuple(members[k][0]), secondary=secondary[k])
        for k, p in first.items()
    )


def tiers(arch: Architecture) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.tier for s in arch.subnets if s.tier))


def server_groups(arch: Architecture) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.group for i in arch.instances if i.group))


def _tier_name(arch: Architecture, tier: str) -> str:
    """A tier's endpoint name: bare, or `tier/NAME` when a server group or database has it."""
    taken = set(server_groups(arch)) | {d.name for d in arch.databases}
    taken |= set(balancer_names(arch))
    return f"tier/{tier}" if tier in taken else tier


def endpoints(arch: Architecture) -> tuple[Endpoint, ...]:
    """Every endpoint of the matrix: the internet, tiers, load balancers, server groups and
    databases."""
    names = [
        INTERNET,
        *(_tier_name(arch, t) for t in tiers(arch)),
        *balancer_names(arch),
        *server_groups(arch),
        *(d.name for d in arch.databases),
    ]
    by_group = instances_by_group(arch)
    return tuple(
        _servers(name, by_group[name]) if _group_name(name, by_group) else resolve(arch, name)
        for name in dict.fromkeys(names)
    )


_BY_GROUP: dict[int, tuple[weakref.ref[Architecture], dict[str, list[Instance]]]] = {}


def instances_by_group(arch: Architecture) -> dict[str, list[Instance]]:
    """Server groups' instances, indexed once per architecture (the last one asked about):
    each intent names a server group, and a wide model has thousands of instances."""
    found = _BY_GROUP.get(id(arch))
    if found is not None and found[0]() is arch:
        return found[1]
    index: dict[str, list[Instance]] = {}
    for instance in arch.instances:
        index.setdefault(instance.group, []).append(instance)
    _BY_GROUP.clear()
    _BY_GROUP[id(arch)] = (weakref.ref(arch), index)
    return index


def _group_name(name: str, by_group: dict[str, list[Instance]]) -> bool:
    """`resolve` would read the name as this server group (a bare name, not `internet`)."""
    plain = name == name.strip() and "/" not in name and not name.startswith(RDS_PREFIX)
    return plain and name != INTERNET and name in by_group


def _servers(name: str, servers: Iterable[Instance]) -> Endpoint:
    """A server group: every interface of its instances, in classes."""
    found = classes(p for i in servers for p in instance_placements(i))
    return Endpoint(name=name, kind="servers", placements=found)


def known_names(arch: Architecture) -> list[str]:
    names = [INTERNET, *server_groups(arch), *(d.name for d in arch.databases)]
    names += balancer_names(arch)
    names += [_tier_name(arch, t) for t in tiers(arch)]
    names += [g.id for g in arch.security_groups] + [d.id for d in arch.databases]
    return list(dict.fromkeys(names))


def resolve(arch: Architecture, text: str) -> Endpoint:
    """The endpoint a name stands for.

    Bare names are tried in this order: `internet`, a server group, a database, a load
    balancer, a tier, a security group's name. Qualified names are never ambiguous: `tier/app`,
    `servers/app`, `lb/front`, a database id (`db/main`), a security group id (`sg/web`), an
    instance id (`instance/web-1`).
    On a live model, AWS ids work too (`i-0abc…`, `sg-0abc…`), and `rds:<identifier>`.
    """
    name = text.strip()
    if name.startswith(RDS_PREFIX):
        found = _resource(arch, name, name.removeprefix(RDS_PREFIX))
    else:
        kind, _, rest = name.partition("/")
        found = _qualified(arch, name, kind, rest) if rest else _bare(arch, name)
        if found is None and not rest:
            found = _resource(arch, name, name) or _resource(arch, name, f"instance/{name}")
    if found is None:
        raise UnknownEndpointError(unknown_endpoint(name, known_names(arch), arch))
    return found


def unknown_endpoint(name: str, known: Sequence[str], arch: Architecture) -> str:
    """One line: the name matches nothing; the closest name that does, and the names to use
    (instances by example only: a fleet would fill the screen)."""
    from difflib import get_close_matches  # only on this error path: check's start-up

    instances = [i.name for i in arch.instances if i.name]
    close = get_close_matches(name, [*known, *instances], n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    example = f", or an instance such as {instances[0]}" if instances else ""
    return f"unknown endpoint {name!r} — {hint}use one of {', '.join(known)}{example}"


def _bare(arch: Architecture, name: str) -> Endpoint | None:
    if name == INTERNET:
        return Endpoint(name=name, kind="internet", placements=(INTERNET_PLACEMENT,))
    servers = instances_by_group(arch).get(name)
    if servers:
        return _servers(name, servers)
    db = next((d for d in arch.databases if d.name == name), None)
    if db is not None:
        return Endpoint(name=name, kind="database", placements=database_placements(arch, db))
    lb = find_balancer(arch, name)
    if lb is not None:
        return balancer_endpoint(name, lb)
    if name in tiers(arch):
        return Endpoint(name=name, kind="tier", placements=tier_placements(arch, name))
    group = next((g for g in arch.security_groups if g.name == name), None)
    if group is not None:
        return Endpoint(name=name, kind="security-group", placements=_members(arch, group.id))
    return None


def _qualified(arch: Architecture, name: str, kind: str, rest: str) -> Endpoint | None:
    if kind == "tier" and rest in tiers(arch):
        return Endpoint(name=name, kind="tier", placements=tier_placements(arch, rest))
    if kind == "servers" and rest in server_groups(arch):
        found = classes(
            p for i in arch.instances if i.group == rest for p in instance_placements(i)
        )
        return Endpoint(name=name, kind="servers", placements=found)
    if kind == "lb" and (lb := find_balancer(arch, name)) is not None:
        return balancer_endpoint(name, lb)
    return _resource(arch, name, name)


def balancer_endpoint(name: str, lb: LoadBalancer) -> Endpoint:
    return Endpoint(name=name, kind="load-balancer", placements=balancer_placements(lb))


def _resource(arch: Architecture, name: str, resource_id: str) -> Endpoint | None:
    """The endpoint for a resource id: a database, an instance, a load balancer or a security
    group."""
    resource = arch.find(resource_id)
    if isinstance(resource, LoadBalancer):
        return balancer_endpoint(name, resource)
    if isinstance(resource, Database):
        placements = database_placements(arch, resource)
        return Endpoint(name=name, kind="database", placements=placements)
    if isinstance(resource, Instance):
        placements = classes(instance_placements(resource))
        return Endpoint(name=name, kind="servers", placements=placements)
    if isinstance(resource, SecurityGroup):
        return Endpoint(name=name, kind="security-group", placements=_members(arch, resource_id))
    return None


def _members(arch: Architecture, group_id: str) -> tuple[Placement, ...]:
    found: list[Placement] = []
    for member in arch.members_of(group_id):
        if isinstance(member, Instance):
            found.extend(instance_placements(member, group_id))
        else:
            found.extend(database_placements(arch, member))
    for lb in arch.load_balancers:  # its interfaces carry its groups too
        if group_id in lb.security_group_ids:
            found.extend(balancer_placements(lb))
    if not found:
        raise UnknownEndpointError(
            f"security group {group_id!r} has no members — name a server group or a tier instead"
        )
    return classes(found)
