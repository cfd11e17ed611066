"""A security group that another group's rule names cannot be deleted.

AWS: "You can't delete a security group that is referenced by a rule in another security group"
— DeleteSecurityGroup answers `DependencyViolation`
(https://docs.aws.amazon.com/vpc/latest/userguide/deleting-security-groups.html). moto deletes it
and leaves the other group's rule naming a group that no longer exists.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.behaviours.backends import ec2_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, ec2_error


class SecurityGroupReferences(Behaviour):
    name = "security_group_references"
    services = frozenset({"ec2"})

    def before(self, call: Call) -> Answer | None:
        group_id = call.params.get("GroupId", "")
        if call.action != "DeleteSecurityGroup" or not group_id:
            return None
        for group in _groups(ec2_backend(call.region)):
            if group.id != group_id and _names(group, group_id):
                return ec2_error(
                    "DependencyViolation", f"resource {group_id} has a dependent object"
                )
        return None


def _groups(backend: Any) -> list[Any]:
    return [g for per_vpc in backend.groups.values() for g in per_vpc.values()]


def _names(group: Any, group_id: str) -> bool:
    rules = [*group.ingress_rules, *group.egress_rules]
    return any((r.source_group or {}).get("GroupId") == group_id for r in rules)
