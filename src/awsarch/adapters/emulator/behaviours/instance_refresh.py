"""An instance refresh replaces an Auto Scaling group's instances with ones launched from its
launch template as it is now, and reports its progress until it is done.

StartInstanceRefresh answers the refresh's id, or `InstanceRefreshInProgress` while another
refresh of the group runs; DescribeInstanceRefreshes lists them, newest first, `InProgress`
then `Successful`
(https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html,
https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html).
moto (5.2.5) implements neither call. Here the instances are replaced at once (AWS replaces
them a batch at a time, keeping `MinHealthyPercentage` in service); the refresh reports
`InProgress` until its emulated duration has passed.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, Clock, query_error
from awsarch.record import record

AWS_SECONDS = 120.0
"""How long a refresh of a small group takes (instance warm-up included)."""
NAMESPACE = "http://autoscaling.amazonaws.com/doc/2011-01-01/"


@record
class Refresh:
    id: str
    group: str
    started: str
    deadline: float


class InstanceRefresh(Behaviour):
    name = "instance_refresh"
    services = frozenset({"autoscaling"})

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self._refreshes: list[Refresh] = []

    def serial(self, call: Call) -> bool:
        return call.action == "StartInstanceRefresh"

    def before(self, call: Call) -> Answer | None:
        if call.action == "StartInstanceRefresh":
            return self._start(call)
        if call.action == "DescribeInstanceRefreshes":
            return self._describe(call)
        return None

    def _start(self, call: Call) -> Answer:
        name = call.params.get("AutoScalingGroupName", "")
        group = _backend(call.region).autoscaling_groups.get(name)
        if group is None:
            return query_error("ValidationError", f"AutoScalingGroup name not found - {name}")
        with self.lock:
            if any(r.group == name and not self.clock.passed(r.deadline) for r in self._refreshes):
                return query_error(
                    "InstanceRefreshInProgress",
                    f"An Instance Refresh is already in progress and blocks the execution of"
                    f" this Instance Refresh for {name}.",
                )
            refresh = Refresh(
                id=str(uuid.uuid4()),
                group=name,
                started=_now(),
                deadline=self.clock.after(AWS_SECONDS),
            )
            self._refreshes.insert(0, refresh)
        _replace_instances(group)
        body = (
            f'<StartInstanceRefreshResponse xmlns="{NAMESPACE}"><StartInstanceRefreshResult>'
            f"<InstanceRefreshId>{refresh.id}</InstanceRefreshId></StartInstanceRefreshResult>"
            "<ResponseMetadata><RequestId>awsarch-emulator</RequestId></ResponseMetadata>"
            "</StartInstanceRefreshResponse>"
        )
        return Answer(status=200, body=body.encode())

    def _describe(self, call: Call) -> Answer:
        name = call.params.get("AutoScalingGroupName", "")
        with self.lock:
            found = [r for r in self._refreshes if r.group == name]
        members = "".join(self._member(r) for r in found)
        body = (
            f'<DescribeInstanceRefreshesResponse xmlns="{NAMESPACE}">'
            f"<DescribeInstanceRefreshesResult><InstanceRefreshes>{members}</InstanceRefreshes>"
            "</DescribeInstanceRefreshesResult>"
            "<ResponseMetadata><RequestId>awsarch-emulator</RequestId></ResponseMetadata>"
            "</DescribeInstanceRefreshesResponse>"
        )
        return Answer(status=200, body=body.encode())

    def _member(self, refresh: Refresh) -> str:
        done = self.clock.passed(refresh.deadline)
        return (
            f"<member><InstanceRefreshId>{refresh.id}</InstanceRefreshId>"
            f"<AutoScalingGroupName>{refresh.group}</AutoScalingGroupName>"
            f"<Status>{'Successful' if done else 'InProgress'}</Status>"
            f"<StartTime>{refresh.started}</StartTime>"
            f"<PercentageComplete>{100 if done else 0}</PercentageComplete></member>"
        )


def _backend(region: str) -> Any:
    from moto.autoscaling.models import autoscaling_backends

    from awsarch.adapters.emulator.layer import ACCOUNT_ID

    return autoscaling_backends[ACCOUNT_ID][region]


def _replace_instances(group: Any) -> None:
    """Every instance of the group terminated and launched again from the template's version
    the group names, with the group's desired capacity unchanged."""
    desired = group.desired_capacity
    group.set_desired_capacity(0)
    group.set_desired_capacity(desired)


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
