"""`down --engine cloudformation` lifts the deletion protection the template set, after the
question, as the direct engine's `down` does.

DeleteStack does not lift it: a protected database fails to delete ("Cannot delete protected DB
Instance, please disable deletion protection and try again",
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html) and so does a
protected load balancer
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#deletion-protection),
and the stack ends DELETE_FAILED. The database's final snapshot still comes from its
DeletionPolicy.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.aws.session import AwsSession

DATABASE = "AWS::RDS::DBInstance"
LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer"


def lift_deletion_protection(session: AwsSession, owned: list[dict[str, Any]]) -> list[str]:
    """Turn protection off on the stack's databases and load balancers; what was lifted."""
    lifted = []
    for resource in owned:
        physical = str(resource.get("PhysicalResourceId") or "")
        if not physical:
            continue
        if resource["ResourceType"] == DATABASE and _database_protected(session, physical):
            session.call(
                "rds",
                "modify_db_instance",
                DBInstanceIdentifier=physical,
                DeletionProtection=False,
                ApplyImmediately=True,
            )
            lifted.append(f"database {physical}")
        elif resource["ResourceType"] == LOAD_BALANCER:
            session.call(
                "elbv2",
                "modify_load_balancer_attributes",
                LoadBalancerArn=physical,
                Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}],
            )
            lifted.append(f"load balancer {physical.rsplit('/', 2)[-2]}")
    return lifted


def _database_protected(session: AwsSession, identifier: str) -> bool:
    found = session.call("rds", "describe_db_instances", DBInstanceIdentifier=identifier)
    return any(db.get("DeletionProtection") for db in found.get("DBInstances", []))
