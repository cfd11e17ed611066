"""Deleting a stack deletes its route tables and routes, as it deletes every other resource.

https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-console-delete-stack.html:
"Deleting a stack deletes all of its resources" (but those with a Retain DeletionPolicy).
moto 5.2.5 has no deletion for `AWS::EC2::RouteTable` and `AWS::EC2::Route`: they stay, the
stack's VPC then cannot be deleted (DependencyViolation) and the deletion fails — for a
StackSet's instance, DeleteStackInstances answers a 500.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.layer import Behaviour, enabled

NAME = "cfn_stack_deletion"


def _delete_route_table(table: Any, account_id: str, region_name: str) -> None:
    from moto.ec2.models import ec2_backends

    if not enabled(NAME):
        raise AttributeError("delete")  # moto's own path: nothing is deleted
    ec2_backends[account_id][region_name].delete_route_table(table.id)


def _delete_route(route: Any, account_id: str, region_name: str) -> None:
    from moto.ec2.models import ec2_backends

    if not enabled(NAME):
        raise AttributeError("delete")
    backend = ec2_backends[account_id][region_name]
    if route.route_table.id in backend.route_tables:
        backend.delete_route(
            route.route_table.id,
            route.destination_cidr_block,
            route.destination_ipv6_cidr_block,
            route.destination_prefix_list.id if route.destination_prefix_list else None,
        )


class CfnStackDeletion(Behaviour):
    name = NAME
    services = frozenset({"cloudformation"})

    def install(self) -> None:
        from moto.ec2.models.route_tables import Route, RouteTable

        RouteTable.delete = _delete_route_table  # type: ignore[attr-defined]
        Route.delete = _delete_route  # type: ignore[attr-defined]
