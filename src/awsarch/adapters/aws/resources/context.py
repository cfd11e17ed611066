"""What every resource handler needs: the AWS seam, the stack, and the logical → AWS id registry."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from awsarch.adapters.aws.errors import AwsError, error_code
from awsarch.adapters.aws.session import AwsSession, mapped_errors

T = TypeVar("T")

STACK_TAG = "awsarch:stack"
NAME_TAG = "awsarch:name"

NOT_YET_VISIBLE = frozenset(
    {
        "InvalidVpcID.NotFound",
        "InvalidSubnetID.NotFound",
        "InvalidGroup.NotFound",
        "InvalidRouteTableID.NotFound",
        "InvalidInternetGatewayID.NotFound",
        "InvalidNatGatewayID.NotFound",
        "InvalidAllocationID.NotFound",
        "InvalidInstanceID.NotFound",
        "InvalidNetworkAclID.NotFound",
        "NoSuchEntity",
        "DBSubnetGroupNotFoundFault",
        "InvalidParameterValue",
    }
)
"""Codes AWS returns for a resource created a moment ago and not yet visible everywhere
(eventual consistency). `InvalidParameterValue` covers a fresh instance profile
(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency)."""
NOT_YET_FREE = frozenset(
    {
        "DependencyViolation",
        "InvalidDBSubnetGroupStateFault",
        "InvalidIPAddress.InUse",
        "InvalidDBInstanceState",
        "ResourceInUse",
        "ScalingActivityInProgress",
    }
)
"""Codes AWS returns while something being deleted still holds a resource: a deleting database
keeps its network interfaces in its subnets and groups, a terminating instance its interface, a
deleting NAT gateway its Elastic IP (https://docs.aws.amazon.com/vpc/latest/userguide/delete-vpc.html),
a load balancer's listener the target group it forwards to, an Auto Scaling group's scaling
activity the group.
They clear by themselves: retried until `retry_deadline`."""
NOT_YET_FREE_BY_OPERATION = {"ec2:ReleaseAddress": frozenset({"AuthFailure"})}
"""ReleaseAddress of a NAT gateway's Elastic IP answers AuthFailure until the NAT is gone: not a
credentials problem there."""


def transient(exc: AwsError) -> bool:
    """An error that clears by itself: not yet visible, or not yet free."""
    code = error_code(exc)
    by_operation = NOT_YET_FREE_BY_OPERATION.get(exc.operation, frozenset())
    return code in NOT_YET_VISIBLE or code in NOT_YET_FREE or code in by_operation


@dataclass(kw_only=True)
class ApplyContext:
    session: AwsSession
    stack: str
    waiter_delay: float = 15
    """Seconds between a waiter's polls (AWS's defaults are 15-30 s; the emulator needs 1)."""
    retry_delays: tuple[float, ...] = (1, 2, 4, 8, 15)
    """Backoff for eventual consistency (the last step repeats while the deadline allows);
    the tests inject zeros."""
    retry_deadline: float = 600.0
    """Seconds of backoff after which a resource still not visible, or still held by something
    being deleted, is an error (AWS deletes a Multi-AZ database in minutes)."""
    sleep: Callable[[float], None] = time.sleep
    ids: dict[str, str] = field(default_factory=dict)
    announce: Callable[[str], None] = lambda message: None
    """Tells the user about a step they must know of (deletion protection turned off)."""
    unprotect: bool = False
    """May turn a database's deletion protection off to delete it: only `down` says so."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def remember(self, logical: str, aws_id: str) -> None:
        with self._lock:
            self.ids[logical] = aws_id

    def resolve(self, logical: str) -> str:
        """The AWS id of a resource this run created or found; its logical id if unknown."""
        with self._lock:
            return self.ids.get(logical, logical)

    def owns(self, aws_id: str) -> bool:
        """Whether an AWS id is one of the stack's resources (found, or created by this run)."""
        with self._lock:
            return aws_id in self.ids.values()

    def forget(self, logical: str) -> None:
        with self._lock:
            self.ids.pop(logical, None)

    def tags(self, logical: str, **extra: str) -> list[dict[str, str]]:
        base = {
            STACK_TAG: self.stack,
            NAME_TAG: logical,
            "Name": f"{self.stack}-{logical.split('/', 1)[1]}",
        }
        return [{"Key": k, "Value": v} for k, v in {**base, **extra}.items()]

    def tag_spec(self, resource_type: str, logical: str, **extra: str) -> list[dict[str, Any]]:
        return [{"ResourceType": resource_type, "Tags": self.tags(logical, **extra)}]

    def call(self, service: str, operation: str, **params: Any) -> dict[str, Any]:
        """An API call, retried while the resources it names are not yet visible, or still
        held by something AWS is deleting."""
        return self.eventually(lambda: self.session.call(service, operation, **params))

    def eventually(self, attempt: Callable[[], T]) -> T:
        """`attempt()`, retried with backoff on the transient codes, until `retry_deadline`
        seconds of backoff; once past it, the last error is raised."""
        waited = 0.0
        for step in itertools.count():
            try:
                return attempt()
            except AwsError as exc:
                if not transient(exc):
                    raise
                delay = self.retry_delays[min(step, len(self.retry_delays) - 1)]
                if step >= len(self.retry_delays) and (
                    delay <= 0 or waited + delay > self.retry_deadline
                ):
                    raise
                waited += delay
                self.sleep(delay)
        raise AssertionError("unreachable")

    def wait(self, service: str, waiter: str, **params: Any) -> None:
        """AWS's own waiter (no sleep loops of ours), polling every `waiter_delay` seconds."""
        client = self.session.client(service)
        with mapped_errors(f"{service}:wait:{waiter}"):
            client.get_waiter(waiter).wait(
                **params, WaiterConfig={"Delay": self.waiter_delay, "MaxAttempts": 240}
            )

    def wait_for(self, service: str, name: str, model: dict[str, Any], **params: Any) -> None:
        """A waiter botocore does not ship, run by botocore's waiter machinery: `model` is
        one waiter of a waiters-2 document (operation and acceptors)."""
        from botocore.waiter import (  # type: ignore[import-untyped]
            WaiterModel,
            create_waiter_with_client,
        )

        client = self.session.client(service)
        config = {**model, "delay": self.waiter_delay, "maxAttempts": 240}
        waiter_model = WaiterModel({"version": 2, "waiters": {name: config}})
        with mapped_errors(f"{service}:wait:{name}"):
            create_waiter_with_client(name, waiter_model, client).wait(**params)

    def stack_filters(self, logical: str) -> list[dict[str, Any]]:
        return [
            {"Name": f"tag:{STACK_TAG}", "Values": [self.stack]},
            {"Name": f"tag:{NAME_TAG}", "Values": [logical]},
        ]
