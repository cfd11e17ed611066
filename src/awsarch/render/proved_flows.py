"""The diagram's arrows as the reachability engine proves them, not as the model intends them.

Pure. `flows_from_model` reads the rules people wrote; these flows are what survives every hop
(security groups, network ACLs both ways, routes, gateways, public addresses), so a diagram drawn
from them never shows an arrow that the network would drop:

- the internet → each server, on the ports that get through to it;
- each server → each database it reaches, on those ports (every placement: primary and standby);
- each subnet whose traffic to the internet leaves through a NAT gateway → that NAT → the internet;
- the internet → each load balancer → its targets, read from the load balancer's structure
  (`balanced_flows`: listeners, its groups, the target groups), as the proofs do not cover load
  balancers yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from awsarch.analysis import Endpoint, Network, Placement, Services, Verdict, reach_endpoints
from awsarch.analysis import resolve as resolve_endpoint
from awsarch.analysis.endpoints import classes, instance_placements
from awsarch.model import Architecture, Database, Instance, SecurityGroup, Subnet
from awsarch.render.balanced_flows import balancer_flows
from awsarch.render.flow import EVERY_PORT, INTERNET, Flow

__all__ = ["ports_label", "proved_flows"]


def proved_flows(arch: Architecture) -> list[Flow]:
    """Internet → servers, internet → load balancers → targets, servers → databases, subnets →
    NAT → internet, in model order."""
    proofs = _Proofs.of(arch)
    internet = resolve_endpoint(arch, INTERNET)
    flows = _into_servers(proofs, internet)
    flows += balancer_flows(arch)
    flows += _to_databases(arch, proofs)
    flows += _out_through_nat(arch, proofs.net, internet)
    return flows


def ports_label(services: Services) -> str:
    """What an arrow says: "80, 443" for TCP alone, "udp 53" otherwise, "all ports" for all."""
    if services == Services.every():
        return EVERY_PORT
    parts = []
    for text in services.to_text():
        protocol, _, ports = text.partition("/")
        ports = "all ports" if ports == "all" else ports.replace(",", ", ")
        only_tcp = services.protocols() == ("tcp",)
        parts.append(ports if only_tcp else f"{protocol} {ports}".strip())
    return "; ".join(parts)


Outcome = tuple[str, Services, str]
"""What an arrow needs from a verdict: its name (reachable, …), the traffic that gets through
and the arrow's label for it."""
Ends = Callable[[Endpoint], tuple[Endpoint, Endpoint]]
"""The two ends of a proof, given the instance's own endpoint."""
Arrow = Callable[[Instance, str], Flow]
"""The arrow drawn for an instance of a class the proof finds reachable, with its label."""
Admits = Callable[[Instance], bool]
"""False only when no proof for the instance's class could find the traffic allowed."""


@dataclass
class _Proofs:
    """One proof per class of instances, not one per instance.

    Interfaces with the same subnet, groups and public address behave the same in every proof
    (analysis/endpoints.py), so instances whose interfaces are of the same classes get one
    verdict. An instance with secondary interfaces is a class of its own: which member sits in
    which class decides its alternatives (verdict.alternatives). `_prove` is the one place the
    diagram asks the engine about instances: the call site to switch to the engine's own
    per-class verdicts.
    """

    net: Network
    classes: list[list[tuple[int, Instance]]]
    """Instances (with their index in the model) by class, in model order within each."""

    @staticmethod
    def of(arch: Architecture) -> _Proofs:
        found: dict[tuple[object, ...], list[tuple[int, Instance]]] = {}
        for index, inst in enumerate(arch.instances):
            key = (inst.id,) if inst.secondary_interfaces else _class_key(inst)
            found.setdefault(key, []).append((index, inst))
        return _Proofs(Network(arch), list(found.values()))

    def flows(
        self, ends: Ends, arrow: Arrow, *, every: bool, admitted: Admits = lambda _: True
    ) -> list[Flow]:
        """An arrow for each instance whose class the proof finds reachable (with `every`, for
        every placement pair), in model order; classes that `admitted` rules out unproved."""
        hits: list[tuple[int, Flow]] = []
        for members in self.classes:
            if not admitted(members[0][1]):
                continue
            verdict, reachable, label = _prove(self.net, *ends(_single(members[0][1])))
            if (verdict == "reachable") if every else bool(reachable):
                hits += [(index, arrow(inst, label)) for index, inst in members]
        return [flow for _, flow in sorted(hits, key=lambda hit: hit[0])]


def _class_key(instance: Instance) -> tuple[object, ...]:
    return tuple(p.key() for p in instance_placements(instance))


def _prove(net: Network, source: Endpoint, destination: Endpoint) -> Outcome:
    verdict = reach_endpoints(net, source, destination)
    return verdict.verdict, verdict.reachable, ports_label(verdict.reachable)


def _single(instance: Instance) -> Endpoint:
    """The instance as an endpoint, every interface of it: what `resolve` gives for its id,
    without a search through every server group's name first."""
    placements = classes(instance_placements(instance))
    return Endpoint(name=instance.id, kind="servers", placements=placements)


def _into_servers(proofs: _Proofs, internet: Endpoint) -> list[Flow]:
    return proofs.flows(
        lambda own: (internet, own),
        lambda inst, label: Flow(source_id=INTERNET, destination_id=inst.id, label=label),
        every=False,
    )


def _to_databases(arch: Architecture, proofs: _Proofs) -> list[Flow]:
    """A server → a database when some traffic gets through to every placement of it."""
    return [flow for db in arch.databases for flow in _to_database(arch, proofs, db)]


def _to_database(arch: Architecture, proofs: _Proofs, db: Database) -> list[Flow]:
    target = resolve_endpoint(arch, db.id)
    return proofs.flows(
        lambda own: (own, target),
        lambda inst, label: Flow(source_id=inst.id, destination_id=db.id, label=label),
        every=True,
        admitted=_admits(arch, db),
    )


def _admits(arch: Architecture, db: Database) -> Admits:
    """Whether the database's groups could admit an instance at all, read from their rules
    alone: an inbound rule admits an address range, a prefix list, or the members of the group
    it names (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html).
    When every rule names a group the instance is not in, the proof would stop at the
    database's security-group hop, so it is not run: only the instances that could get an
    arrow are proved, not every instance against every database."""
    named: set[str] = set()
    for group_id in db.security_group_ids:
        group = arch.find(group_id)
        for rule in group.ingress if isinstance(group, SecurityGroup) else ():
            if rule.peer.kind != "group":
                return lambda _: True
            named.add(rule.peer.value)
    return lambda inst: any(inst.in_group(group_id) for group_id in named)


def _subnet_endpoint(subnet: Subnet) -> Endpoint:
    """Any interface in the subnet whose group allows everything: what the network lets out."""
    placement = Placement(
        kind="tier",
        subnet_id=subnet.id,
        allow_all=True,
        public=subnet.map_public_ip,
        public_reason=f"{subnet.id} {'assigns' if subnet.map_public_ip else 'assigns no'} "
        "public IP",
        members=(f"subnet {subnet.id}",),
    )
    return Endpoint(name=subnet.id, kind="tier", placements=(placement,))


def _nat_of(verdict: Verdict) -> str | None:
    """The NAT gateway a reachable path to the internet went through, if any."""
    for path in verdict.paths:
        if not path.reachable:
            continue
        for hop in path.hops:
            if hop.kind == "nat-gateway" and hop.decision == "allow":
                return hop.resource
    return None


def _out_through_nat(arch: Architecture, net: Network, internet: Endpoint) -> list[Flow]:
    flows: list[Flow] = []
    leaving: dict[str, Services] = {}
    for subnet in arch.subnets:
        verdict = reach_endpoints(net, _subnet_endpoint(subnet), internet)
        nat_id = _nat_of(verdict)
        if nat_id is None or arch.find(nat_id) is None:
            continue
        label = ports_label(verdict.reachable)
        flows.append(Flow(source_id=subnet.id, destination_id=nat_id, label=label))
        leaving[nat_id] = leaving.get(nat_id, Services.none()) | verdict.reachable
    for nat_id, services in leaving.items():
        flows.append(Flow(source_id=nat_id, destination_id=INTERNET, label=ports_label(services)))
    return flows
