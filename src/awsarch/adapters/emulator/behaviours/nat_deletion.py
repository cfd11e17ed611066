"""A NAT gateway is deleted asynchronously and keeps its Elastic IP until it is gone.

https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html ("Delete a NAT
gateway": it goes to `deleting`, then `deleted`, and only then is its Elastic IP disassociated
and can be released). Releasing the address before that fails; AWS answers `AuthFailure` ("You do
not have permission to access the specified resource"), a well-known surprise. moto deletes at once.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.behaviours.backends import ec2_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, Clock, ec2_error

AWS_SECONDS = 60.0
"""How long AWS takes to delete a NAT gateway (about a minute)."""


class NatDeletion(Behaviour):
    name = "nat_deletion"
    services = frozenset({"ec2"})

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self._deleting: dict[str, tuple[Any, float]] = {}
        """NAT id → (the NAT, when AWS will have deleted it)."""

    def before(self, call: Call) -> Answer | None:
        self._settle()
        if call.action == "ReleaseAddress":
            allocation = call.params.get("AllocationId", "")
            with self.lock:
                held = [n for n, _ in self._deleting.values() if allocation in _allocations(n)]
            if held:
                return ec2_error(
                    "AuthFailure", "You do not have permission to access the specified resource."
                )
        return None

    def after(self, call: Call, answer: Answer) -> Answer:
        if call.action == "DeleteNatGateway":
            nat_id = call.params.get("NatGatewayId", "")
            nat = ec2_backend(call.region).nat_gateways.get(nat_id)
            if nat is not None:
                nat.state = "deleting"
                with self.lock:
                    self._deleting[nat_id] = (nat, self.clock.after(AWS_SECONDS))
        return answer

    def _settle(self) -> None:
        with self.lock:
            for nat_id, (nat, deadline) in list(self._deleting.items()):
                if self.clock.passed(deadline):
                    nat.state = "deleted"
                    del self._deleting[nat_id]


def _allocations(nat: Any) -> set[str]:
    return {a.get("allocationId", "") for a in nat.address_set}
