"""`operators:` in the blueprint: groups with permission sets, users in groups, MFA required."""

from __future__ import annotations

import pytest

from awsarch.analysis.iam import Request, evaluate
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.deploy.permissions import require_mfa_policy, viewer_policy
from awsarch.deploy.policy_json import to_json, to_model
from awsarch.errors import InputError

from .support import OPERATORS_BLUEPRINT

USER = "arn:aws:iam::123456789012:user/awsarch/demo/demo-alice"


def test_operators_expand_to_groups_and_users() -> None:
    """Groups and users get logical ids, stack-prefixed names, and users hold no policy."""
    arch = expand(load_text(OPERATORS_BLUEPRINT, file="b.yaml").blueprint)
    assert [(g.id, g.name) for g in arch.groups] == [
        ("group/deployers", "demo-deployers"),
        ("group/viewers", "demo-viewers"),
    ]
    bob = arch.get("user/bob")
    assert bob.name == "demo-bob" and bob.groups == ("group/deployers", "group/viewers")
    assert all(not u.inline_policies for u in arch.users)
    assert all("require-mfa" in {p.name for p in g.policies} for g in arch.groups)
    assert arch.origin("user/bob") == ("operators", "users", "bob")


@pytest.mark.parametrize(
    ("snippet", "where", "message"),
    [
        (
            "operators: {groups: {ops: viewer}, users: {eve: {groups: [opz]}}}",
            "1:59",
            "no operator group named 'opz' — did you mean 'ops'?",
        ),
        (
            "operators: {groups: {ops: {permissions: root}}}",
            "1:41",
            "'root' is not one of deployer, viewer — use one of",
        ),
        ("operators: {users: {eve: [admins]}}", "1:21", "define it under operators.groups"),
    ],
)
def test_mistakes_point_at_the_line(snippet: str, where: str, message: str) -> None:
    """An unknown group or permission set is one error at FILE:LINE:COL, saying what to do."""
    text = f"{snippet}\nnetwork: {{cidr: 10.0.0.0/16}}\n"
    with pytest.raises(InputError) as caught:
        load_text(text, file="b.yaml")
    assert f"b.yaml:{where}" in str(caught.value)
    assert message in str(caught.value) and " — " in str(caught.value)


def _ask(action: str, resource: str = "*", *, mfa: bool | None) -> str:
    context = (
        {} if mfa is None else {"aws:MultiFactorAuthPresent": mfa, "aws:username": "demo-alice"}
    )
    if mfa is None:
        context = {"aws:username": "demo-alice"}
    request = Request(action=action, resource=resource, context=context, context_complete=True)
    policies = [viewer_policy("demo", "ap-northeast-2"), require_mfa_policy()]
    return evaluate(request, policies).outcome


def test_without_mfa_only_mfa_set_up_is_allowed() -> None:
    """Before signing in with MFA a viewer can set up MFA and nothing else (keys included)."""
    assert _ask("ec2:DescribeVpcs", mfa=False) == "denied-explicit"
    assert _ask("ec2:DescribeVpcs", mfa=None) == "denied-explicit"
    assert _ask("iam:EnableMFADevice", USER, mfa=False) == "allowed"
    assert _ask("iam:ChangePassword", USER, mfa=False) == "allowed"


def test_with_mfa_the_group_permissions_apply() -> None:
    """Signed in with MFA, the viewer reads and cannot change anything."""
    assert _ask("ec2:DescribeVpcs", mfa=True) == "allowed"
    assert _ask("ec2:TerminateInstances", mfa=True) == "denied-implicit"


def test_policies_round_trip_through_json() -> None:
    """What awsarch writes to IAM reads back equal, so an unchanged group shows no drift."""
    for document in (require_mfa_policy(), viewer_policy("demo", "ap-northeast-2")):
        model = to_model("p", document)
        assert to_model("p", to_json(model)) == model
