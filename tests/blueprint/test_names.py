"""Every name awsarch builds from the stack is one AWS accepts, or `check` says which is not."""

from __future__ import annotations

import re

import pytest

from awsarch.blueprint.load import load_text
from awsarch.blueprint.names import (
    IAM_ROLE,
    RDS_DB,
    RDS_SNAPSHOT,
    RDS_SUBNET_GROUP,
    SSM_NAME,
    NameRule,
    first_problem,
    problem,
)
from awsarch.blueprint.seed import seed_text

# (case id, name, rule, what the problem says; "" when AWS accepts the name)
CASES = [
    ("rds 63 characters", "a" * 63, RDS_DB, ""),
    ("rds 64 characters", "a" * 64, RDS_DB, "is 64 characters, over the 63"),
    ("rds digit first", "1main", RDS_DB, "does not start with a letter"),
    ("rds two hyphens", "edge--main", RDS_DB, "holds '--'"),
    ("rds trailing hyphen", "demo-main-", RDS_DB, "ends with '-'"),
    ("rds underscore", "demo_main", RDS_DB, "holds '_'"),
    ("snapshot 255", "a" * 255, RDS_SNAPSHOT, ""),
    ("snapshot 256", "a" * 256, RDS_SNAPSHOT, "over the 255"),
    ("subnet group with a dot", "demo.main-subnets", RDS_SUBNET_GROUP, ""),
    ("subnet group with a slash", "demo/main", RDS_SUBNET_GROUP, "holds '/'"),
    ("role 64", "r" * 64, IAM_ROLE, ""),
    ("role 65", "r" * 65, IAM_ROLE, "over the 64"),
    ("role with two hyphens", "a--b-web", IAM_ROLE, ""),
    ("ssm lock", "/awsarch/demo/lock", SSM_NAME, ""),
]


@pytest.mark.parametrize(
    ("name", "rule", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_names_against_aws_rules(name: str, rule: NameRule, words: str) -> None:
    """Each rule accepts what AWS documents and refuses the rest, saying why."""
    found = problem(name, rule)
    assert (found == "") == (words == ""), found
    assert words in found


def test_the_longest_names_the_schema_allows_fit() -> None:
    """A 31-character stack with a 31-character database and server: every AWS name fits."""
    text = re.sub(r"(?m)^stack: \S+", "stack: " + "s" * 31, seed_text())
    text = re.sub(r"\bmain\b", "d" * 31, text).replace("  web:", "  " + "w" * 31 + ":")
    text = re.sub(r"\bweb\b", "w" * 31, text)
    assert first_problem(load_text(text, file="long.yaml").blueprint) is None
