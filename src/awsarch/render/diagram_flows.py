"""The arrows of the diagram: allowed flows, each from a source to a destination with its ports.

A diagram draws whatever flows it is given, so proved flows from the reachability engine can
replace these. `flows_from_model` derives the flows the architecture means to allow, straight
from the model:

- the internet → an instance with a public address in a subnet routed to an attached internet
  gateway, on the ports its groups open to 0.0.0.0/0 (interface by interface);
- the internet → a load balancer → its targets (`balanced_flows`);
- an instance → a database, on the ports the database's groups open to a group it is in
  (a group reference matches every member of the group: symbolic membership);
- a subnet whose route table sends 0.0.0.0/0 to a NAT gateway → that NAT → the internet.
"""

from __future__ import annotations

from awsarch.model import Architecture, Database, Instance, SecurityGroupRule
from awsarch.render.balanced_flows import balancer_flows
from awsarch.render.flow import EVERY_PORT, INTERNET, Flow

__all__ = ["EVERY_PORT", "INTERNET", "Flow", "flows_from_model"]


def flows_from_model(arch: Architecture) -> list[Flow]:
    """Internet → web, internet → load balancer → targets, web → database, private subnets →
    NAT → internet, in model order."""
    flows = [f for inst in arch.instances for f in _from_internet(arch, inst)]
    flows += balancer_flows(arch)
    flows += [f for db in arch.databases for f in _to_database(arch, db)]
    flows += _through_nat(arch)
    return flows


def _ports(rules: list[SecurityGroupRule]) -> str:
    """Ports of the rules, in order, without repeats: "80, 443"; "all ports" for any port."""
    texts: list[str] = []
    for rule in rules:
        text = str(rule.ports) if rule.protocol in ("tcp", "udp") else rule.protocol
        if rule.protocol == "udp":
            text = f"udp {text}"
        if text not in texts:
            texts.append(text)
    return EVERY_PORT if "all" in texts else ", ".join(texts)


def _from_internet(arch: Architecture, inst: Instance) -> list[Flow]:
    """Through each interface with a public address in a routed subnet (the primary one is the
    instance's own fields), on the ports its own groups open to 0.0.0.0/0."""
    faces = [(inst.has_public_ip, inst.subnet_id, inst.security_group_ids)]
    faces += [
        (n.has_public_ip, n.subnet_id, n.security_group_ids) for n in inst.secondary_interfaces
    ]
    rules = [
        rule
        for public, subnet_id, group_ids in faces
        if public
        and arch.find(subnet_id) is not None
        and arch.routes_to_internet_gateway(subnet_id)
        for group_id in group_ids
        if arch.find(group_id) is not None
        for rule in arch.security_group(group_id).ingress
        if rule.peer.kind == "cidr" and rule.peer.value == "0.0.0.0/0"
    ]
    if not rules:
        return []
    return [Flow(source_id=INTERNET, destination_id=inst.id, label=_ports(rules))]


def _to_database(arch: Architecture, db: Database) -> list[Flow]:
    by_source: dict[str, list[SecurityGroupRule]] = {}
    for group_id in db.security_group_ids:
        if arch.find(group_id) is None:
            continue
        for rule in arch.security_group(group_id).ingress:
            if rule.peer.kind != "group":
                continue
            for member in arch.members_of(rule.peer.value):
                if isinstance(member, Instance):
                    by_source.setdefault(member.id, []).append(rule)
    ordered = [inst.id for inst in arch.instances if inst.id in by_source]
    return [Flow(source_id=i, destination_id=db.id, label=_ports(by_source[i])) for i in ordered]


def _through_nat(arch: Architecture) -> list[Flow]:
    nats = {nat.id: nat for nat in arch.nat_gateways}
    flows = [
        Flow(source_id=subnet.id, destination_id=nat_id, label=EVERY_PORT)
        for subnet in arch.subnets
        for nat_id in _default_nats(arch, subnet.id)
        if nat_id in nats
    ]
    used = dict.fromkeys(flow.destination_id for flow in flows)
    for nat_id in used:
        nat = nats[nat_id]
        placed = arch.find(nat.subnet_id) is not None
        if nat.has_public_ip and placed and arch.routes_to_internet_gateway(nat.subnet_id):
            flows.append(Flow(source_id=nat_id, destination_id=INTERNET, label=EVERY_PORT))
    return flows


def _default_nats(arch: Architecture, subnet_id: str) -> list[str]:
    """The NAT gateways the subnet's route table sends 0.0.0.0/0 to."""
    table = arch.route_table_of(subnet_id)
    routes = table.routes if table is not None else ()
    return [
        r.target_id for r in routes if r.destination == "0.0.0.0/0" and r.target == "nat-gateway"
    ]
