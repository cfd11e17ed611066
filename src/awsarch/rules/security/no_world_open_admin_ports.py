"""SEC004: no security group opens SSH, RDP or a database port to the whole internet."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from awsarch.model import Architecture, Path, SecurityGroup
from awsarch.rules.base import Rule, at

RISKY_PORTS = {
    22: "SSH",
    3389: "RDP",
    3306: "MySQL",
    5432: "PostgreSQL",
    1433: "SQL Server",
    1521: "Oracle",
    27017: "MongoDB",
    6379: "Redis",
}
WORLD_V4 = ipaddress.IPv4Network("0.0.0.0/0")
WORLD_V6 = ipaddress.IPv6Network("::/0")


def _whole_internet(cidrs: list[str]) -> bool:
    """The blocks together cover every IPv4 or every IPv6 address (0.0.0.0/1 + 128.0.0.0/1 do)."""
    networks = [ipaddress.ip_network(cidr, strict=False) for cidr in cidrs]
    v4 = [n for n in networks if isinstance(n, ipaddress.IPv4Network)]
    v6 = [n for n in networks if isinstance(n, ipaddress.IPv6Network)]
    return list(ipaddress.collapse_addresses(v4)) == [WORLD_V4] or list(
        ipaddress.collapse_addresses(v6)
    ) == [WORLD_V6]


def _open_ports(group: SecurityGroup, ports: dict[int, str]) -> list[str]:
    """The risky ports that the group's ingress rules open to the whole internet."""
    opened = []
    for port, name in sorted(ports.items()):
        cidrs = [
            rule.peer.value
            for rule in group.ingress
            if rule.peer.kind == "cidr"
            and rule.protocol in ("tcp", "all")
            and rule.ports.first <= port <= rule.ports.last
        ]
        if cidrs and _whole_internet(cidrs):
            opened.append(f"{name} ({port})")
    return opened


def _path(arch: Architecture, group: SecurityGroup) -> Path:
    """A database's group comes from its allow_cidrs; any other group from its own origin."""
    owner = next((db for db in arch.databases if group.id in db.security_group_ids), None)
    return at(arch, owner.id, "allow_cidrs") if owner else at(arch, group.id)


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    ports = dict(RISKY_PORTS)
    ports.update({db.port: f"{db.engine} database" for db in arch.databases})
    for group in arch.security_groups:
        opened = _open_ports(group, ports)
        if opened:
            yield (
                group.id,
                f"security group {group.name} opens {', '.join(opened)} to the whole internet"
                " — remove the rule; use Session Manager for shells and security-group"
                " references for databases",
                _path(arch, group),
            )


RULE = Rule(
    id="SEC004",
    title="No security group opens SSH, RDP or a database port to the world",
    rationale=(
        "Internet-wide scanners find open admin and database ports within minutes; port"
        " ranges, all-protocol rules and CIDRs that add up to the whole internet count too."
    ),
    severity="error",
    check=check,
    fix=(
        "Remove the rule; reach shells through Session Manager and databases through "
        "security-group references."
    ),
    docs="https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
)
