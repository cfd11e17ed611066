"""An instance stops and terminates asynchronously, as EC2 documents it.

- Terminating: `shutting-down`, then `terminated`; until then its network interface stays in its
  subnet and security groups (DeleteSubnet / DeleteSecurityGroup answer `DependencyViolation`)
  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/terminating-instances.html
- A stopped instance has no public IPv4 address: the auto-assigned one is released when it stops
  and a new one is assigned when it starts
  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses
moto terminates at once and keeps the public address of a stopped instance.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.behaviours.backends import ec2_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, Clock, ec2_error
from awsarch.record import record

AWS_SECONDS = 60.0
"""How long an instance takes to shut down and release its network interface."""


@record
class Terminating:
    instance: Any
    subnets: frozenset[str]
    groups: frozenset[str]
    deadline: float


class InstanceLifecycle(Behaviour):
    name = "instance_lifecycle"
    services = frozenset({"ec2"})

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self._terminating: dict[str, Terminating] = {}
        self._pending: dict[str, Terminating] = {}

    def before(self, call: Call) -> Answer | None:
        self._settle()
        if call.action == "TerminateInstances":
            self._remember_interfaces(call.region, call.listed("InstanceId"))
        with self.lock:
            lingering = list(self._terminating.values())
        subnet, group = call.params.get("SubnetId"), call.params.get("GroupId")
        for gone in lingering:
            if call.action == "DeleteSubnet" and subnet in gone.subnets:
                return ec2_error(
                    "DependencyViolation",
                    f"The subnet '{subnet}' has dependencies and cannot be deleted.",
                )
            if call.action == "DeleteSecurityGroup" and group in gone.groups:
                return ec2_error("DependencyViolation", f"resource {group} has a dependent object")
        return None

    def after(self, call: Call, answer: Answer) -> Answer:
        ids = call.listed("InstanceId")
        if call.action == "TerminateInstances":
            self._shutting_down(call.region, ids)
        elif call.action == "StopInstances":
            for instance in _instances(call.region, ids):
                _set_public_ip(instance, None)
        elif call.action == "StartInstances":
            for instance in _instances(call.region, ids):
                if instance.associate_public_ip:
                    _set_public_ip(instance, _new_public_ip())
        return answer

    def _remember_interfaces(self, region: str, ids: list[str]) -> None:
        """Where each instance's interfaces are, read before moto detaches them."""
        for instance in _instances(region, ids):
            nics = list(instance.nics.values())
            with self.lock:
                if instance.id not in self._terminating:
                    self._pending[instance.id] = Terminating(
                        instance=instance,
                        subnets=frozenset(n.subnet.id for n in nics if n.subnet is not None),
                        groups=frozenset(g.id for n in nics for g in n.group_set),
                        deadline=self.clock.after(AWS_SECONDS),
                    )

    def _shutting_down(self, region: str, ids: list[str]) -> None:
        with self.lock:
            for instance_id in ids:
                record = self._pending.pop(instance_id, None)
                if record is not None:
                    self._terminating[instance_id] = record
                    record.instance._state.name, record.instance._state.code = "shutting-down", 32

    def _settle(self) -> None:
        with self.lock:
            for instance_id, gone in list(self._terminating.items()):
                if self.clock.passed(gone.deadline):
                    gone.instance._state.name, gone.instance._state.code = "terminated", 48
                    del self._terminating[instance_id]


def _instances(region: str, ids: list[str]) -> list[Any]:
    backend = ec2_backend(region)
    return [i for r in backend.reservations.values() for i in r.instances if i.id in ids]


def _set_public_ip(instance: Any, address: str | None) -> None:
    nic = instance.nics.get(0)
    if nic is not None:
        nic.public_ip = address


def _new_public_ip() -> str:
    from moto.ec2.utils import random_public_ip

    return str(random_public_ip())
