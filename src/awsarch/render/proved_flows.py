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

from awsarch.analysis import Endpoint, Network, Placement, Services, Verdict, reach_endpoints
from awsarch.analysis import resolve as resolve_endpoint
from awsarch.model import Architecture, Subnet
from awsarch.render.balanced_flows import balancer_flows
from awsarch.render.flow import EVERY_PORT, INTERNET, Flow

__all__ = ["ports_label", "proved_flows"]


def proved_flows(arch: Architecture) -> list[Flow]:
    """Internet → servers, internet → load balancers → targets, servers → databases, subnets →
    NAT → internet, in model order."""
    net = Network(arch)
    internet = resolve_endpoint(arch, INTERNET)
    flows = _into_servers(arch, net, internet)
    flows += balancer_flows(arch)
    flows += _to_databases(arch, net)
    flows += _out_through_nat(arch, net, internet)
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


def _single(arch: Architecture, resource_id: str) -> Endpoint:
    return resolve_endpoint(arch, resource_id)


def _into_servers(arch: Architecture, net: Network, internet: Endpoint) -> list[Flow]:
    flows = []
    for instance in arch.instances:
        verdict = reach_endpoints(net, internet, _single(arch, instance.id))
        if verdict.reachable:
            label = ports_label(verdict.reachable)
            flows.append(Flow(source_id=INTERNET, destination_id=instance.id, label=label))
    return flows


def _to_databases(arch: Architecture, net: Network) -> list[Flow]:
    """A server → a database when some traffic gets through to every placement of it."""
    flows = []
    for db in arch.databases:
        target = _single(arch, db.id)
        for instance in arch.instances:
            verdict = reach_endpoints(net, _single(arch, instance.id), target)
            if verdict.verdict == "reachable":
                label = ports_label(verdict.reachable)
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
