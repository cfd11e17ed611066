"""A database is deleted asynchronously and keeps its network interfaces until it is gone.

While RDS deletes a DB instance (`deleting`, many minutes for Multi-AZ) its network interfaces
stay in the subnets of its subnet group and in its security groups, so DeleteSubnet and
DeleteSecurityGroup answer `DependencyViolation` and DeleteDBSubnetGroup answers
`InvalidDBSubnetGroupStateFault` until it is gone
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html,
https://docs.aws.amazon.com/vpc/latest/userguide/delete-vpc.html). moto forgets it at once.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.behaviours.backends import rds_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, Clock, ec2_error, query_error
from awsarch.record import record

AWS_SECONDS = 300.0
"""How long AWS takes to delete a database (minutes; more with Multi-AZ)."""


@record
class Deleting:
    database: Any
    region: str
    subnets: frozenset[str]
    groups: frozenset[str]
    subnet_group: str
    deadline: float


class DatabaseDeletion(Behaviour):
    name = "database_deletion"
    services = frozenset({"ec2", "rds"})

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self._deleting: dict[str, Deleting] = {}
        self._about_to_go: dict[str, Any] = {}

    def before(self, call: Call) -> Answer | None:
        self._settle()
        if call.service == "rds" and call.action == "DeleteDBInstance":
            identifier = call.params.get("DBInstanceIdentifier", "")
            if identifier in self._deleting:
                return query_error(
                    "InvalidDBInstanceState", f"Instance {identifier} is already being deleted."
                )
            with self.lock:
                self._about_to_go[identifier] = rds_backend(call.region).databases.get(identifier)
        with self.lock:
            deleting = list(self._deleting.values())
        for gone in deleting:
            refused = _refusal(call, gone)
            if refused is not None:
                return refused
        return None

    def after(self, call: Call, answer: Answer) -> Answer:
        if call.service != "rds" or call.action != "DeleteDBInstance":
            return answer
        identifier = call.params.get("DBInstanceIdentifier", "")
        with self.lock:
            before = self._about_to_go.pop(identifier, None)
        database = self._ghost(call.region, identifier, before)
        if database is not None:
            group = getattr(database, "db_subnet_group", None)
            with self.lock:
                self._deleting[identifier] = Deleting(
                    database=database,
                    region=call.region,
                    subnets=frozenset(s.id for s in getattr(group, "_subnets", [])),
                    groups=frozenset(database.vpc_security_group_ids or []),
                    subnet_group=getattr(group, "name", "") or "",
                    deadline=self.clock.after(AWS_SECONDS),
                )
        return answer

    def _ghost(self, region: str, identifier: str, database: Any) -> Any:
        """Put the database moto just forgot back, `deleting`, until AWS would be done."""
        if database is None:
            return None
        database.status = "deleting"
        rds_backend(region).databases[identifier] = database
        return database

    def _settle(self) -> None:
        with self.lock:
            for identifier, gone in list(self._deleting.items()):
                if self.clock.passed(gone.deadline):
                    backend = rds_backend(gone.region)
                    if backend.databases.get(identifier) is gone.database:
                        del backend.databases[identifier]
                    del self._deleting[identifier]


def _refusal(call: Call, gone: Deleting) -> Answer | None:
    params = call.params
    if call.region != gone.region:
        return None
    if call.action == "DeleteSubnet" and params.get("SubnetId") in gone.subnets:
        return ec2_error(
            "DependencyViolation",
            f"The subnet '{params['SubnetId']}' has dependencies and cannot be deleted.",
        )
    if call.action == "DeleteSecurityGroup" and params.get("GroupId") in gone.groups:
        return ec2_error(
            "DependencyViolation", f"resource {params['GroupId']} has a dependent object"
        )
    if (
        call.action == "DeleteDBSubnetGroup"
        and params.get("DBSubnetGroupName") == gone.subnet_group
    ):
        return query_error(
            "InvalidDBSubnetGroupStateFault",
            f"Cannot delete the subnet group '{gone.subnet_group}' because at least one database"
            f" instance: {gone.database.db_instance_identifier} is still using it.",
        )
    return None
