"""The IAM evaluator decides requests the way AWS's documented examples say it does."""

from __future__ import annotations

from typing import Any

import pytest

from awsarch.analysis.iam import Request, evaluate
from awsarch.analysis.iam_managed import ADMINISTRATOR_ACCESS, SSM_MANAGED_INSTANCE_CORE
from awsarch.analysis.iam_policy import PolicyError, model_to_json, parse_policy
from awsarch.model import Policy, Statement


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


# "The difference between explicit and implicit denies": AllowGetList and DenyReports.
GET_LIST_DENY_REPORTS = _doc(
    {
        "Sid": "AllowGetList",
        "Effect": "Allow",
        "Action": ["iam:Get*", "iam:List*"],
        "Resource": "*",
    },
    {"Sid": "DenyReports", "Effect": "Deny", "Action": "iam:*Report", "Resource": "*"},
)
# "IAM JSON policy elements: NotAction": allow every action except IAM's.
ALL_BUT_IAM = _doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
# "IAM JSON policy elements: NotAction": every S3 action on S3 resources except DeleteBucket.
S3_BUT_DELETE_BUCKET = _doc(
    {"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "arn:aws:s3:::*"}
)
# "IAM JSON policy elements: NotAction", NotAction with Deny: deny non-IAM actions without MFA.
DENY_NON_IAM_WITHOUT_MFA = _doc(
    {"Effect": "Allow", "Action": "*", "Resource": "*"},
    {
        "Sid": "DenyAllUsersNotUsingMFA",
        "Effect": "Deny",
        "NotAction": "iam:*",
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    },
)
# "IAM JSON policy elements: NotResource": deny S3 everywhere except the payroll objects.
ONLY_PAYROLL = _doc(
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {
        "Effect": "Deny",
        "Action": "s3:*",
        "NotResource": ["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"],
    },
)
# "IAM JSON policy elements: Resource": wildcards inside ARN segments.
WILDCARD_ARNS = _doc(
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/*"},
    {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/app-?.txt"},
    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::data*-raw"},
)
# "IAM: Allows IAM users to self-manage an MFA device" (the force-MFA example policy).
SELF_MANAGE_MFA = _doc(
    {
        "Sid": "AllowListActions",
        "Effect": "Allow",
        "Action": ["iam:ListUsers", "iam:ListVirtualMFADevices"],
        "Resource": "*",
    },
    {
        "Sid": "AllowUserToCreateVirtualMFADevice",
        "Effect": "Allow",
        "Action": ["iam:CreateVirtualMFADevice"],
        "Resource": "arn:aws:iam::*:mfa/*",
    },
    {
        "Sid": "AllowUserToManageTheirOwnMFA",
        "Effect": "Allow",
        "Action": [
            "iam:EnableMFADevice",
            "iam:GetMFADevice",
            "iam:ListMFADevices",
            "iam:ResyncMFADevice",
        ],
        "Resource": "arn:aws:iam::*:user/${aws:username}",
    },
    {
        "Sid": "AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA",
        "Effect": "Allow",
        "Action": ["iam:DeactivateMFADevice"],
        "Resource": ["arn:aws:iam::*:user/${aws:username}"],
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    },
    {
        "Sid": "BlockMostAccessUnlessSignedInWithMFA",
        "Effect": "Deny",
        "NotAction": [
            "iam:CreateVirtualMFADevice",
            "iam:EnableMFADevice",
            "iam:ListMFADevices",
            "iam:ListUsers",
            "iam:ListVirtualMFADevices",
            "iam:ResyncMFADevice",
        ],
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    },
)
# "Single-valued vs. multivalued context keys": set operators over aws:TagKeys.
TAG_KEYS_ALL = _doc(
    {
        "Effect": "Allow",
        "Action": "ec2:CreateTags",
        "Resource": "*",
        "Condition": {"ForAllValues:StringLike": {"aws:TagKeys": ["environment*", "cost-*"]}},
    }
)
TAG_KEYS_ANY = _doc(
    {
        "Effect": "Allow",
        "Action": "ec2:CreateTags",
        "Resource": "*",
        "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": ["environment*"]}},
    }
)
TAG_KEYS_PLAIN = _doc(
    {
        "Effect": "Allow",
        "Action": "ec2:CreateTags",
        "Resource": "*",
        "Condition": {"StringLike": {"aws:TagKeys": "environment*"}},
    }
)
# "IAM JSON policy elements: Condition operators": IP address operators are evaluated.
SOURCE_IP = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:*",
        "Resource": "*",
        "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
    }
)
# "IAM JSON policy elements: Condition operators", Binary: an operator awsarch does not model.
BINARY = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:*",
        "Resource": "*",
        "Condition": {"BinaryEquals": {"example:key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}},
    }
)
# "Conditions with multiple context keys or values": a negated operator's values are NORed.
NOT_THESE_REGIONS = _doc(
    {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
    {
        "Effect": "Deny",
        "Action": "ec2:*",
        "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-west-2"]}},
    },
)
# "IAM JSON policy element reference": Statement may be one object and Action one string.
SINGLE_STATEMENT = {
    "Version": "2012-10-17",
    "Statement": {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"},
}
LIST_ACTION = _doc({"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": "*"})

NO_MFA = {"context_complete": True}  # long-term credentials: the MFA key is absent
MFA_FALSE = {"context": {"aws:MultiFactorAuthPresent": "false"}, "context_complete": True}
MFA_TRUE = {
    "context": {"aws:MultiFactorAuthPresent": True, "aws:username": "alice"},
    "context_complete": True,
}

CASES: list[tuple[str, dict[str, Any], str, str, dict[str, Any], str]] = [
    # (case id, policy, action, resource, request extras, expected outcome)
    ("allow-get", GET_LIST_DENY_REPORTS, "iam:GetUser", "*", {}, "allowed"),
    (
        "deny-wins",
        GET_LIST_DENY_REPORTS,
        "iam:GetOrganizationsAccessReport",
        "*",
        {},
        "denied-explicit",
    ),
    ("implicit-deny", GET_LIST_DENY_REPORTS, "iam:CreatePolicy", "*", {}, "denied-implicit"),
    ("case-insensitive-action", GET_LIST_DENY_REPORTS, "IAM:getuser", "*", {}, "allowed"),
    ("notaction-allow-other", ALL_BUT_IAM, "s3:GetObject", "arn:aws:s3:::b/k", {}, "allowed"),
    ("notaction-allow-iam", ALL_BUT_IAM, "iam:CreateUser", "*", {}, "denied-implicit"),
    ("notaction-s3-get", S3_BUT_DELETE_BUCKET, "s3:GetObject", "arn:aws:s3:::b/k", {}, "allowed"),
    (
        "notaction-s3-delete",
        S3_BUT_DELETE_BUCKET,
        "s3:DeleteBucket",
        "arn:aws:s3:::b",
        {},
        "denied-implicit",
    ),
    (
        "notaction-other-service",
        S3_BUT_DELETE_BUCKET,
        "ec2:RunInstances",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
        {},
        "denied-implicit",
    ),
    (
        "notaction-deny-no-mfa",
        DENY_NON_IAM_WITHOUT_MFA,
        "s3:ListBucket",
        "arn:aws:s3:::b",
        NO_MFA,
        "denied-explicit",
    ),
    ("notaction-deny-iam-ok", DENY_NON_IAM_WITHOUT_MFA, "iam:ListUsers", "*", NO_MFA, "allowed"),
    (
        "notaction-deny-mfa",
        DENY_NON_IAM_WITHOUT_MFA,
        "s3:ListBucket",
        "arn:aws:s3:::b",
        MFA_TRUE,
        "allowed",
    ),
    (
        "notresource-payroll",
        ONLY_PAYROLL,
        "s3:GetObject",
        "arn:aws:s3:::HRBucket/Payroll/jan",
        {},
        "allowed",
    ),
    (
        "notresource-other",
        ONLY_PAYROLL,
        "s3:GetObject",
        "arn:aws:s3:::HRBucket/Other",
        {},
        "denied-explicit",
    ),
    (
        "arn-bucket-objects",
        WILDCARD_ARNS,
        "s3:GetObject",
        "arn:aws:s3:::amzn-s3-demo-bucket/a/b.txt",
        {},
        "allowed",
    ),
    (
        "arn-other-bucket",
        WILDCARD_ARNS,
        "s3:GetObject",
        "arn:aws:s3:::other-bucket/a",
        {},
        "denied-implicit",
    ),
    (
        "arn-any-account-role",
        WILDCARD_ARNS,
        "iam:PassRole",
        "arn:aws:iam::111122223333:role/app/web",
        {},
        "allowed",
    ),
    (
        "arn-role-not-user",
        WILDCARD_ARNS,
        "iam:PassRole",
        "arn:aws:iam::111122223333:user/bob",
        {},
        "denied-implicit",
    ),
    (
        "arn-case-sensitive",
        WILDCARD_ARNS,
        "s3:GetObject",
        "arn:aws:s3:::AMZN-S3-DEMO-BUCKET/a",
        {},
        "denied-implicit",
    ),
    (
        "question-mark-one-char",
        WILDCARD_ARNS,
        "s3:PutObject",
        "arn:aws:s3:::logs/app-1.txt",
        {},
        "allowed",
    ),
    (
        "question-mark-not-two",
        WILDCARD_ARNS,
        "s3:PutObject",
        "arn:aws:s3:::logs/app-12.txt",
        {},
        "denied-implicit",
    ),
    (
        "mid-segment-star-stops-at-colon",
        WILDCARD_ARNS,
        "s3:ListBucket",
        "arn:aws:s3:::data:x-raw",
        {},
        "denied-implicit",
    ),
    (
        "mid-segment-star",
        WILDCARD_ARNS,
        "s3:ListBucket",
        "arn:aws:s3:::data-2024-raw",
        {},
        "allowed",
    ),
    (
        "mfa-setup-without-mfa",
        SELF_MANAGE_MFA,
        "iam:CreateVirtualMFADevice",
        "arn:aws:iam::111122223333:mfa/alice",
        NO_MFA,
        "allowed",
    ),
    ("mfa-list-without-mfa", SELF_MANAGE_MFA, "iam:ListUsers", "*", MFA_FALSE, "allowed"),
    (
        "mfa-other-without-mfa",
        SELF_MANAGE_MFA,
        "ec2:DescribeInstances",
        "*",
        NO_MFA,
        "denied-explicit",
    ),
    (
        "mfa-deactivate-without-mfa",
        SELF_MANAGE_MFA,
        "iam:DeactivateMFADevice",
        "arn:aws:iam::111122223333:user/alice",
        MFA_FALSE,
        "denied-explicit",
    ),
    (
        "mfa-deactivate-with-mfa",
        SELF_MANAGE_MFA,
        "iam:DeactivateMFADevice",
        "arn:aws:iam::111122223333:user/alice",
        MFA_TRUE,
        "allowed",
    ),
    (
        "mfa-someone-elses-device",
        SELF_MANAGE_MFA,
        "iam:DeactivateMFADevice",
        "arn:aws:iam::111122223333:user/bob",
        MFA_TRUE,
        "denied-implicit",
    ),
    ("mfa-unknown-context", SELF_MANAGE_MFA, "iam:ListUsers", "*", {}, "allowed"),
    (
        "mfa-unknown-variable",
        SELF_MANAGE_MFA,
        "iam:GetMFADevice",
        "arn:aws:iam::111122223333:user/alice",
        {},
        "conditional",
    ),
    (
        "tags-all-match",
        TAG_KEYS_ALL,
        "ec2:CreateTags",
        "*",
        {"context": {"aws:TagKeys": ["environment", "cost-center"]}},
        "allowed",
    ),
    (
        "tags-one-outside",
        TAG_KEYS_ALL,
        "ec2:CreateTags",
        "*",
        {"context": {"aws:TagKeys": ["environment", "owner"]}},
        "denied-implicit",
    ),
    ("tags-all-absent", TAG_KEYS_ALL, "ec2:CreateTags", "*", {"context_complete": True}, "allowed"),
    (
        "tags-any-one",
        TAG_KEYS_ANY,
        "ec2:CreateTags",
        "*",
        {"context": {"aws:TagKeys": ["owner", "environment-x"]}},
        "allowed",
    ),
    (
        "tags-any-absent",
        TAG_KEYS_ANY,
        "ec2:CreateTags",
        "*",
        {"context_complete": True},
        "denied-implicit",
    ),
    (
        "tags-plain-operator-multivalued",
        TAG_KEYS_PLAIN,
        "ec2:CreateTags",
        "*",
        {"context": {"aws:TagKeys": ["environment", "owner"]}},
        "conditional",
    ),
    (
        "ip-operator",
        SOURCE_IP,
        "s3:GetObject",
        "*",
        {"context": {"aws:SourceIp": "203.0.113.9"}, "context_complete": True},
        "allowed",
    ),
    (
        "unmodelled-operator",
        BINARY,
        "s3:GetObject",
        "*",
        {"context": {"example:key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}, "context_complete": True},
        "conditional",
    ),
    (
        "negated-nor-inside",
        NOT_THESE_REGIONS,
        "ec2:RunInstances",
        "*",
        {"context": {"aws:RequestedRegion": "eu-west-2"}},
        "allowed",
    ),
    (
        "negated-nor-outside",
        NOT_THESE_REGIONS,
        "ec2:RunInstances",
        "*",
        {"context": {"aws:RequestedRegion": "us-east-1"}},
        "denied-explicit",
    ),
    (
        "negated-absent-key",
        NOT_THESE_REGIONS,
        "ec2:RunInstances",
        "*",
        {"context_complete": True},
        "denied-explicit",
    ),
    ("negated-unknown-key", NOT_THESE_REGIONS, "ec2:RunInstances", "*", {}, "conditional"),
    ("statement-as-dict", SINGLE_STATEMENT, "dynamodb:GetItem", "*", {}, "allowed"),
    ("action-as-list", LIST_ACTION, "dynamodb:GetItem", "*", {}, "allowed"),
    ("action-as-list-other", LIST_ACTION, "dynamodb:PutItem", "*", {}, "denied-implicit"),
]


@pytest.mark.parametrize(
    ("policy", "action", "resource", "extra", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_documented_decisions(
    policy: dict[str, Any], action: str, resource: str, extra: dict[str, Any], expected: str
) -> None:
    """Each request gets the decision AWS's documentation gives for that policy."""
    decision = evaluate(Request(action=action, resource=resource, **extra), [policy])
    assert decision.outcome == expected, decision.reason


def test_explicit_deny_names_the_deciding_statement() -> None:
    """A denial names the Deny statement's Sid and the action pattern that matched."""
    decision = evaluate(Request(action="iam:GenerateCredentialReport"), [GET_LIST_DENY_REPORTS])
    assert decision.outcome == "denied-explicit"
    (deciding,) = decision.statements
    assert (deciding.sid, deciding.index, deciding.action_pattern) == (
        "DenyReports",
        1,
        "iam:*Report",
    )
    assert "DenyReports" in deciding.describe()


def test_allow_names_the_matching_pattern() -> None:
    """An allowed request names the Allow statement and the pattern that let it through."""
    decision = evaluate(Request(action="iam:ListRoles"), [GET_LIST_DENY_REPORTS])
    assert decision.allowed
    assert [s.action_pattern for s in decision.statements] == ["iam:List*"]


def test_conditional_names_the_unmodelled_operator() -> None:
    """A conditional decision says which condition it could not decide."""
    request = Request(action="s3:GetObject", context={"example:key": "x"}, context_complete=True)
    decision = evaluate(request, [BINARY])
    assert decision.outcome == "conditional"
    assert "BinaryEquals" in decision.statements[0].condition


def test_model_policy_is_converted() -> None:
    """A model Policy evaluates like the JSON document IAM would hold for it."""
    policy = Policy(
        name="read",
        statements=(
            Statement(
                effect="Allow",
                actions=("secretsmanager:GetSecretValue",),
                resources=("secret-of:db/main",),
                sid="Read",
            ),
        ),
    )
    assert model_to_json(policy)["Statement"][0]["Sid"] == "Read"
    granted = evaluate(
        Request(action="secretsmanager:GetSecretValue", resource="secret-of:db/main"), [policy]
    )
    other = evaluate(
        Request(action="secretsmanager:GetSecretValue", resource="secret-of:db/other"), [policy]
    )
    assert (granted.outcome, other.outcome) == ("allowed", "denied-implicit")
    assert granted.statements[0].policy == "read"


def test_managed_policies_without_a_known_document_are_conditional() -> None:
    """A managed policy awsarch has no document for never yields 'allowed' or an implicit deny."""
    read_only = Policy(name="ReadOnlyAccess", arn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    decision = evaluate(Request(action="s3:GetObject"), [read_only])
    assert decision.outcome == "conditional"
    assert decision.unknown_policies == ("ReadOnlyAccess",)
    denied = evaluate(
        Request(action="s3:GetObject"),
        [read_only, _doc({"Effect": "Deny", "Action": "s3:*", "Resource": "*"})],
    )
    assert denied.outcome == "denied-explicit"


def test_embedded_managed_policies() -> None:
    """AdministratorAccess allows everything; the SSM core policy allows Session Manager only."""
    admin = Policy(name="AdministratorAccess", arn=ADMINISTRATOR_ACCESS)
    ssm = Policy(name="AmazonSSMManagedInstanceCore", arn=SSM_MANAGED_INSTANCE_CORE)
    assert evaluate(Request(action="iam:CreateUser"), [admin]).allowed
    assert evaluate(Request(action="ssmmessages:OpenDataChannel"), [ssm]).allowed
    assert evaluate(Request(action="ssm:SendCommand"), [ssm]).outcome == "denied-implicit"


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ({"Version": "2012-10-17"}, "add a Statement"),
        (_doc({"Effect": "Permit", "Action": "*", "Resource": "*"}), "Effect"),
        (
            _doc({"Effect": "Allow", "Action": "*", "NotAction": "iam:*", "Resource": "*"}),
            "exactly one of Action or NotAction",
        ),
        (_doc({"Effect": "Allow", "Action": "*"}), "exactly one of Resource or NotResource"),
        (_doc({"Effect": "Allow", "Action": [], "Resource": "*"}), "non-empty list"),
    ],
)
def test_malformed_documents_are_rejected(document: dict[str, Any], fragment: str) -> None:
    """A policy IAM would reject is an error saying which element to fix."""
    with pytest.raises(PolicyError, match=fragment):
        parse_policy(document, name="bad")
