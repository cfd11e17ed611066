"""A VPC's default security group comes with AWS's default rules.

AWS: "inbound: allows all traffic from network interfaces assigned to the same security group;
outbound: allows all outbound IPv4 traffic" —
https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
moto creates the group with the outbound rule only.
"""

from __future__ import annotations

import contextlib
from typing import Any

from awsarch.adapters.emulator.behaviours.backends import ec2_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, Clock


class DefaultSecurityGroupRules(Behaviour):
    name = "default_security_group_rules"
    services = frozenset({"ec2"})

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self._given: set[str] = set()
        """Default groups that got their rules (once: a user may revoke them later)."""

    def after(self, call: Call, answer: Answer) -> Answer:
        backend = ec2_backend(call.region)
        with self.lock:
            for group in list(_default_groups(backend)):
                if group.id not in self._given:
                    self._given.add(group.id)
                    _allow_from_itself(backend, group)
        return answer


def _allow_from_itself(backend: Any, group: Any) -> None:
    from moto.ec2.exceptions import InvalidPermissionDuplicateError

    with contextlib.suppress(InvalidPermissionDuplicateError):  # moto already has it
        backend.authorize_security_group_ingress(
            group.id,
            "-1",
            None,
            None,
            [],
            source_groups=[{"GroupId": group.id}],
            vpc_id=group.vpc_id,
        )


def _default_groups(backend: Any) -> list[Any]:
    groups = getattr(backend, "groups", {})
    return [g for per_vpc in groups.values() for g in per_vpc.values() if g.is_default]
