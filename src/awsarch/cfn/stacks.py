"""CloudFormation stacks through the one AWS seam: change sets, events, protection, deletion.

Every call goes through `AwsSession.call` (errors mapped, calls counted); waiters run inside
`mapped_errors`. Polling for events takes its `sleep` from the caller (tests pass a fast one).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from awsarch.adapters.aws.session import AwsSession, mapped_errors
from awsarch.cfn.changes import finished, is_empty

CAPABILITIES = ["CAPABILITY_NAMED_IAM"]
"""The template names its IAM roles and profiles (under /awsarch/<stack>/)."""


def live_stack(session: AwsSession, name: str) -> dict[str, Any] | None:
    """The stack of that name, or None when there is none (or only a deleted one)."""
    from awsarch.adapters.aws.errors import AwsError

    try:
        stacks = session.call("cloudformation", "describe_stacks", StackName=name)["Stacks"]
    except AwsError as exc:
        if "does not exist" in str(exc):
            return None
        raise
    stack: dict[str, Any] | None = stacks[0] if stacks else None
    if stack is None or stack["StackStatus"] == "DELETE_COMPLETE":
        return None
    return stack


def change_set(
    session: AwsSession,
    stack: str,
    body: str,
    parameters: dict[str, str],
    *,
    name: str,
    delay: float,
) -> dict[str, Any] | None:
    """Create a change set (CREATE for a new stack, UPDATE otherwise) and wait for it; None
    (and the change set deleted) when it has nothing to do."""
    existing = live_stack(session, stack)
    kind = "UPDATE" if existing and existing["StackStatus"] != "REVIEW_IN_PROGRESS" else "CREATE"
    session.call(
        "cloudformation",
        "create_change_set",
        StackName=stack,
        ChangeSetName=name,
        ChangeSetType=kind,
        TemplateBody=body,
        Capabilities=CAPABILITIES,
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
    )
    _wait_change_set(session, stack, name, delay)
    description = describe_change_set(session, stack, name)
    if is_empty(description):
        delete_change_set(session, stack, name)
        return None
    if description.get("Status") == "FAILED":
        from awsarch.errors import ToolError

        raise ToolError(
            f"CloudFormation could not create the change set: {description.get('StatusReason')}"
        )
    return description


def _wait_change_set(session: AwsSession, stack: str, name: str, delay: float) -> None:
    """botocore's `change_set_create_complete` waiter; a FAILED change set is read afterwards."""
    from botocore.exceptions import WaiterError  # type: ignore[import-untyped]

    waiter = session.client("cloudformation").get_waiter("change_set_create_complete")
    try:
        with mapped_errors("cloudformation:DescribeChangeSet"):
            waiter.wait(
                StackName=stack,
                ChangeSetName=name,
                WaiterConfig={"Delay": delay, "MaxAttempts": 120},
            )
    except Exception as exc:  # a FAILED change set ends the waiter: its status says why
        if not isinstance(exc.__cause__, WaiterError):
            raise


def describe_change_set(session: AwsSession, stack: str, name: str) -> dict[str, Any]:
    changes: list[dict[str, Any]] = []
    first: dict[str, Any] = {}
    token: dict[str, str] = {}
    while True:
        page = session.call(
            "cloudformation", "describe_change_set", StackName=stack, ChangeSetName=name, **token
        )
        first = first or page
        changes.extend(page.get("Changes", []))
        if not page.get("NextToken"):
            return {**first, "Changes": changes}
        token = {"NextToken": page["NextToken"]}


def delete_change_set(session: AwsSession, stack: str, name: str) -> None:
    session.call("cloudformation", "delete_change_set", StackName=stack, ChangeSetName=name)
    stack_now = live_stack(session, stack)
    if stack_now and stack_now["StackStatus"] == "REVIEW_IN_PROGRESS":
        session.call("cloudformation", "delete_stack", StackName=stack)


def execute(
    session: AwsSession,
    stack: str,
    name: str,
    *,
    on_event: Callable[[dict[str, Any]], None],
    delay: float,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Execute the change set and report each new stack event until the stack settles; the
    stack as it ended (its status says whether it rolled back)."""
    seen = {e["EventId"] for e in _events(session, stack)}
    session.call("cloudformation", "execute_change_set", StackName=stack, ChangeSetName=name)
    while True:
        for event in reversed(_events(session, stack)):
            if event["EventId"] not in seen:
                seen.add(event["EventId"])
                on_event(event)
        now = live_stack(session, stack)
        if now is None or finished(now["StackStatus"]):
            return now or {"StackStatus": "DELETE_COMPLETE"}
        sleep(delay)


def _events(session: AwsSession, stack: str) -> list[dict[str, Any]]:
    """The stack's events, newest first (the first page is the newest)."""
    page = session.call("cloudformation", "describe_stack_events", StackName=stack)
    events: list[dict[str, Any]] = page.get("StackEvents", [])
    return events


def events(session: AwsSession, stack: str) -> list[dict[str, Any]]:
    return _events(session, stack)


def protect(session: AwsSession, stack: str, on: bool) -> None:
    """Termination protection (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-protect-stacks.html)."""
    session.call(
        "cloudformation",
        "update_termination_protection",
        StackName=stack,
        EnableTerminationProtection=on,
    )


def delete(session: AwsSession, stack: str, *, delay: float) -> None:
    """DeleteStack, then botocore's `stack_delete_complete` waiter."""
    session.call("cloudformation", "delete_stack", StackName=stack)
    waiter = session.client("cloudformation").get_waiter("stack_delete_complete")
    with mapped_errors("cloudformation:DescribeStacks"):
        waiter.wait(StackName=stack, WaiterConfig={"Delay": delay, "MaxAttempts": 720})


def resources(session: AwsSession, stack: str) -> list[dict[str, Any]]:
    pages = session.pages("cloudformation", "list_stack_resources", StackName=stack)
    return [r for page in pages for r in page.get("StackResourceSummaries", [])]
