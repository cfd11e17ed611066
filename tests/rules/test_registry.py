"""The rule registry: every rule listed once, run together, sorted, failing closed."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import awsarch.rules
from awsarch.model import Architecture
from awsarch.rules.base import SEVERITY_ORDER, Rule
from awsarch.rules.registry import ALL_RULES, rule_by_id, run_rules

from . import (
    test_balancing,
    test_data,
    test_iam,
    test_iam_hygiene,
    test_network,
    test_security,
)
from .support import both, seed_arch, swap

AREA_PREFIX = {"network": "NET", "security": "SEC", "data": "DATA", "iam": "IAM"}
VIOLATIONS = [
    *test_network.VIOLATIONS,
    *test_security.VIOLATIONS,
    *test_data.VIOLATIONS,
    *test_iam.VIOLATIONS,
    *test_iam_hygiene.VIOLATIONS,
    *test_balancing.VIOLATIONS,
]


def rule_modules() -> list[str]:
    found = []
    for area in AREA_PREFIX:
        package = importlib.import_module(f"awsarch.rules.{area}")
        found += [f"awsarch.rules.{area}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
    return found


def test_seed_architecture_has_no_findings() -> None:
    """The architecture awsarch proposes passes every one of its own rules."""
    assert run_rules(seed_arch()) == []


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_seed_is_a_compliant_case_for_every_rule(rule: Rule) -> None:
    """Each rule, alone, accepts the seed architecture."""
    assert list(rule.run(seed_arch())) == []


def test_every_rule_file_is_registered_once() -> None:
    """A rule written in its own file is never silently left out of a check."""
    registered = [importlib.import_module(m).RULE for m in rule_modules()]
    assert sorted(r.id for r in registered) == sorted(r.id for r in ALL_RULES)
    assert len({r.id for r in ALL_RULES}) == len(ALL_RULES)
    assert awsarch.rules.__doc__


def test_rule_ids_follow_their_area() -> None:
    """Ids are stable and say which area a rule belongs to (NET…, SEC…, DATA…, IAM…)."""
    for name in rule_modules():
        area = name.split(".")[2]
        rule = importlib.import_module(name).RULE
        assert re.fullmatch(rf"{AREA_PREFIX[area]}\d{{3}}", rule.id), (name, rule.id)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_every_rule_explains_itself(rule: Rule) -> None:
    """Each rule carries a title and a rationale for the README table and reports."""
    assert rule.title and len(rule.rationale) > 40
    assert rule.severity in SEVERITY_ORDER
    assert rule.docs == "" or rule.docs.startswith("https://docs.aws.amazon.com/")


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_every_rule_has_a_planted_violation(rule: Rule) -> None:
    """No rule goes untested: each one has a case that must trigger it."""
    assert any(case.rule_id == rule.id for case in VIOLATIONS)


def test_findings_are_sorted_by_severity_then_rule_then_resource() -> None:
    """Reports list errors first, in a stable order people can diff."""
    arch = both(
        swap("db/main", backup_retention_days=3, multi_az=False),
        swap("instance/web-2", imdsv2_required=False, root_volume_encrypted=False),
        swap("instance/web-1", imdsv2_required=False),
    )(seed_arch())
    got = [(f.severity, f.rule_id, f.resource_id) for f in run_rules(arch)]
    assert got == [
        ("error", "DATA004", "db/main"),
        ("error", "SEC002", "instance/web-1"),
        ("error", "SEC002", "instance/web-2"),
        ("warning", "DATA008", "db/main"),
        ("warning", "SEC006", "instance/web-2"),
    ]


def test_a_rule_that_crashes_fails_closed() -> None:
    """A rule that cannot evaluate reports an error instead of passing silently."""

    def broken(arch: Architecture) -> list[tuple[str, str, tuple[str, ...]]]:
        raise ValueError("boom")

    rule = Rule(id="TEST001", title="t", rationale="r", severity="warning", check=broken)
    (finding,) = run_rules(seed_arch(), rules=(rule,))
    assert finding.rule_id == "TEST001"
    assert finding.severity == "error"
    assert "could not evaluate" in finding.message and "boom" in finding.message


def test_a_dangling_reference_is_an_error_finding_not_a_crash() -> None:
    """A database whose subnet group is missing is reported, and the other rules still run."""
    arch = swap("db/main", subnet_group_id="dbsubnets/gone", multi_az=False)(seed_arch())
    found = {(f.rule_id, f.severity) for f in run_rules(arch)}
    assert ("DATA001", "error") in found
    assert ("DATA004", "error") in found
    (dangling,) = [f for f in run_rules(arch) if f.rule_id == "DATA001"]
    assert "could not evaluate" in dangling.message


def test_rule_by_id_names_unknown_ids() -> None:
    """Looking up a rule that does not exist fails loudly with its id."""
    assert rule_by_id("NET001").id == "NET001"
    with pytest.raises(KeyError, match="NET999"):
        rule_by_id("NET999")
