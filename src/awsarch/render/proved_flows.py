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
from dataclasses import dataclass, field

from awsarch.analysis import Endpoint, Network, Placement, Services, Verdict, reach_endpoints
from awsarch.analysis import resolve as resolve_endpoint
from awsarch.analysis.endpoints import classes, instance_placements
from awsarch.model import Architecture, Instance, Subnet
from awsarch.render.balanced_flows import balancer_flows
from awsarch.render.flow import EVERY_PORT, INTERNET, Flow

__all__ = ["ports_label", "proved_flows"]


def proved_flows(arch: Architecture) -> list[Flow]:
    """Internet → servers, internet → load balancers → targets, servers → databases, subnets →
    NAT → internet, in model order."""
    proofs = _Proofs(Network(arch))
    internet = resolve_endpoint(arch, INTERNET)
    flows = _into_servers(arch, proofs, internet)
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


@dataclass
class _Proofs:
    """One proof per class of instances, not one per instance.

    Interfaces with the same subnet, groups and public address behave the same in every proof
    (analysis/endpoints.py), so an instance whose interfaces are of the same classes as
    another's gets the other's verdict. An instance with secondary interfaces is proved on its
    own: which member sits in which class decides its alternatives (verdict.alternatives).
    `_prove` is the one place the diagram asks the engine about instances: the call site to
    switch to the engine's own per-class verdicts.
    """

    net: Network
    _seen: dict[tuple[object, ...], Outcome] = field(default_factory=dict)
    _keys: dict[str, tuple[object, ...]] = field(default_factory=dict)

    def into(self, source: Endpoint, instance: Instance) -> Outcome:
        """Traffic from an endpoint (the internet) to the instance."""
        return self._outcome(instance, ("into", source.name), lambda own: (source, own))

    def out_to(self, instance: Instance, destination: Endpoint) -> Outcome:
        """Traffic from the instance to an endpoint (a database)."""
        return self._outcome(instance, ("to", destination.name), lambda own: (own, destination))

    def _outcome(self, instance: Instance, other: tuple[str, str], ends: Ends) -> Outcome:
        key = (*other, *self._class_key(instance))
        found = None if instance.secondary_interfaces else self._seen.get(key)
        if found is None:
            found = self._seen[key] = _prove(self.net, *ends(_single(instance)))
        return found

    def _class_key(self, instance: Instance) -> tuple[object, ...]:
        key = self._keys.get(instance.id)
        if key is None:
            key = self._keys[instance.id] = tuple(p.key() for p in instance_placements(instance))
        return key


def _prove(net: Network, source: Endpoint, destination: Endpoint) -> Outcome:
    verdict = reach_endpoints(net, source, destination)
    return verdict.verdict, verdict.reachable, ports_label(verdict.reachable)


def _single(instance: Instance) -> Endpoint:
    """The instance as an endpoint, every interface of it: what `resolve` gives for its id,
    without a search through every server group's name first."""
    placements = classes(instance_placements(instance))
    return Endpoint(name=instance.id, kind="servers", placements=placements)


def _into_servers(arch: Architecture, proofs: _Proofs, internet: Endpoint) -> list[Flow]:
    flows = []
    for instance in arch.instances:
        _, reachable, label = proofs.into(internet, instance)
        if reachable:
            flows.append(Flow(source_id=INTERNET, destination_id=instance.id, label=label))
    return flows


def _to_databases(arch: Architecture, proofs: _Proofs) -> list[Flow]:
    """A server → a database when some traffic gets through to every placement of it."""
    flows = []
    for db in arch.databases:
        target = resolve_endpoint(arch, db.id)
        for instance in arch.instances:
            verdict, _, label = proofs.out_to(instance, target)
            if verdict == "reachable":
                flows.append(Flow(source_id=instance.id, destination_id=db.id, label=label))
    return flows


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
