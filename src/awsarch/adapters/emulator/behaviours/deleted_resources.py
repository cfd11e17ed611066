"""What EC2 deletes is forgotten: at once for most resources, after about an hour for
terminated instances and deleted NAT gateways. A deleted resource's tags go with it.

- "Terminated instances remain visible after termination (for approximately one hour)"
  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html
  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/terminating-instances.html
- A deleted NAT gateway "remains visible in the console for about an hour, after which it's
  automatically removed" https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html
- Deleting a VPC deletes its main route table, default security group and default network ACL
  https://docs.aws.amazon.com/vpc/latest/userguide/delete-vpc.html
- DescribeTags lists the tags of resources that exist
  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTags.html

moto keeps every terminated instance, every deleted NAT gateway, every deleted VPC's default
network ACL and the tags of every resource it ever deleted, and scans all of them on each
filtered describe: on one long-lived emulator, each `up`/`down` cycle was slower than the one
before (7.5 s, 21.7 s, 54 s, 105 s for a 10× blueprint).
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.behaviours.backends import ec2_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, Clock
from awsarch.record import record

AWS_SECONDS = 3600.0
"""How long a terminated instance or a deleted NAT gateway stays visible."""

DELETED_AT_ONCE = {
    "DeleteVpc": "VpcId",
    "DeleteSubnet": "SubnetId",
    "DeleteSecurityGroup": "GroupId",
    "DeleteRouteTable": "RouteTableId",
    "DeleteInternetGateway": "InternetGatewayId",
    "DeleteEgressOnlyInternetGateway": "EgressOnlyInternetGatewayId",
    "DeleteNetworkAcl": "NetworkAclId",
    "DeleteNetworkInterface": "NetworkInterfaceId",
    "DeleteVolume": "VolumeId",
    "DeleteLaunchTemplate": "LaunchTemplateId",
    "DeleteKeyPair": "KeyPairId",
    "DeleteManagedPrefixList": "PrefixListId",
    "ReleaseAddress": "AllocationId",
}
"""Deleting actions → the parameter naming what is gone once they succeed."""

TAKEN_ALONG = ("rtb", "sg", "acl", "vol")
"""Kinds that go with another resource (a VPC's main route table, default group and ACL with the
VPC; a root volume with its instance), deleted by no call of their own."""
TAKES_ALONG = frozenset({"DeleteVpc", "TerminateInstances"})


@record
class Gone:
    kind: str
    """"instance" or "nat"."""
    region: str
    deadline: float


class DeletedResources(Behaviour):
    name = "deleted_resources"
    services = frozenset({"ec2"})

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self._fading: dict[str, Gone] = {}
        """Resource id → when AWS stops showing it."""

    def before(self, call: Call) -> Answer | None:
        self._forget_expired()
        return None

    def after(self, call: Call, answer: Answer) -> Answer:
        region = call.region
        if call.action == "DeleteVpc":
            _drop_network_acls(ec2_backend(region), call.params.get("VpcId", ""))
        if call.action in TAKES_ALONG:
            _drop_orphan_tags(ec2_backend(region))
        if call.action == "TerminateInstances":
            self._fade("instance", region, call.listed("InstanceId"))
        elif call.action == "DeleteNatGateway":
            self._fade("nat", region, [call.params.get("NatGatewayId", "")])
        elif call.action in DELETED_AT_ONCE:
            resource = call.params.get(DELETED_AT_ONCE[call.action], "")
            if resource:
                ec2_backend(region).tags.pop(resource, None)
        return answer

    def _fade(self, kind: str, region: str, ids: list[str]) -> None:
        deadline = self.clock.after(AWS_SECONDS)
        with self.lock:
            for resource in ids:
                self._fading.setdefault(resource, Gone(kind=kind, region=region, deadline=deadline))

    def _forget_expired(self) -> None:
        with self.lock:
            expired = [(r, g) for r, g in self._fading.items() if self.clock.passed(g.deadline)]
            for resource, _ in expired:
                del self._fading[resource]
        for region in {g.region for _, g in expired}:
            backend = ec2_backend(region)
            here = {r: g.kind for r, g in expired if g.region == region}
            _drop_instances(backend, {r for r, kind in here.items() if kind == "instance"})
            for resource, kind in here.items():
                nat = backend.nat_gateways.get(resource) if kind == "nat" else None
                if getattr(nat, "state", "") == "deleted":
                    del backend.nat_gateways[resource]
                backend.tags.pop(resource, None)


def _drop_instances(backend: Any, ids: set[str]) -> None:
    """Take terminated instances out of their reservations, and emptied reservations away."""
    if not ids:
        return
    for reservation_id, reservation in backend.reservations.copy().items():
        reservation.instances = [
            i for i in reservation.instances if i.id not in ids or i._state.name != "terminated"
        ]
        if not reservation.instances:
            del backend.reservations[reservation_id]


def _drop_network_acls(backend: Any, vpc_id: str) -> None:
    """A VPC's default network ACL goes with it (moto keeps it, in its list of every ACL)."""
    for acl_id, acl in backend.network_acls.copy().items():
        if acl.vpc_id == vpc_id:
            del backend.network_acls[acl_id]


def _drop_orphan_tags(backend: Any) -> None:
    """Tags of resources deleted along with another one. Other requests change these dicts
    meanwhile: each is copied (one step under the GIL) before it is read, the tags first, so a
    resource created meanwhile is seen to exist."""
    tagged = backend.tags.copy()
    groups = backend.groups.copy().values()
    existing = {
        *backend.route_tables.copy(),
        *backend.network_acls.copy(),
        *backend.volumes.copy(),
        *(group_id for vpc in groups for group_id in vpc.copy()),
    }
    for resource in tagged:
        if resource.split("-", 1)[0] in TAKEN_ALONG and resource not in existing:
            backend.tags.pop(resource, None)
