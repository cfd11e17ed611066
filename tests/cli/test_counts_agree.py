"""Counts a user compares agree: the question before `up` counts what the plan's summary does."""

from __future__ import annotations

import pytest

from awsarch.cli import up
from awsarch.deploy.diff import diff
from awsarch.deploy.plan import make_plan
from awsarch.model import Architecture
from awsarch.render.changes import totals_line
from tests.deploy.test_diff_plan import _desired


def test_the_question_counts_resources_as_the_plan_summary_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`plan: 21 to create` is followed by `apply these changes to 21 resources?`, although a
    follow-up step (`grant role/web`) makes one action more."""
    empty = Architecture(stack="demo", region="ap-northeast-2")
    plan = make_plan(diff(_desired(), empty), stack="demo", timestamp="20261129000000")
    asked: list[str] = []
    monkeypatch.setattr(up, "confirm", lambda question, *, yes: asked.append(question))
    up._ask(plan, yes=False)
    created = plan.totals()["create"]
    assert len(plan.actions) > created
    assert totals_line(plan).startswith(f"plan: {created} to create,")
    assert asked == [f"apply these changes to {created} resources?"]
