"""Apply a plan: run its actions along the dependency graph, in parallel, through the AWS seam.

Independent actions run at the same time in a bounded pool; an action starts only when every
action it depends on has finished. The first failure stops new actions from starting, lets the
running ones finish, and is raised with what was done, so a second run picks up from there
(every action first looks for its tagged resource, so re-running never duplicates anything).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Literal

from awsarch.adapters.aws.resources import HANDLERS
from awsarch.adapters.aws.resources.context import ApplyContext
from awsarch.deploy.plan import Action, Plan
from awsarch.errors import ToolError
from awsarch.record import record

EventKind = Literal["start", "done", "fail"]


@record
class Event:
    kind: EventKind
    action: Action
    seconds: float = 0.0
    error: str = ""


@dataclass(kw_only=True)
class ApplyResult:
    done: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class ApplyError(ToolError):
    """An action failed; the message names it, and says that running again resumes."""

    def __init__(self, result: ApplyResult, verb: str = "up") -> None:
        self.result = result
        key, error = result.failed[0]
        super().__init__(
            f"{key} failed: {error} — {len(result.done)} action(s) done; fix the cause and run"
            f" `awsarch {verb}` again: it resumes where this stopped"
        )


def apply_plan(
    plan: Plan,
    context: ApplyContext,
    *,
    on_event: Callable[[Event], None] = lambda event: None,
    max_workers: int = 8,
    verb: str = "up",
) -> ApplyResult:
    """Run every action; raise ApplyError (naming `verb` to run again) after the first failure
    (running ones finish)."""
    result = ApplyResult()
    pending = {a.key: a for a in plan.actions}
    planned = set(pending)
    running: dict[Future[None], tuple[Action, float]] = {}
    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="apply") as pool:
        while pending or running:
            if not result.failed:
                for action in _ready(pending, result.done, planned):
                    del pending[action.key]
                    on_event(Event(kind="start", action=action))
                    running[pool.submit(_run, action, context)] = (action, time.monotonic())
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                action, started = running.pop(future)
                _record(future, action, time.monotonic() - started, result, on_event)
    result.skipped = sorted(pending)
    if result.failed:
        raise ApplyError(result, verb)
    return result


def _ready(pending: dict[str, Action], done: list[str], planned: set[str]) -> list[Action]:
    """Pending actions whose every dependency in this plan has finished."""
    finished = set(done)
    return [
        action
        for action in pending.values()
        if all(dep in finished or dep not in planned for dep in action.depends_on)
    ]


def _run(action: Action, context: ApplyContext) -> None:
    handler = HANDLERS[action.change.resource_type]
    handler.apply(context, action)


def _record(
    future: Future[None],
    action: Action,
    seconds: float,
    result: ApplyResult,
    on_event: Callable[[Event], None],
) -> None:
    error = future.exception()
    if error is None:
        result.done.append(action.key)
        on_event(Event(kind="done", action=action, seconds=seconds))
        return
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    result.failed.append((action.key, message))
    on_event(Event(kind="fail", action=action, seconds=seconds, error=message))
