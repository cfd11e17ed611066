"""Permission intents are read from one line each and proved on the roles a blueprint builds."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import yaml

from awsarch.analysis.iam_intents import (
    PermissionIntentError,
    parse_intent,
    parse_intents,
    prove_permission,
)
from awsarch.analysis.iam_search import any_allowed
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text
from awsarch.model import Architecture, Policy, Statement


def _arch(change: Any = None) -> Architecture:
    document = yaml.safe_load(seed_text())
    if change is not None:
        change(document)
    return expand(load_text(yaml.safe_dump(document), file="test.yaml").blueprint)


def _allow_everything(document: dict[str, Any]) -> None:
    document["servers"]["web"]["role"]["allow"] = [{"actions": ["*"]}]


def _with_policies(*policies: Policy) -> Architecture:
    arch = _arch()
    role = arch.roles[0]
    return dataclasses.replace(
        arch, roles=(dataclasses.replace(role, policies=role.policies + policies),)
    )


@pytest.mark.parametrize(
    "text",
    [
        "web can secretsmanager:GetSecretValue on main.secret",
        "web cannot rds:DeleteDBInstance",
        "web cannot iam:*",
        "web can ssmmessages:OpenDataChannel",
        "web cannot secretsmanager:GetSecretValue on arn:aws:secretsmanager:*:*:secret:other-*",
        "web cannot s3:Get*",
    ],
)
def test_seed_blueprint_intents_hold(text: str) -> None:
    """The seed's web role reads its database secret, uses Session Manager, and nothing more."""
    proof = prove_permission(_arch(), text)
    assert proof.verdict == "holds", proof.reason
    assert proof.role_id == "role/web"


def test_secret_intent_names_the_granting_statement() -> None:
    """A `can` proof names the granting statement and the secret as the model references it."""
    proof = prove_permission(_arch(), "web can secretsmanager:GetSecretValue on main.secret")
    assert proof.resource == "secret-of:db/main"
    assert [s.sid for s in proof.statements] == ["ReadDatabaseSecret"]


@pytest.mark.parametrize(
    "text",
    [
        "web cannot secretsmanager:GetSecretValue on main.secret",
        "web cannot secretsmanager:*",
        "web can rds:DeleteDBInstance",
    ],
)
def test_seed_blueprint_intents_that_fail(text: str) -> None:
    """An intent the seed contradicts fails rather than passing silently."""
    assert prove_permission(_arch(), text).verdict == "does-not-hold"


def test_allow_everything_breaks_cannot_iam() -> None:
    """A role allowed `*` fails `cannot iam:*`, and the proof names the `*` statement."""
    proof = prove_permission(_arch(_allow_everything), "web cannot iam:*")
    assert proof.verdict == "does-not-hold"
    (deciding,) = proof.statements
    assert (deciding.policy, deciding.effect, deciding.action_pattern) == ("custom", "Allow", "*")


def test_unconditional_deny_restores_cannot_iam() -> None:
    """A Deny of iam:* on every resource proves `cannot iam:*` despite an Allow of `*`."""
    deny = Policy(
        name="no-iam",
        statements=(Statement(effect="Deny", actions=("iam:*",), sid="NoIam"),),
    )
    allow = Policy(name="all", statements=(Statement(effect="Allow", actions=("*",)),))
    proof = prove_permission(_with_policies(allow, deny), "web cannot iam:*")
    assert proof.verdict == "holds"
    assert proof.statements[0].sid == "NoIam"


def test_partial_deny_does_not_prove_cannot() -> None:
    """Denying only iam:Create* leaves other IAM actions allowed by `*`."""
    deny = Policy(
        name="no-create", statements=(Statement(effect="Deny", actions=("iam:Create*",)),)
    )
    allow = Policy(name="all", statements=(Statement(effect="Allow", actions=("*",)),))
    proof = prove_permission(_with_policies(allow, deny), "web cannot iam:*")
    assert proof.verdict == "does-not-hold"


def test_unknown_managed_policy_is_conditional() -> None:
    """A managed policy awsarch cannot read makes `cannot` conditional, never proven."""
    read_only = Policy(name="ReadOnlyAccess", arn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    assert prove_permission(_with_policies(read_only), "web cannot iam:*").verdict == "conditional"


def test_group_without_role_cannot_do_anything() -> None:
    """A server group with its role disabled holds every `cannot` and fails every `can`."""

    def no_role(document: dict[str, Any]) -> None:
        document["servers"]["web"]["role"] = {"enabled": False}

    arch = _arch(no_role)
    assert prove_permission(arch, "web cannot iam:*").verdict == "holds"
    assert (
        prove_permission(arch, "web can ssm:UpdateInstanceInformation").verdict == "does-not-hold"
    )


def test_parse_reads_every_part() -> None:
    """An intent line gives the group, the verb, the action and the resource as written."""
    intent = parse_intent("web can secretsmanager:GetSecretValue on main.secret")
    assert (intent.subject, intent.can, intent.action, intent.resource) == (
        "web",
        True,
        "secretsmanager:GetSecretValue",
        "main.secret",
    )
    assert parse_intent("web cannot iam:*").resource is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("web may iam:*", "write `can` or `cannot`"),
        ("web cannot", "write `<group> can|cannot"),
        ("web cannot DeleteDBInstance", "write service:Action"),
        ("web can s3:GetObject in main.secret", "write `on <resource>`"),
        ("web can secretsmanager:GetSecretValue on main.password", "write `<database>.secret`"),
    ],
)
def test_parse_errors_say_what_to_write(text: str, fragment: str) -> None:
    """A line awsarch cannot read is an error that says what to write instead."""
    with pytest.raises(PermissionIntentError, match=fragment.replace("|", r"\|")):
        parse_intent(text)


def test_parse_intents_names_the_line() -> None:
    """In a file of intents, an error points at its line; comments and blanks are skipped."""
    good = parse_intents("# permissions\nweb cannot iam:*\n\nweb cannot rds:*  # no RDS\n")
    assert [i.action for i in good] == ["iam:*", "rds:*"]
    with pytest.raises(PermissionIntentError) as caught:
        parse_intents(
            "web cannot iam:*\nweb might iam:*\n",
        )
    assert caught.value.line == 2


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("api cannot iam:*", "no server group 'api'"),
        ("web can secretsmanager:GetSecretValue on orders.secret", "main.secret"),
    ],
)
def test_unknown_names_are_input_errors(text: str, fragment: str) -> None:
    """An intent naming a group or database the architecture lacks lists the ones it has."""
    with pytest.raises(PermissionIntentError, match=fragment):
        prove_permission(_arch(), text)


def test_conditional_allow_makes_the_search_conditional() -> None:
    """An Allow of iam:* behind an MFA condition neither proves nor refutes `cannot iam:*`."""
    policy = {
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Allow",
            "Action": "iam:*",
            "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
        },
    }
    found = any_allowed("iam:*", None, [policy])
    assert found.outcome == "conditional"
    assert found.statements[0].action_pattern == "iam:*"
