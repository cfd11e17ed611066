"""An organization's baseline: a finding is known only in the account and region it was seen in."""

from __future__ import annotations

import json

from awsarch.org.baseline import document, keys, without_known
from awsarch.org.merge import merge
from awsarch.org.report import to_json, to_sarif
from awsarch.org.results import audited
from awsarch.org.units import Unit
from awsarch.rules.base import Finding

OPEN = Finding(rule_id="SEC004", severity="error", resource_id="sg-1", message="open to all")


def test_known_in_one_account_is_new_in_another() -> None:
    """sg-1 known in 111…/eu-west-1 is still reported in 222…/eu-west-1 and 111…/us-east-1."""
    before = merge([audited(Unit(account="111111111111", region="eu-west-1"), [OPEN])])
    now = merge(
        audited(Unit(account=a, region=r), [OPEN])
        for a, r in [
            ("111111111111", "eu-west-1"),
            ("222222222222", "eu-west-1"),
            ("111111111111", "us-east-1"),
        ]
    )
    shown, left_out = without_known(now, keys(document(before)) or set())
    assert left_out == 1
    assert [r.unit.key for r in shown.results if r.findings] == [
        "111111111111/us-east-1",
        "222222222222/eu-west-1",
    ]
    assert to_json(shown)["summary"]["known"] == 1


def test_a_json_report_or_sarif_is_a_baseline_too() -> None:
    """What `audit --org --format json|sarif` printed places its findings as the baseline does."""
    report = merge([audited(Unit(account="111111111111", region="global"), [OPEN])])
    expected = {("111111111111", "global", "SEC004", "sg-1")}
    assert keys(json.loads(json.dumps(to_json(report)))) == expected
    assert keys(json.loads(json.dumps(to_sarif(report)))) == expected
    assert keys(document(report)) == expected


def test_a_one_account_baseline_is_not_an_organizations() -> None:
    """A baseline of `audit` on one account names no account: it cannot be placed."""
    assert keys({"baseline": 1, "findings": [{"rule": "SEC004", "resource": "sg-1"}]}) is None
    assert keys([]) is None
