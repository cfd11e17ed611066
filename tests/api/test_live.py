"""The API reads what is live and plans and applies the change, as `plan --live` and `up` do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import awsarch
from awsarch.adapters.emulator import Emulator
from awsarch.blueprint.seed import seed_text


@pytest.fixture
def endpoint(emulator: Emulator) -> Iterator[str]:
    """The session's emulator, emptied before and after the test."""
    emulator.reset()
    yield emulator.endpoint_url
    emulator.reset()


@pytest.fixture
def loaded(tmp_path: Path) -> awsarch.Loaded:
    path = tmp_path / "blueprint.yaml"
    path.write_text(seed_text(), encoding="utf-8")
    return awsarch.load(path)


def test_a_new_stack_plans_as_creations_only(endpoint: str, loaded: awsarch.Loaded) -> None:
    """Nothing of the stack is live: every resource of the blueprint is created, in an order
    where each action follows what it depends on, and nothing is updated or deleted."""
    stack, region = loaded.blueprint.stack, loaded.blueprint.region
    session = awsarch.AwsSession(region=region, endpoint_url=endpoint)
    desired = awsarch.expand(loaded, awsarch.account_zones(session))
    observed = awsarch.observe(endpoint, stack, region=region)
    assert isinstance(observed, awsarch.Observed) and observed.owned == ()
    changes = awsarch.diff(desired, observed)
    assert {c.kind for c in changes} == {"create"}
    plan = awsarch.plan(changes, stack=stack)
    assert plan.totals() == {
        "create": sum(1 for _ in desired.resources()),
        "update": 0,
        "replace": 0,
        "delete": 0,
    }
    assert not plan.destroys_data()
    seen: set[str] = set()
    for action in plan.actions:
        assert {d for d in action.depends_on if d in {a.key for a in plan.actions}} <= seen
        seen.add(action.key)


def test_apply_builds_the_stack_and_then_nothing_is_left_to_do(
    endpoint: str, loaded: awsarch.Loaded
) -> None:
    """Applied on the emulator, the plan builds the stack; observed again, it plans nothing,
    and the blueprint's intents hold on what is live."""
    stack, region = loaded.blueprint.stack, loaded.blueprint.region
    session = awsarch.AwsSession(region=region, endpoint_url=endpoint)
    desired = awsarch.expand(loaded, awsarch.account_zones(session))
    observed = awsarch.observe(session, stack)
    plan = awsarch.plan(awsarch.diff(desired, observed), stack=stack)
    events: list[str] = []
    result = awsarch.apply(
        plan, session, stack=stack, observed=observed, on_event=lambda e: events.append(e.kind)
    )
    assert len(result.done) == len(plan.actions) and not result.failed
    assert events.count("done") == len(plan.actions)
    again = awsarch.observe(session, stack)
    assert awsarch.plan(awsarch.diff(desired, again), stack=stack).empty
    live = awsarch.prove(again.view, loaded.blueprint.intents[:5])
    assert [p.holds for p in live] == [True] * 5
