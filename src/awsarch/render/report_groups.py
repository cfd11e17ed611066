"""The report's security groups: each group's members and rules, as the blueprint names them.

Pure data, no markup. A rule's peer is the name people wrote: a CIDR as is, another group by
its name ("web", not "sg-0abc…"), a prefix list by its name.
"""

from __future__ import annotations

from awsarch.model import Architecture, SecurityGroup, SecurityGroupRule
from awsarch.record import record


@record
class RuleRow:
    direction: str
    """inbound or outbound."""
    protocol: str
    ports: str
    peer: str
    description: str = ""


@record
class GroupRow:
    name: str
    members: tuple[str, ...]
    """The names of the instances, databases and load balancers it is attached to."""
    rules: tuple[RuleRow, ...]
    description: str = ""


def group_rows(arch: Architecture) -> tuple[GroupRow, ...]:
    """Every group with members or rules (a VPC's unused default group is left out)."""
    rows = []
    for group in arch.security_groups:
        members = _members(arch, group.id)
        rules = _rules(arch, group)
        if members or rules:
            rows.append(
                GroupRow(
                    name=group.name,
                    members=members,
                    rules=rules,
                    description=group.description,
                )
            )
    return tuple(rows)


def _members(arch: Architecture, group_id: str) -> tuple[str, ...]:
    names = [m.name for m in arch.members_of(group_id)]
    names += [lb.name for lb in arch.load_balancers if group_id in lb.security_group_ids]
    return tuple(names)


def _rules(arch: Architecture, group: SecurityGroup) -> tuple[RuleRow, ...]:
    return tuple(
        _rule(arch, direction, rule)
        for direction, rules in (("inbound", group.ingress), ("outbound", group.egress))
        for rule in rules
    )


def _rule(arch: Architecture, direction: str, rule: SecurityGroupRule) -> RuleRow:
    every = rule.protocol not in ("tcp", "udp") or str(rule.ports) == "all"
    return RuleRow(
        direction=direction,
        protocol="all" if rule.protocol in ("-1", "all") else rule.protocol,
        ports="all" if every else str(rule.ports),
        peer=_peer(arch, rule),
        description=rule.description,
    )


def _peer(arch: Architecture, rule: SecurityGroupRule) -> str:
    """A CIDR as written; a group or prefix list by its name (its id when it is not known)."""
    if rule.peer.kind == "cidr":
        return rule.peer.value
    named = arch.find(rule.peer.value)
    name = getattr(named, "name", "") or rule.peer.value
    kinds = {"group": "group", "prefix-list": "prefix list"}
    return f"{kinds.get(rule.peer.kind, rule.peer.kind)} {name}"
