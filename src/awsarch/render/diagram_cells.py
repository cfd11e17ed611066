"""What goes where in a VPC's grid, before any pixel: AZ columns, tier rows, cards per subnet.

A Multi-AZ database is drawn twice, in the first two AZs of its DB subnet group: the primary and
the standby (RDS keeps the standby in a different AZ; it serves no traffic until a failover).

Beyond GROUP_AFTER instances in one subnet of a VPC, the VPC is drawn the way AWS diagrams draw
a fleet: the instances of a server group that sit in one subnet and behave the same (same
groups, public address, type, platform) are one card with their count, and their arrows are
the card's. Below it, every instance is its own card.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import field, replace

from awsarch.model import Architecture, Database, Instance, Subnet, Vpc
from awsarch.record import record
from awsarch.render.diagram_spans import Span, plan_spans
from awsarch.render.diagram_style import KIND_RANK
from awsarch.render.flow import Flow

STANDBY = "#standby"
"""Suffix of the standby's box id: the primary's box id is the database's own id."""
GROUP_AFTER = 8
"""More instances than this in one subnet, and the VPC's instances are drawn by fleet."""
FLEET = "fleet:"
"""Prefix of a fleet card's id: `fleet:<subnet id>:<server group>`."""


@record
class Card:
    id: str
    kind: str
    label: str
    detail: str
    variant: str = ""


@record
class VpcPlan:
    vpc: Vpc
    columns: tuple[str, ...]
    """AZ names, sorted."""
    rows: int
    cells: dict[tuple[int, int], Subnet]
    """(row, column) → subnet."""
    cards: dict[str, tuple[Card, ...]]
    """subnet id → the cards drawn inside it, in drawing order."""
    spans: tuple[Span, ...] = ()
    """Load balancers and Auto Scaling groups drawn across the subnets of a row."""
    drawn_as: dict[str, str] = field(default_factory=dict)
    """instance id → the fleet card it is drawn in, for instances drawn by fleet."""


def subnet_lines(subnet: Subnet) -> tuple[str, str, str]:
    """The three lines a subnet is labelled with: name, CIDR, kind."""
    return (subnet.name, subnet.cidr, kind_line(subnet.kind))


def kind_line(kind: str) -> str:
    return f"{kind.capitalize()} subnet" if kind else "Subnet"


def az_label(az: str) -> str:
    return f"AZ {az}" if az else "AZ unknown"


def plan_vpc(arch: Architecture, vpc: Vpc) -> VpcPlan:
    """Columns by AZ, rows by tier (public, private, isolated), subnets sharing a slot stacked."""
    subnets = [sub for sub in arch.subnets if sub.vpc_id == vpc.id]
    columns = tuple(sorted({sub.az for sub in subnets}, key=lambda az: (az == "", az)))
    first: dict[str, tuple[int, int]] = {}
    depth: dict[str, int] = {}
    seen: Counter[tuple[str, str]] = Counter()
    for index, sub in enumerate(subnets):
        first.setdefault(_tier(sub), (KIND_RANK.get(sub.kind, 3), index))
        depth[sub.id] = seen[(_tier(sub), sub.az)]
        seen[(_tier(sub), sub.az)] += 1
    rows = [
        (tier, level)
        for tier in sorted(first, key=first.__getitem__)
        for level in range(max(seen[(tier, az)] for az in columns))
    ]
    cells = {
        (rows.index((_tier(sub), depth[sub.id])), columns.index(sub.az)): sub for sub in subnets
    }
    cards, drawn_as = _cards(arch, subnets)
    return VpcPlan(
        vpc=vpc,
        columns=columns,
        rows=len(rows),
        cells=cells,
        cards=cards,
        spans=plan_spans(arch, cells),
        drawn_as=drawn_as,
    )


def _tier(subnet: Subnet) -> str:
    return subnet.tier or subnet.kind


def _cards(
    arch: Architecture, subnets: list[Subnet]
) -> tuple[dict[str, tuple[Card, ...]], dict[str, str]]:
    """The cards of each subnet (NAT gateways, instances, databases) and, when the VPC is
    drawn by fleet, which fleet card each grouped instance is drawn in."""
    cards: dict[str, list[Card]] = {sub.id: [] for sub in subnets}
    for nat in arch.nat_gateways:
        if nat.subnet_id in cards:
            detail = "Elastic IP" if nat.has_public_ip else "no Elastic IP"
            cards[nat.subnet_id].append(
                Card(id=nat.id, kind="nat", label=f"NAT {nat.name}", detail=detail)
            )
    placed = [inst for inst in arch.instances if inst.subnet_id in cards]
    crowded = Counter(inst.subnet_id for inst in placed).most_common(1)
    drawn_as = _fleets(placed) if crowded and crowded[0][1] > GROUP_AFTER else {}
    for subnet_id, card in _instance_cards(placed, drawn_as):
        cards[subnet_id].append(card)
    for db in arch.databases:
        for subnet_id, card in _database_cards(arch, db):
            if subnet_id in cards:
                cards[subnet_id].append(card)
    return {key: tuple(value) for key, value in cards.items()}, drawn_as


def _fleet_key(inst: Instance) -> tuple[object, ...]:
    """What instances of one card share: what they are and how the network treats them."""
    groups = tuple(sorted(inst.security_group_ids))
    return (
        inst.subnet_id,
        inst.group,
        groups,
        inst.has_public_ip,
        inst.instance_type,
        inst.platform,
        bool(inst.ipv6_addresses),
        inst.scaling_group,
    )


def _fleets(instances: Sequence[Instance]) -> dict[str, str]:
    """instance id → its fleet card's id, for every fleet of two or more instances (an
    instance with several network interfaces stays on its own card)."""
    members: dict[tuple[object, ...], list[Instance]] = {}
    for inst in instances:
        if not inst.secondary_interfaces:
            members.setdefault(_fleet_key(inst), []).append(inst)
    drawn_as: dict[str, str] = {}
    names: Counter[str] = Counter()
    for fleet in members.values():
        if len(fleet) < 2:
            continue
        base = f"{FLEET}{fleet[0].subnet_id}:{fleet[0].group or 'instances'}"
        names[base] += 1
        card_id = base if names[base] == 1 else f"{base}#{names[base]}"
        drawn_as.update((inst.id, card_id) for inst in fleet)
    return drawn_as


def _instance_cards(
    instances: Sequence[Instance], drawn_as: dict[str, str]
) -> Iterable[tuple[str, Card]]:
    """(subnet id, card): an instance's own card, or its fleet's where its first member was."""
    counts = Counter(drawn_as.values())
    for inst in instances:
        detail = inst.instance_type or "EC2"
        card_id = drawn_as.get(inst.id)
        if card_id is None:
            yield inst.subnet_id, Card(id=inst.id, kind="instance", label=inst.name, detail=detail)
        elif card_id in counts:
            label = f"{inst.group or 'instances'} · {counts.pop(card_id)} instances"
            yield inst.subnet_id, Card(id=card_id, kind="instance", label=label, detail=detail)


def drawn_flows(flows: Iterable[Flow], drawn_as: dict[str, str]) -> list[Flow]:
    """The flows as drawn: an instance's end moved to its fleet card, repeats dropped (every
    member of a fleet has the same arrows: they behave the same)."""
    if not drawn_as:
        return list(flows)
    seen: dict[tuple[str, str, str], Flow] = {}
    for flow in flows:
        source = drawn_as.get(flow.source_id, flow.source_id)
        destination = drawn_as.get(flow.destination_id, flow.destination_id)
        moved = replace(flow, source_id=source, destination_id=destination)
        seen.setdefault((source, destination, flow.label), moved)
    return list(seen.values())


def _database_cards(arch: Architecture, db: Database) -> list[tuple[str, Card]]:
    """The primary in the group's first subnet; for Multi-AZ the standby in the next AZ."""
    group = arch.find(db.subnet_group_id)
    known = [arch.subnet(i) for i in getattr(group, "subnet_ids", ()) if arch.find(i)]
    if not known:
        return []
    label = f"{db.name} · {db.engine}"
    if not db.multi_az:
        return [(known[0].id, Card(id=db.id, kind="database", label=label, detail="single-AZ"))]
    placed = [(known[0].id, Card(id=db.id, kind="database", label=label, detail="primary"))]
    other = next((sub for sub in known[1:] if sub.az != known[0].az), None)
    if other is not None:
        standby = Card(id=db.id + STANDBY, kind="database", label=label, detail="standby")
        placed.append((other.id, standby))
    return placed
