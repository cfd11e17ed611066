"""An `up` that fails part-way, at an action chosen at random, converges when it is run again.

The fault is an exception raised inside one resource handler: before its first change, between
two of its changes, or after its last change (the resource exists but the run never recorded it).
The re-run must find what the broken run made, by its tags, and neither duplicate nor orphan it.
"""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest

from awsarch.adapters.aws.resources import HANDLERS
from awsarch.adapters.aws.resources.base import Handler
from awsarch.adapters.aws.resources.context import ApplyContext
from awsarch.adapters.aws.session import AwsSession
from awsarch.deploy.plan import Action
from tests.deploy.census import assert_converged, seed_names, take
from tests.deploy.conftest import awsarch

READ_ONLY = ("describe_", "get_", "list_")
MAX_CHANGES = 4
"""The handler fails after 0..MAX_CHANGES of its own changing API calls (more than most make,
so some faults land after the handler's last change)."""


class InjectedFault(RuntimeError):
    pass


class Fault:
    """Fails the action `key` after it made `changes` changing API calls (in its own thread)."""

    def __init__(self, key: str, changes: int) -> None:
        self.key = key
        self.changes = changes
        self.fired = False
        self._armed = threading.local()

    def wrap(self, handler: Handler) -> Handler:
        fault = self

        class Faulty(Handler):
            def apply(self, ctx: ApplyContext, action: Action) -> None:
                if action.key != fault.key:
                    handler.apply(ctx, action)
                    return
                fault._armed.left = fault.changes
                try:
                    handler.apply(ctx, action)
                    fault.fire()  # every change made, none of it recorded by the run
                finally:
                    fault._armed.left = None

        return Faulty()

    def before_call(self, operation: str) -> None:
        left = getattr(self._armed, "left", None)
        if left is None or operation.startswith(READ_ONLY):
            return
        if left == 0:
            self.fire()
        self._armed.left = left - 1

    def fire(self) -> None:
        self.fired = True
        raise InjectedFault(f"injected fault in {self.key}")


def _inject(monkeypatch: pytest.MonkeyPatch, fault: Fault) -> None:
    for resource_type, handler in list(HANDLERS.items()):
        monkeypatch.setitem(HANDLERS, resource_type, fault.wrap(handler))
    real_call = AwsSession.call

    def call(self: AwsSession, service: str, operation: str, **params: Any) -> dict[str, Any]:
        fault.before_call(operation)
        return real_call(self, service, operation, **params)

    monkeypatch.setattr(AwsSession, "call", call)


def _first_plan_keys(blueprint: str, endpoint: str) -> list[str]:
    """The actions a first `up` takes, as `plan --live` lists them (`create vpc/main`, …)."""
    result = awsarch("plan", blueprint, "--live", endpoint=endpoint)
    assert result.exit_code == 0, result.output
    keys = [line.strip()[2:].split()[:2] for line in result.output.splitlines()]
    found = [f"{k[0]} {k[1]}" for k in keys if len(k) == 2 and k[0] in {"create", "grant"}]
    assert len(found) >= len(seed_names()) - 1, result.output  # the EIP has no action
    return found


@pytest.mark.parametrize(
    "seed", [0, *(pytest.param(s, marks=pytest.mark.soak) for s in range(1, 8))]
)
def test_up_stopped_at_a_random_action_converges_on_rerun(
    seed: int, endpoint: str, blueprint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever action an `up` dies in, the next `up` finishes the job: one of each resource,
    nothing orphaned, and a third `up` has nothing to do."""
    chooser = random.Random(seed)
    keys = _first_plan_keys(blueprint, endpoint)
    fault = Fault(chooser.choice(keys), chooser.randint(0, MAX_CHANGES))

    with monkeypatch.context() as patch:
        _inject(patch, fault)
        broken = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert fault.fired, f"the fault in {fault.key} never fired"
    assert broken.exit_code == 1, broken.output
    assert f"{fault.key} failed: injected fault" in broken.output
    assert "run `awsarch up` again" in broken.output

    again = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert again.exit_code == 0, f"after a fault in {fault.key}:\n{again.output}"
    assert_converged(endpoint)
    assert "no changes" in awsarch("up", blueprint, "--yes", endpoint=endpoint).output


def test_down_after_an_up_stopped_before_the_database_leaves_nothing(
    endpoint: str, blueprint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`down` after an `up` that died before creating the database removes everything tagged,
    the database's subnet group included."""
    with monkeypatch.context() as patch:
        _inject(patch, Fault("create db/main", 0))
        assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 1
    down = awsarch("down", blueprint, "--yes", endpoint=endpoint)
    assert down.exit_code == 0, down.output
    assert take(endpoint).total == 0, take(endpoint)
