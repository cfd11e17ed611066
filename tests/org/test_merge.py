"""Merging unit results: any order, any number of workers, one report, byte for byte."""

from __future__ import annotations

import json
import random

import pytest

from awsarch.errors import InputError
from awsarch.org.merge import merge
from awsarch.org.report import text_lines, to_json, to_sarif
from awsarch.org.results import (
    UnitResult,
    audited,
    failed,
    from_document,
    to_document,
)
from awsarch.org.units import Unit, plan_units
from awsarch.rules.base import Finding

OPEN = Finding(
    rule_id="SEC004",
    severity="error",
    resource_id="sg-1",
    message="security group db opens mysql database (3306) to the whole internet",
)
WARN = Finding(rule_id="SEC005", severity="warning", resource_id="sg-2", message="default group")


def _results() -> list[UnitResult]:
    units = plan_units(["111111111111", "222222222222", "333333333333"], ["eu-west-1", "us-east-1"])
    results = []
    for unit in units:
        if unit.account == "333333333333":
            results.append(failed(unit, "cannot assume the role (AccessDenied)", api_calls=1))
        elif unit.key == "111111111111/eu-west-1":
            results.append(audited(unit, [WARN, OPEN], api_calls=19))
        else:
            results.append(audited(unit, [], api_calls=18))
    return results


def _render(results: list[UnitResult]) -> tuple[str, str, str]:
    report = merge(results)
    return (
        "\n".join(text_lines(report)),
        json.dumps(to_json(report), indent=2),
        json.dumps(to_sarif(report), indent=2),
    )


def test_the_order_results_arrive_in_changes_nothing() -> None:
    """Workers finish in any order; the text, JSON and SARIF reports are the same bytes."""
    results = _results()
    shuffled = results[:]
    random.Random(3).shuffle(shuffled)
    assert _render(results) == _render(shuffled)


def test_a_document_round_trips_and_api_calls_stay_out_of_the_report() -> None:
    """What a worker writes reads back as it was; API calls never change the merged report."""
    results = _results()
    back = [from_document(json.loads(json.dumps(to_document(r))), source="x") for r in results]
    assert back == results
    again = [from_document({**to_document(r), "api_calls": 99}, source="x") for r in results]
    assert _render(again) == _render(results)


def test_a_retry_that_succeeds_replaces_the_failure() -> None:
    """A unit failed by one worker and audited by its retry counts as audited."""
    unit = Unit(account="111111111111", region="global")
    report = merge([audited(unit, [OPEN]), failed(unit, "throttled")])
    assert [r.status for r in report.results] == ["audited"]
    report = merge([failed(unit, "throttled"), audited(unit, [OPEN])])
    assert [r.status for r in report.results] == ["audited"]


def test_two_different_audits_of_one_unit_are_refused() -> None:
    """Results of two runs mixed under one prefix are an input error, not a silent pick."""
    unit = Unit(account="111111111111", region="eu-west-1")
    with pytest.raises(InputError, match="two different audits of 111111111111/eu-west-1"):
        merge([audited(unit, [OPEN]), audited(unit, [])])


def test_text_summarises_each_account_with_regions_and_failures() -> None:
    """People read one line per account, its findings by region, and why a unit failed."""
    text, _, _ = _render(_results())
    lines = text.splitlines()
    assert lines[0] == ("account 111111111111: 3 of 3 units audited; 1 error, 1 warning")
    assert lines[1].startswith("  eu-west-1: error SEC004 sg-1: ")
    assert "account 333333333333: 0 of 3 units audited, 3 failed; 0 errors, 0 warnings" in lines
    assert "  failed us-east-1: cannot assume the role (AccessDenied)" in lines
    assert lines[-1] == (
        "organization audit: 3 accounts, 9 units (6 audited, 3 failed); 1 error, 1 warning"
    )


def test_sarif_names_the_account_and_region_of_each_result() -> None:
    """Code scanning filters by account and region; failed units are the run's notifications."""
    _, _, sarif = _render(_results())
    run = json.loads(sarif)["runs"][0]
    first = run["results"][0]
    assert first["ruleId"] == "SEC004"
    assert first["properties"] == {"account": "111111111111", "region": "eu-west-1"}
    logical = first["locations"][0]["logicalLocations"]
    assert logical[0]["fullyQualifiedName"] == "111111111111/eu-west-1/sg-1"
    assert {"name": "111111111111", "kind": "account"} in logical
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert len(invocation["toolExecutionNotifications"]) == 3


def test_anything_but_a_unit_result_is_an_input_error() -> None:
    """Merging a stray file names the file instead of failing somewhere inside."""
    with pytest.raises(InputError, match=r"stray\.json: not an awsarch unit result"):
        from_document({"findings": []}, source="stray.json")
