"""What goes where in a VPC's grid, before any pixel: AZ columns, tier rows, cards per subnet.

A Multi-AZ database is drawn twice, in the first two AZs of its DB subnet group: the primary and
the standby (RDS keeps the standby in a different AZ; it serves no traffic until a failover).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from awsarch.model import Architecture, Database, Subnet, Vpc
from awsarch.render.diagram_spans import Span, plan_spans
from awsarch.render.diagram_style import KIND_RANK

STANDBY = "#standby"
"""Suffix of the standby's box id: the primary's box id is the database's own id."""


@dataclass(frozen=True, kw_only=True)
class Card:
    id: str
    kind: str
    label: str
    detail: str
    variant: str = ""


@dataclass(frozen=True, kw_only=True)
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
    return VpcPlan(
        vpc=vpc,
        columns=columns,
        rows=len(rows),
        cells=cells,
        cards=_cards(arch, subnets),
        spans=plan_spans(arch, cells),
    )


def _tier(subnet: Subnet) -> str:
    return subnet.tier or subnet.kind


def _cards(arch: Architecture, subnets: list[Subnet]) -> dict[str, tuple[Card, ...]]:
    cards: dict[str, list[Card]] = {sub.id: [] for sub in subnets}
    for nat in arch.nat_gateways:
        if nat.subnet_id in cards:
            detail = "Elastic IP" if nat.has_public_ip else "no Elastic IP"
            cards[nat.subnet_id].append(
                Card(id=nat.id, kind="nat", label=f"NAT {nat.name}", detail=detail)
            )
    for inst in arch.instances:
        if inst.subnet_id in cards:
            cards[inst.subnet_id].append(
                Card(
                    id=inst.id, kind="instance", label=inst.name, detail=inst.instance_type or "EC2"
                )
            )
    for db in arch.databases:
        for subnet_id, card in _database_cards(arch, db):
            if subnet_id in cards:
                cards[subnet_id].append(card)
    return {key: tuple(value) for key, value in cards.items()}


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
