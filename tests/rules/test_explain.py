"""Every rule explains itself: rationale, fix and the AWS page it follows; `rules` and `explain`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from awsarch.cli.main import cli
from awsarch.rules.base import Rule
from awsarch.rules.registry import ALL_RULES

AWS_DOCS = ("https://docs.aws.amazon.com/",)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_every_rule_has_rationale_fix_and_an_aws_page(rule: Rule) -> None:
    """`explain` and SARIF's help never come out empty: each rule says why, what to do, and
    links the AWS documentation page it follows."""
    assert rule.rationale.strip() and rule.fix.strip()
    assert rule.docs.startswith(AWS_DOCS), rule.docs
    assert " " not in rule.docs


def test_rules_lists_every_rule() -> None:
    """`awsarch rules` names every rule with its severity and title."""
    result = CliRunner().invoke(cli, ["rules"])
    assert result.exit_code == 0, result.output
    for rule in ALL_RULES:
        assert f"{rule.id}" in result.output and rule.title in result.output
    assert f"{len(ALL_RULES)} rules" in result.output


def test_explain_prints_why_fix_and_link() -> None:
    """`awsarch explain data004` (any case) prints the rationale, the fix and the link."""
    result = CliRunner().invoke(cli, ["explain", "data004"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    rule = next(r for r in ALL_RULES if r.id == "DATA004")
    assert "DATA004 (error)" in text
    assert " ".join(rule.rationale.split()) in text
    assert " ".join(rule.fix.split()) in text
    assert rule.docs in text


def test_explain_an_unknown_id_is_one_line() -> None:
    """An unknown id is one line, exit 2, showing what ids look like and where to list them."""
    result = CliRunner().invoke(cli, ["explain", "SEC999"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "no rule 'SEC999'" in lines[0]
    assert "NET001, SEC004" in lines[0] and "awsarch rules" in lines[0]


@pytest.mark.parametrize(
    ("pseudo", "says"),
    [
        ("CFN000", "A template resource outside the architecture is not read"),
        ("accept", "An acceptance has expired or matches no finding"),
        ("Intent", "An intent of the blueprint does not hold"),
    ],
)
def test_ids_findings_carry_are_explained_and_listed(pseudo: str, says: str) -> None:
    """`explain CFN000`, `explain ACCEPT`, `explain INTENT` say what the id means and what to
    do (they appear in findings, so "no rule" would be wrong); `rules` lists them apart."""
    explained = CliRunner().invoke(cli, ["explain", pseudo])
    assert explained.exit_code == 0, explained.output
    assert explained.output.startswith(f"{pseudo.upper()} (") and says in explained.output
    assert "Why: " in explained.output and "Fix: " in explained.output
    listed = CliRunner().invoke(cli, ["rules"]).output
    heading = listed.index("Not rules, but ids that findings carry")
    assert listed.index(says) > heading
