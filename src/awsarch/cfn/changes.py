"""A change set as a plan people read, and a stack's events as progress: pure functions over
CloudFormation's own answers (DescribeChangeSet, DescribeStackEvents)."""

from __future__ import annotations

from typing import Any

DATA_HOLDING = frozenset({"AWS::RDS::DBInstance", "AWS::EC2::Instance"})
"""Resources whose replacement loses what is on them (the database's rows, the server's disk)."""
EMPTY_REASONS = ("didn't contain changes", "No updates are to be performed")
"""How CloudFormation says a change set has nothing to do
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets-create.html)."""
MARKS = {"Add": "+", "Modify": "~", "Remove": "-", "Import": "<", "Dynamic": "?"}
WORDS = {"Add": "create", "Modify": "update", "Remove": "delete", "Import": "import"}
"""CloudFormation's actions in the direct engine's words (`+ create`, `~ update`, `- delete`)."""
KINDS = ("create", "update", "replace", "delete")


def is_empty(description: dict[str, Any]) -> bool:
    """Whether a change set has nothing to do (FAILED with CloudFormation's reason, or none)."""
    reason = str(description.get("StatusReason") or "")
    if description.get("Status") == "FAILED":
        return any(r in reason for r in EMPTY_REASONS)
    return not description.get("Changes")


def replaces_data(change: dict[str, Any]) -> bool:
    """A data-holding resource that this change replaces (or may: `Conditional`)."""
    rc = change.get("ResourceChange", {})
    return rc.get("ResourceType") in DATA_HOLDING and rc.get("Replacement") in (
        "True",
        "Conditional",
    )


def change_lines(description: dict[str, Any]) -> list[str]:
    """One line per change: action, logical id, type, and the replacement shouted for data."""
    lines = []
    for change in description.get("Changes", []):
        rc = change.get("ResourceChange", {})
        action = rc.get("Action", "?")
        what = f"{rc.get('LogicalResourceId')} ({rc.get('ResourceType')})"
        line = f"  {MARKS.get(action, '?')} {_word(change)} {what}"
        if replaces_data(change):
            line += (
                f" — REPLACEMENT: {rc['Replacement'].upper()}: its data is lost unless snapshotted"
            )
        elif rc.get("Replacement") in ("True", "Conditional"):
            line += f" (Replacement: {rc['Replacement']})"
        lines.append(line)
    return lines


def totals_line(description: dict[str, Any]) -> str:
    """`plan: 21 to create, 0 to update, 0 to replace, 0 to delete`, as the direct engine
    counts (a certain replacement counts as one; a conditional one stays an update)."""
    words = [_word(c) for c in description.get("Changes", [])]
    return "plan: " + ", ".join(f"{words.count(kind)} to {kind}" for kind in KINDS)


def _word(change: dict[str, Any]) -> str:
    rc = change.get("ResourceChange", {})
    if rc.get("Action") == "Modify" and rc.get("Replacement") == "True":
        return "replace"
    return WORDS.get(rc.get("Action", ""), str(rc.get("Action", "?")).lower())


def data_warnings(description: dict[str, Any]) -> list[str]:
    """The shout under the plan: which data-holding resources would be replaced."""
    replaced = [
        c["ResourceChange"]["LogicalResourceId"]
        for c in description.get("Changes", [])
        if replaces_data(c)
    ]
    if not replaced:
        return []
    return [
        f"WARNING: this change set REPLACES {', '.join(replaced)}: a replaced database keeps a"
        " final snapshot (UpdateReplacePolicy: Snapshot); a replaced server's disk is gone"
    ]


def event_line(event: dict[str, Any]) -> str:
    reason = f": {event['ResourceStatusReason']}" if event.get("ResourceStatusReason") else ""
    return (
        f"  {event.get('ResourceStatus')} {event.get('LogicalResourceId')}"
        f" ({event.get('ResourceType')}){reason}"
    )


def failed_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events that say why a stack rolled back (their status ends in FAILED)."""
    return [e for e in events if str(e.get("ResourceStatus", "")).endswith("FAILED")]


def finished(status: str) -> bool:
    """A stack status CloudFormation stays in until the next operation
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html)."""
    return status.endswith(("_COMPLETE", "_FAILED")) and not status.endswith("_IN_PROGRESS")


def rolled_back(status: str) -> bool:
    return "ROLLBACK" in status or status.endswith("FAILED")
