"""`--format json` for the verbs that change a stack: one JSON object per line on stdout.

Progress events stream as they happen and a final summary object closes the run; in that mode
everything written for people (the target, the lock, questions' context) goes to stderr, so
stdout is JSON only. The objects are described in the README ("Machine output").
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from awsarch.render.changes import field_line

if TYPE_CHECKING:
    from awsarch.adapters.aws.apply import Event
    from awsarch.deploy.plan import Action, Plan

SCHEMA = 1
"""Bumped only when a field changes meaning or goes away (fields may be added)."""


class JsonStream:
    """Writes one compact JSON object per line to the stdout it was made with."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._lock = threading.Lock()

    def emit(self, kind: str, **fields: Any) -> None:
        line = json.dumps({"type": kind, "schema": SCHEMA, **fields}, sort_keys=True, default=str)
        with self._lock:
            self._out.write(line + "\n")
            self._out.flush()

    def __call__(self, event: Event) -> None:
        """An apply's progress event: `start`, `done` or `failed` of one action."""
        fields: dict[str, Any] = {"action": event.action.key}
        if event.kind != "start":
            fields["seconds"] = round(event.seconds, 3)
        if event.error:
            fields["error"] = event.error
        self.emit("failed" if event.kind == "fail" else event.kind, **fields)

    def note(self, message: str) -> None:
        self.emit("note", message=message)

    def close(self) -> None:
        """Nothing to tidy (the text display clears its status line here)."""


@contextlib.contextmanager
def json_stdout(output_format: str) -> Iterator[JsonStream | None]:
    """With `json`, a stream on the real stdout while everything else printed goes to stderr."""
    if output_format != "json":
        yield None
        return
    stream = JsonStream(sys.stdout)
    with contextlib.redirect_stdout(sys.stderr):
        yield stream


def action_data(action: Action) -> dict[str, Any]:
    """One action as JSON: what happens to which resource, why, and what it waits for."""
    change = action.change
    return {
        "key": action.key,
        "action": change.kind,
        "resource": change.logical_id,
        "resource_type": change.resource_type,
        "follow_up": action.follow_up,
        "reason": change.reason,
        "changes": [field_line(f) for f in change.fields] if not action.follow_up else [],
        "depends_on": list(action.depends_on),
        "destroys_data": change.destroys_data,
        "snapshot": action.snapshot,
    }


def plan_data(plan: Plan) -> dict[str, Any]:
    """The plan's actions in order and its totals (resources, as the text's last line)."""
    return {
        "actions": [action_data(a) for a in plan.actions],
        "totals": plan.totals(),
        "changes": not plan.empty,
    }
