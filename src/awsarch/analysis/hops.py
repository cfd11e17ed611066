"""The filters a packet meets, one per hop: security groups, network ACLs, fixed facts.

Each hop is a step: given the traffic still wanted, it returns the part it lets through and a
`Hop` that names the resource and the rules that decided, so every verdict explains itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import Literal

from awsarch.analysis.endpoints import Placement
from awsarch.analysis.network import Network, contains
from awsarch.analysis.sets import EPHEMERAL, Interval, IntervalSet, Services, to_cidrs
from awsarch.model import AclEntry, Peer, PortRange, SecurityGroupRule
from awsarch.record import record

Decision = Literal["allow", "partial", "deny", "unknown"]
"""`partial`: the hop lets the traffic through for some connections only (a return rule that
admits part of the client's ephemeral ports). `unknown`: the hop depends on something awsarch
does not model (a transit gateway, a peering, a prefix list's entries): no claim either way."""


@record
class Hop:
    """One component on the path and what it decided, with the rule or route that decided."""

    resource: str
    kind: str
    decision: Decision
    reason: str
    fix: str = ""
    """What would have to change for the traffic to pass (set on a deny)."""


Step = Callable[[Services], tuple[Services, Hop]]


def atom_text(atom: Interval, *, limit: int = 3) -> str:
    cidrs = to_cidrs(IntervalSet.of(atom))
    shown = ", ".join(cidrs[:limit])
    return shown + (f" (+{len(cidrs) - limit} more)" if len(cidrs) > limit else "")


def fixed(hop: Hop) -> Step:
    """A hop that does not depend on ports: it passes everything or nothing."""

    def step(wanted: Services) -> tuple[Services, Hop]:
        return (wanted if hop.decision == "allow" else Services.none()), hop

    return step


# ---- security groups ------------------------------------------------------------------------
# Security groups are stateful and allow-only: traffic passes when any rule of any group on the
# interface allows it, and the response is allowed whatever the rules in the other direction
# (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html). A rule whose
# source or destination is a security group matches the network interfaces in that group, over
# their private addresses only
# (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html).
def _peer_matches(peer: Peer, other: Placement, atom: Interval) -> bool:
    if peer.kind == "cidr":
        return contains(peer.value, atom)
    if peer.kind == "group":
        return not other.is_internet and peer.value in other.group_ids
    # A managed prefix list admits its entries' CIDRs; unread, it is `unknown` when it matters.
    return any(contains(cidr, atom) for cidr in peer.entries or ())


def _rule_text(group_id: str, rule: SecurityGroupRule, *, egress: bool) -> str:
    direction = "egress" if egress else "ingress"
    wanted = " ".join(Services.of(rule.protocol, rule.ports).to_text())
    peer = rule.peer.value
    note = f" ({rule.description})" if rule.description else ""
    return f"{group_id} {direction} {wanted} {'to' if egress else 'from'} {peer}{note}"


def group_step(
    net: Network, holder: Placement, other: Placement, atom: Interval, *, egress: bool
) -> Step:
    """The holder's security groups, egress towards `other` or ingress from it."""

    def step(wanted: Services) -> tuple[Services, Hop]:
        return group_filter(net, holder, other, atom, wanted, egress=egress)

    return step


def group_filter(
    net: Network,
    holder: Placement,
    other: Placement,
    atom: Interval,
    wanted: Services,
    *,
    egress: bool,
) -> tuple[Services, Hop]:
    """As `group_step`, applied: what passes the holder's groups, and the hop that says why."""
    kind = "security-group-egress" if egress else "security-group-ingress"
    if holder.allow_all:
        return wanted, _allow_all_hop(kind)
    key = ("group", holder.group_ids, egress, other.is_internet, other.group_ids, atom, wanted)
    allowed, hop = net.remember(
        key, lambda: _group_decision(net, holder, other, atom, wanted, egress=egress)
    )
    if hop is not None:
        return allowed, hop
    resource = ", ".join(holder.group_ids) or "no security group"
    denial = ("group-denial", resource, kind, wanted, other.label, other.group_ids, atom)
    return allowed, net.remember(
        denial, lambda: _group_denial(resource, kind, wanted, other, atom, egress=egress)
    )


def _group_rules(
    net: Network, group_ids: tuple[str, ...], *, egress: bool
) -> tuple[tuple[Services, Peer, str], ...]:
    """Every rule of the groups in one direction, in order, with its traffic and its text."""

    def compute() -> tuple[tuple[Services, Peer, str], ...]:
        found = []
        for group_id in group_ids:
            group = net.group(group_id)
            for rule in (group.egress if egress else group.ingress) if group else ():
                text = _rule_text(group_id, rule, egress=egress)
                found.append((Services.of(rule.protocol, rule.ports), rule.peer, text))
        return tuple(found)

    return net.remember(("group-rules", group_ids, egress), compute)


@lru_cache(maxsize=2)
def _allow_all_hop(kind: str) -> Hop:
    reason = "a hypothetical interface of the tier whose security group allows everything"
    return Hop(resource="allow-all group", kind=kind, decision="allow", reason=reason)


def _group_decision(
    net: Network,
    holder: Placement,
    other: Placement,
    atom: Interval,
    wanted: Services,
    *,
    egress: bool,
) -> tuple[Services, Hop | None]:
    """What the holder's groups allow, and the allowing hop (None: denied, said per peer)."""
    kind = "security-group-egress" if egress else "security-group-ingress"
    allowed, used = Services.none(), []
    for services, peer, text in _group_rules(net, holder.group_ids, egress=egress):
        matched = wanted & services
        if matched and _peer_matches(peer, other, atom):
            allowed |= matched
            used.append(text)
    resource = ", ".join(holder.group_ids) or "no security group"
    if not allowed:
        unread = [
            f"{text}: {UNREAD[peer.kind]}"
            for services, peer, text in _group_rules(net, holder.group_ids, egress=egress)
            if (peer.kind == "unresolved" or (peer.kind == "prefix-list" and not other.group_ids))
            and peer.entries is None
            and wanted & services
        ]
        if unread:
            return allowed, _unknown_peer(resource, kind, unread)
        return allowed, None
    return allowed, Hop(resource=resource, kind=kind, decision="allow", reason="; ".join(used))


UNREAD = {
    "prefix-list": "the prefix list's entries are not read",
    "unresolved": "its peer is a value known only once deployed",
}
"""Why a rule's peer is not known: a managed prefix list whose entries were not read, or a
template's value that cannot be resolved offline."""


def _unknown_peer(resource: str, kind: str, rules: list[str]) -> Hop:
    """A rule whose peer is not known may admit this address: no claim either way."""
    return Hop(
        resource=resource,
        kind=kind,
        decision="unknown",
        reason=f"{'; '.join(rules)}; so whether it admits this address is not known",
    )


def _group_denial(
    resource: str, kind: str, wanted: Services, other: Placement, atom: Interval, *, egress: bool
) -> Hop:
    direction, side = ("egress", "to") if egress else ("ingress", "from")
    peer = "the internet" if other.is_internet else other.label
    suggested = ", ".join(other.group_ids) if other.group_ids else atom_text(atom)
    return Hop(
        resource=resource,
        kind=kind,
        decision="deny",
        reason=f"no {direction} rule of {resource} allows {wanted} {side} {peer}",
        fix=f"add an {direction} rule to {resource} allowing {wanted} {side} {suggested}",
    )


# ---- network ACLs ---------------------------------------------------------------------------
# A network ACL is stateless: it evaluates its numbered entries lowest first and the first entry
# that matches decides; traffic no entry matches is denied by the final `*` entry
# (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html). Return traffic needs its
# own entry for the client's ephemeral ports
# (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html).
def _first_match(
    entries: list[AclEntry], atom: Interval, wanted: Services
) -> tuple[Services, list[AclEntry], list[AclEntry]]:
    """(allowed, allowing entries, denying entries) after first-match evaluation."""
    remaining, allowed = wanted, Services.none()
    allowing: list[AclEntry] = []
    denying: list[AclEntry] = []
    for entry in entries:
        matched = remaining & Services.of(entry.protocol, entry.ports)
        if not matched or not contains(entry.cidr, atom):
            continue
        if entry.allow:
            allowed |= matched
            allowing.append(entry)
        else:
            denying.append(entry)
        remaining -= matched
    return allowed, allowing, denying


def _entry_text(entry: AclEntry) -> str:
    action = "allows" if entry.allow else "denies"
    side = "to" if entry.egress else "from"
    wanted = " ".join(Services.of(entry.protocol, entry.ports).to_text())
    return f"rule {entry.rule_number} {action} {wanted} {side} {entry.cidr}"


def acl_step(
    net: Network,
    subnet_id: str,
    atom: Interval,
    *,
    egress: bool,
    reply: bool = False,
    client: PortRange = EPHEMERAL,
) -> Step:
    """The subnet's ACL, outbound to `atom` or inbound from it; `reply` checks return traffic,
    which goes back to `client`, the ephemeral ports of whoever opened the connection."""

    def step(wanted: Services) -> tuple[Services, Hop]:
        key = ("acl", subnet_id, atom, egress, reply, client, wanted)
        return net.remember(
            key,
            lambda: _acl_decision(
                net, subnet_id, atom, wanted, egress=egress, reply=reply, client=client
            ),
        )

    return step


def _acl_decision(
    net: Network,
    subnet_id: str,
    atom: Interval,
    wanted: Services,
    *,
    egress: bool,
    reply: bool,
    client: PortRange,
) -> tuple[Services, Hop]:
    kind = (
        "network-acl-return"
        if reply
        else ("network-acl-outbound" if egress else "network-acl-inbound")
    )
    acl = net.acl(subnet_id)
    if acl is None:
        reason = f"{subnet_id} has no network ACL in the model: treated as allow-all"
        return wanted, Hop(resource=subnet_id, kind=kind, decision="allow", reason=reason)
    probe = _ephemeral(wanted, client) if reply else wanted
    allowed, allowing, denying = _first_match(net.acl_entries(acl, egress=egress), atom, probe)
    if reply and allowed:
        missing = (probe - allowed).only(("tcp", "udp"))  # ICMP replies have no client ports
        allowed = wanted.only(allowed.protocols())
        if missing:
            return allowed, _partial_return(acl.id, subnet_id, kind, probe, missing, atom, egress)
    if allowed:
        reason = f"{subnet_id}: " + "; ".join(_entry_text(e) for e in allowing)
        if denying:
            reason += "; but " + "; ".join(_entry_text(e) for e in denying)
        return allowed, Hop(
            resource=acl.id, kind=kind, decision="allow", reason=_label(reason, reply, egress)
        )
    hop = _acl_denial(acl.id, kind, probe, atom, denying, egress=egress, reply=reply)
    return allowed, replace(hop, reason=f"{subnet_id}: {hop.reason}")


def _ephemeral(wanted: Services, client: PortRange) -> Services:
    """Replies go to the client's ephemeral ports (ICMP replies: any type)."""
    probe = Services.none()
    for protocol in wanted.protocols():
        probe |= Services.of(protocol, None if protocol == "icmp" else client)
    return probe


def _partial_return(
    acl_id: str,
    subnet_id: str,
    kind: str,
    probe: Services,
    missing: Services,
    atom: Interval,
    egress: bool,
) -> Hop:
    """Only some connections get their replies: those whose client port the ACL admits. The
    client picks its port at random from its whole range, so the rest fail now and then."""
    direction, side = ("outbound", "to") if egress else ("inbound", "from")
    peer = atom_text(atom)
    return Hop(
        resource=acl_id,
        kind=kind,
        decision="partial",
        reason=(
            f"{subnet_id}: return traffic {side} {peer} is admitted on only part of the client's"
            f" ephemeral ports {probe}: not on {missing}, so some connections fail"
        ),
        fix=f"allow {direction} {probe} {side} {peer} in {acl_id}",
    )


def _label(reason: str, reply: bool, egress: bool) -> str:
    if not reply:
        return reason
    return f"return traffic {'out' if egress else 'in'} on ephemeral ports: {reason}"


def _acl_denial(
    acl_id: str,
    kind: str,
    probe: Services,
    atom: Interval,
    denying: list[AclEntry],
    *,
    egress: bool,
    reply: bool,
) -> Hop:
    direction, side = ("outbound", "to") if egress else ("inbound", "from")
    peer = atom_text(atom)
    what = f"{'return traffic ' if reply else ''}{probe} {side} {peer}"
    if denying:
        first = denying[0]
        reason = f"{_entry_text(first)} (first match) for {what}"
        fix = (
            f"add an {direction} allow entry to {acl_id} for {probe} {side} {peer}"
            f" numbered below {first.rule_number}"
        )
    else:
        reason = f"no {direction} entry of {acl_id} matches {what}: the final * entry denies it"
        fix = f"add an {direction} allow entry to {acl_id} for {probe} {side} {peer}"
    return Hop(resource=acl_id, kind=kind, decision="deny", reason=reason, fix=fix)


def same_subnet_hop(net: Network, subnet_id: str) -> Hop:
    """Traffic between interfaces of one subnet never crosses the subnet's network ACL."""
    acl = net.acl(subnet_id)
    return Hop(
        resource=acl.id if acl else subnet_id,
        kind="network-acl",
        decision="allow",
        reason=(
            f"both ends are in {subnet_id}: a network ACL filters only traffic entering"
            " or leaving a subnet"
        ),
    )


def public_address_hop(placement: Placement, *, ipv6: bool = False) -> Hop:
    """Internet traffic needs a public address: over IPv4 one auto-assigned or an Elastic IP;
    over IPv6 any address of the interface, since a VPC's IPv6 blocks are globally unique and
    public by nature (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html)."""
    resource = placement.members[0] if placement.members else placement.subnet_id
    if ipv6:
        return _ipv6_address_hop(placement, resource)
    if placement.public:
        return Hop(
            resource=resource,
            kind="public-address",
            decision="allow",
            reason=placement.public_reason,
        )
    fix = {
        "database": (
            "set publicly_accessible and place the database in subnets routed to an"
            " internet gateway"
        ),
        "tier": f"make {placement.subnet_id} assign public IPs (map_public_ip)",
        "load-balancer": (
            f"make {resource} internet-facing, in subnets routed to an internet gateway"
        ),
    }.get(placement.kind, f"give {resource} a public IP or an Elastic IP")
    return Hop(
        resource=resource,
        kind="public-address",
        decision="deny",
        reason=placement.public_reason,
        fix=fix,
    )


def _ipv6_address_hop(placement: Placement, resource: str) -> Hop:
    if placement.ipv6:
        reason = f"{resource} has an IPv6 address from {placement.subnet_id}: public by nature"
        return Hop(resource=resource, kind="public-address", decision="allow", reason=reason)
    return Hop(
        resource=resource,
        kind="public-address",
        decision="deny",
        reason=f"{resource} has no IPv6 address",
        fix=f"assign {resource} an IPv6 address from {placement.subnet_id}'s IPv6 block",
    )
