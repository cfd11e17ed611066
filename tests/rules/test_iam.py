"""IAM rules: one planted violation and one near miss per rule, from the seed."""

from __future__ import annotations

import pytest

from awsarch.model import Group, Policy, Statement, User
from awsarch.model.iam import Effect

from .support import (
    Compliant,
    Plant,
    Violation,
    add,
    assert_compliant,
    assert_violation,
    seed_arch,
    swap,
)

ROLE = ("servers", "web", "role")
SEED_POLICIES = seed_arch().get("role/web").policies


def with_statement(
    *actions: str, resources: tuple[str, ...] = ("*",), effect: Effect = "Allow"
) -> Plant:
    statement = Statement(effect=effect, actions=actions, resources=resources)
    return swap(
        "role/web", policies=(*SEED_POLICIES, Policy(name="custom", statements=(statement,)))
    )


VIOLATIONS = [
    Violation(
        name="star-on-star",
        rule_id="IAM001",
        plant=with_statement("*"),
        resource_id="role/web",
        path=(*ROLE, "allow"),
    ),
    Violation(
        name="star-colon-star",
        rule_id="IAM001",
        plant=with_statement("s3:GetObject", "*:*", resources=("arn:aws:s3:::b/*", "*")),
        resource_id="role/web",
        path=(*ROLE, "allow"),
    ),
    Violation(
        name="administrator-access",
        rule_id="IAM001",
        plant=swap(
            "role/web",
            policies=(
                *SEED_POLICIES,
                Policy(
                    name="AdministratorAccess",
                    arn="arn:aws:iam::aws:policy/AdministratorAccess",
                ),
            ),
        ),
        resource_id="role/web",
        path=ROLE,
    ),
    Violation(
        name="admin-group",
        rule_id="IAM001",
        plant=add(
            "groups",
            Group(
                id="group/admins",
                name="admins",
                policies=(Policy(name="admin", arn="arn:aws:iam::aws:policy/AdministratorAccess"),),
            ),
        ),
        resource_id="group/admins",
        path=(),
    ),
    Violation(
        name="user-inline",
        rule_id="IAM001",
        plant=add(
            "users",
            User(
                id="user/ana",
                name="ana",
                inline_policies=(
                    Policy(
                        name="all",
                        statements=(Statement(effect="Allow", actions=("*",), resources=("*",)),),
                    ),
                ),
            ),
        ),
        resource_id="user/ana",
        path=(),
    ),
]

COMPLIANT = [
    Compliant(name="service-wildcard", rule_id="IAM001", plant=with_statement("s3:*")),
    Compliant(
        name="star-on-one-bucket",
        rule_id="IAM001",
        plant=with_statement("*", resources=("arn:aws:s3:::bucket/*",)),
    ),
    Compliant(name="deny-everything", rule_id="IAM001", plant=with_statement("*", effect="Deny")),
]


@pytest.mark.parametrize("case", VIOLATIONS, ids=str)
def test_violation_is_found_at_its_blueprint_key(case: Violation) -> None:
    """An all-powerful identity is reported, pointing at the role's key in the blueprint."""
    assert_violation(case)


@pytest.mark.parametrize("case", COMPLIANT, ids=str)
def test_near_miss_is_not_reported(case: Compliant) -> None:
    """Broad but bounded permissions raise no finding from this rule."""
    assert_compliant(case)
