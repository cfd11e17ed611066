"""The evaluator follows each documented rule it claims, on AWS's own examples.

Sources (AWS IAM User Guide): "IAM policy elements: Variables and tags" (special characters,
the Version note, policy variables with no value, default values), "IAM JSON policy elements:
Condition operators" (Numeric, Date, IP address, ...IfExists) and "Conditions with multiple
context keys or values" (set operators). Each case names the rule it shows and the decision
AWS gives; the first cases of each rule were wrong before (an over-grant or a "conditional" where
AWS decides).
"""

from __future__ import annotations

from typing import Any

import pytest

from awsarch.analysis.iam import Request, evaluate
from awsarch.analysis.iam_match import (
    Unresolved,
    arn_like,
    glob_text,
    literal,
    resource_matches,
    substitute,
)


def _doc(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    document: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        document["Version"] = version
    return document


ALLOW_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}

# ---- 1. ${*}, ${?}, ${$} are literal characters ----------------------------------------------
# "Special characters": "${*} - use where you need an * (asterisk) character. ${?} - use where
# you need a ? (question mark) character. ${$} - use where you need a $ (dollar sign) character.
# These predefined policy variables can be used in any string where you can use regular policy
# variables."
LITERAL_STAR = _doc(
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::mybucket/${*}"}
)
LITERAL_QUESTION = _doc(
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::mybucket/why${?}"}
)
# ${$} followed by {aws:username} is the literal text "${aws:username}": one round of
# substitution, the result is not read again.
LITERAL_DOLLAR = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::mybucket/${$}{aws:username}",
    }
)
# The same characters in a Condition (StringLike), and a substituted value that contains `*`:
# the value is the request's text, not a pattern.
LITERAL_IN_CONDITION = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::mybucket",
        "Condition": {"StringLike": {"s3:prefix": ["home/${*}"]}},
    }
)
TAG_IN_RESOURCE = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::bucket-${aws:PrincipalTag/team}",
    }
)

# ---- 2. Variables only in Version 2012-10-17 ---------------------------------------------------
# Note on "IAM policy elements: Variables and tags": "Variables were introduced in version
# 2012-10-17. Earlier versions of the policy language don't support policy variables. If you
# don't include the Version element and set it to an appropriate version date, variables like
# ${aws:username} are treated as literal strings in the policy."
# The documented queue policy ("Resource element"):
QUEUE_STATEMENTS = (
    {"Sid": "ListForConsole", "Effect": "Allow", "Action": "sqs:ListQueues", "Resource": "*"},
    {
        "Sid": "AllQueueActions",
        "Effect": "Allow",
        "Action": "sqs:*",
        "Resource": "arn:aws:sqs:us-east-2:*:${aws:username}-queue",
    },
)
QUEUES_2012 = _doc(*QUEUE_STATEMENTS)
QUEUES_2008 = _doc(*QUEUE_STATEMENTS, version="2008-10-17")
QUEUES_NO_VERSION = _doc(*QUEUE_STATEMENTS, version=None)
# A Deny written with a variable in an old-version policy denies only the literal name.
DENY_HOME_2008 = _doc(
    ALLOW_ALL,
    {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::mybucket/${aws:username}/*"},
    version="2008-10-17",
)

# ---- 3. Policy variables with no value ------------------------------------------------------
# "Policy variables with no value": with a variable that has no value, StringEquals/StringLike
# do not match; "inverted condition operators like StringNotEquals or StringNotLike do match
# against a null value"; in a Resource element "the resource that includes a policy variable
# with no value will not match any resource". The documented example (Access is explicitly
# denied when aws:PrincipalTag/Team is not set):
NO_TEAM_DENY = _doc(
    ALLOW_ALL,
    {
        "Effect": "Deny",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::/example-bucket/*",
        "Condition": {"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
    },
)
SAME_TEAM_ALLOW = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::/example-bucket/*",
        "Condition": {"StringEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
    }
)
# "Resource element": the home-directory policy.
HOME_DIRECTORY = _doc(
    {
        "Action": ["s3:GetObject", "s3:PutObject"],
        "Effect": "Allow",
        "Resource": ["arn:aws:s3:::mybucket/${aws:username}/*"],
    }
)

# ---- 4. Default values -------------------------------------------------------------------------
# "Specifying default values": "surround the default value with single quotes (' '), and
# separate the variable text and the default value with a comma and space (, )"; users without
# a team tag get the company-wide bucket:
# "Resource": "arn:aws:s3:::amzn-s3-demo-bucket-${aws:PrincipalTag/team, 'company-wide'}"
TEAM_BUCKET = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::amzn-s3-demo-bucket-${aws:PrincipalTag/team, 'company-wide'}",
    }
)
# "Condition: StringEquals: "aws:Resource": "arn:aws:s3:::/bucket/${aws:userid, 'anonymous'}""
ANONYMOUS_DEFAULT = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {
            "StringEquals": {"aws:Resource": "arn:aws:s3:::/bucket/${aws:userid, 'anonymous'}"}
        },
    }
)

# ---- 5. Numeric, Date and IP address operators ---------------------------------------------
# "Numeric condition operators": list up to 10 objects at a time.
MAX_KEYS = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::example_bucket",
        "Condition": {"NumericLessThanEquals": {"s3:max-keys": "10"}},
    }
)
MAX_KEYS_IF_EXISTS = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::example_bucket",
        "Condition": {"NumericLessThanEqualsIfExists": {"s3:max-keys": "10"}},
    }
)
NOT_TEN_KEYS = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "*",
        "Condition": {"NumericNotEquals": {"s3:max-keys": ["10", "20"]}},
    }
)
# "Date condition operators": credentials issued after 2020-01-01T00:00:01Z.
FRESH_CREDENTIALS = _doc(
    {
        "Effect": "Allow",
        "Action": "iam:*AccessKey*",
        "Resource": "arn:aws:iam::account-id:user/*",
        "Condition": {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}},
    }
)
# "AWS: Allows access based on date and time".
DATE_WINDOW = _doc(
    {
        "Effect": "Allow",
        "Action": "service-prefix:action-name",
        "Resource": "*",
        "Condition": {
            "DateGreaterThan": {"aws:CurrentTime": "2020-04-01T00:00:00Z"},
            "DateLessThan": {"aws:CurrentTime": "2020-06-30T23:59:59Z"},
        },
    }
)
# "IP address condition operators": from 203.0.113.0/24; and IPv4 mixed with IPv6.
SOURCE_IP = _doc(
    {
        "Effect": "Allow",
        "Action": "iam:*AccessKey*",
        "Resource": "arn:aws:iam::account-id:user/*",
        "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
    }
)
MIXED_IP = _doc(
    {
        "Effect": "Allow",
        "Action": "someservice:*",
        "Resource": "*",
        "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}},
    }
)
# "AWS: Denies access to AWS based on the source IP".
DENY_OUTSIDE_IPS = _doc(
    ALLOW_ALL,
    {
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {
            "NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"]},
            "Bool": {"aws:ViaAWSService": "false"},
        },
    },
)
# "Conditions with multiple context keys or values": set operators over a multivalued key.
ALL_SMALL = _doc(
    {
        "Effect": "Allow",
        "Action": "ec2:CreateVolume",
        "Resource": "*",
        "Condition": {"ForAllValues:NumericLessThanEquals": {"example:sizes": "100"}},
    }
)
ANY_LATE = _doc(
    {
        "Effect": "Allow",
        "Action": "ec2:CreateVolume",
        "Resource": "*",
        "Condition": {"ForAnyValue:DateGreaterThan": {"example:dates": "2024-01-01"}},
    }
)

# ---- 6. What is not modelled stays conditional; what is documented is followed ----------------
# "Binary condition operators": not modelled by awsarch.
BINARY = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {"BinaryEquals": {"example:key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}},
    }
)
# "You can not use a policy variable with the Numeric condition operator": the text stays as
# written and is not a number, so it never matches.
NUMERIC_VARIABLE = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "*",
        "Condition": {"NumericEquals": {"s3:max-keys": "${aws:PrincipalTag/keys}"}},
    }
)
# "You can use a policy variable with the Boolean condition operator."
BOOL_VARIABLE = _doc(
    {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "*",
        "Condition": {"Bool": {"aws:SecureTransport": "${aws:PrincipalTag/tls}"}},
    }
)


def _with(context: dict[str, Any], complete: bool = True) -> dict[str, Any]:
    return {"context": context, "context_complete": complete}


ALICE = _with({"aws:username": "alice"})
ROLE = _with({"aws:PrincipalType": "AssumedRole"})  # a role session: no aws:username

CASES: list[tuple[str, dict[str, Any], str, str, dict[str, Any], str]] = [
    # (case id, policy, action, resource, request extras, expected outcome)
    # 1. special characters
    (
        "star-literal-not-wildcard",
        LITERAL_STAR,
        "s3:GetObject",
        "arn:aws:s3:::mybucket/secret.txt",
        {},
        "denied-implicit",
    ),
    (
        "star-literal-matches-star",
        LITERAL_STAR,
        "s3:GetObject",
        "arn:aws:s3:::mybucket/*",
        {},
        "allowed",
    ),
    (
        "question-literal-not-wildcard",
        LITERAL_QUESTION,
        "s3:GetObject",
        "arn:aws:s3:::mybucket/whyX",
        {},
        "denied-implicit",
    ),
    (
        "question-literal-matches-question",
        LITERAL_QUESTION,
        "s3:GetObject",
        "arn:aws:s3:::mybucket/why?",
        {},
        "allowed",
    ),
    (
        "dollar-literal-not-substituted-again",
        LITERAL_DOLLAR,
        "s3:GetObject",
        "arn:aws:s3:::mybucket/alice",
        ALICE,
        "denied-implicit",
    ),
    (
        "dollar-literal-matches-text",
        LITERAL_DOLLAR,
        "s3:GetObject",
        "arn:aws:s3:::mybucket/${aws:username}",
        ALICE,
        "allowed",
    ),
    (
        "star-literal-in-condition",
        LITERAL_IN_CONDITION,
        "s3:ListBucket",
        "arn:aws:s3:::mybucket",
        _with({"s3:prefix": "home/alice"}),
        "denied-implicit",
    ),
    (
        "star-literal-in-condition-matches",
        LITERAL_IN_CONDITION,
        "s3:ListBucket",
        "arn:aws:s3:::mybucket",
        _with({"s3:prefix": "home/*"}),
        "allowed",
    ),
    (
        "substituted-star-is-text",
        TAG_IN_RESOURCE,
        "s3:ListBucket",
        "arn:aws:s3:::bucket-payroll",
        _with({"aws:PrincipalTag/team": "*"}),
        "denied-implicit",
    ),
    (
        "substituted-value-matches-itself",
        TAG_IN_RESOURCE,
        "s3:ListBucket",
        "arn:aws:s3:::bucket-*",
        _with({"aws:PrincipalTag/team": "*"}),
        "allowed",
    ),
    # 2. variables only in Version 2012-10-17
    (
        "version-2008-variable-is-literal",
        QUEUES_2008,
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-2:111122223333:alice-queue",
        ALICE,
        "denied-implicit",
    ),
    (
        "no-version-variable-is-literal",
        QUEUES_NO_VERSION,
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-2:111122223333:alice-queue",
        ALICE,
        "denied-implicit",
    ),
    (
        "version-2008-matches-literal-text",
        QUEUES_2008,
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-2:111122223333:${aws:username}-queue",
        ALICE,
        "allowed",
    ),
    (
        "version-2012-substitutes",
        QUEUES_2012,
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-2:111122223333:alice-queue",
        ALICE,
        "allowed",
    ),
    (
        "version-2008-deny-is-literal",
        DENY_HOME_2008,
        "s3:GetObject",
        "arn:aws:s3:::mybucket/alice/notes.txt",
        ALICE,
        "allowed",
    ),
    # 3. policy variables with no value
    (
        "no-value-negated-condition-matches",
        NO_TEAM_DENY,
        "s3:GetObject",
        "arn:aws:s3:::/example-bucket/report.csv",
        _with({"s3:ExistingObjectTag/Team": "blue"}),
        "denied-explicit",
    ),
    (
        "no-value-negated-same-team",
        NO_TEAM_DENY,
        "s3:GetObject",
        "arn:aws:s3:::/example-bucket/report.csv",
        _with({"s3:ExistingObjectTag/Team": "blue", "aws:PrincipalTag/Team": "blue"}),
        "allowed",
    ),
    (
        "no-value-positive-condition-fails",
        SAME_TEAM_ALLOW,
        "s3:GetObject",
        "arn:aws:s3:::/example-bucket/report.csv",
        _with({"s3:ExistingObjectTag/Team": "blue"}),
        "denied-implicit",
    ),
    (
        "no-value-unknown-stays-conditional",
        SAME_TEAM_ALLOW,
        "s3:GetObject",
        "arn:aws:s3:::/example-bucket/report.csv",
        _with({"s3:ExistingObjectTag/Team": "blue"}, complete=False),
        "conditional",
    ),
    (
        "no-value-resource-matches-nothing",
        HOME_DIRECTORY,
        "s3:GetObject",
        "arn:aws:s3:::mybucket/alice/notes.txt",
        ROLE,
        "denied-implicit",
    ),
    (
        "no-value-resource-unknown-is-conditional",
        HOME_DIRECTORY,
        "s3:GetObject",
        "arn:aws:s3:::mybucket/alice/notes.txt",
        {},
        "conditional",
    ),
    # 4. default values
    (
        "default-when-tag-absent",
        TEAM_BUCKET,
        "s3:ListBucket",
        "arn:aws:s3:::amzn-s3-demo-bucket-company-wide",
        _with({}),
        "allowed",
    ),
    (
        "default-not-other-team",
        TEAM_BUCKET,
        "s3:ListBucket",
        "arn:aws:s3:::amzn-s3-demo-bucket-yellow",
        _with({}),
        "denied-implicit",
    ),
    (
        "default-tag-wins",
        TEAM_BUCKET,
        "s3:ListBucket",
        "arn:aws:s3:::amzn-s3-demo-bucket-yellow",
        _with({"aws:PrincipalTag/team": "yellow"}),
        "allowed",
    ),
    (
        "default-not-used-with-tag",
        TEAM_BUCKET,
        "s3:ListBucket",
        "arn:aws:s3:::amzn-s3-demo-bucket-company-wide",
        _with({"aws:PrincipalTag/team": "yellow"}),
        "denied-implicit",
    ),
    (
        "default-unknown-stays-conditional",
        TEAM_BUCKET,
        "s3:ListBucket",
        "arn:aws:s3:::amzn-s3-demo-bucket-company-wide",
        {},
        "conditional",
    ),
    (
        "default-in-condition",
        ANONYMOUS_DEFAULT,
        "s3:GetObject",
        "*",
        _with({"aws:Resource": "arn:aws:s3:::/bucket/anonymous"}),
        "allowed",
    ),
    # 5. Numeric, Date, IpAddress
    (
        "numeric-within",
        MAX_KEYS,
        "s3:ListBucket",
        "arn:aws:s3:::example_bucket",
        _with({"s3:max-keys": "10"}),
        "allowed",
    ),
    (
        "numeric-over",
        MAX_KEYS,
        "s3:ListBucket",
        "arn:aws:s3:::example_bucket",
        _with({"s3:max-keys": "11"}),
        "denied-implicit",
    ),
    (
        "numeric-decimal",
        MAX_KEYS,
        "s3:ListBucket",
        "arn:aws:s3:::example_bucket",
        _with({"s3:max-keys": "9.5"}),
        "allowed",
    ),
    (
        "numeric-absent",
        MAX_KEYS,
        "s3:ListBucket",
        "arn:aws:s3:::example_bucket",
        _with({}),
        "denied-implicit",
    ),
    (
        "numeric-unknown",
        MAX_KEYS,
        "s3:ListBucket",
        "arn:aws:s3:::example_bucket",
        {},
        "conditional",
    ),
    (
        "numeric-not-a-number",
        MAX_KEYS,
        "s3:ListBucket",
        "arn:aws:s3:::example_bucket",
        _with({"s3:max-keys": "ten"}),
        "denied-implicit",
    ),
    (
        "numeric-if-exists-absent",
        MAX_KEYS_IF_EXISTS,
        "s3:ListBucket",
        "arn:aws:s3:::example_bucket",
        _with({}),
        "allowed",
    ),
    (
        "numeric-if-exists-over",
        MAX_KEYS_IF_EXISTS,
        "s3:ListBucket",
        "arn:aws:s3:::example_bucket",
        _with({"s3:max-keys": 50}),
        "denied-implicit",
    ),
    (
        "numeric-not-equals-nor",
        NOT_TEN_KEYS,
        "s3:ListBucket",
        "*",
        _with({"s3:max-keys": "20"}),
        "denied-implicit",
    ),
    (
        "numeric-not-equals-other",
        NOT_TEN_KEYS,
        "s3:ListBucket",
        "*",
        _with({"s3:max-keys": "15"}),
        "allowed",
    ),
    ("numeric-not-equals-absent", NOT_TEN_KEYS, "s3:ListBucket", "*", _with({}), "allowed"),
    (
        "date-after",
        FRESH_CREDENTIALS,
        "iam:CreateAccessKey",
        "arn:aws:iam::account-id:user/alice",
        _with({"aws:TokenIssueTime": "2020-06-01T00:00:00Z"}),
        "allowed",
    ),
    (
        "date-before",
        FRESH_CREDENTIALS,
        "iam:CreateAccessKey",
        "arn:aws:iam::account-id:user/alice",
        _with({"aws:TokenIssueTime": "2019-12-31T23:00:00Z"}),
        "denied-implicit",
    ),
    (
        "date-epoch-seconds",
        FRESH_CREDENTIALS,
        "iam:CreateAccessKey",
        "arn:aws:iam::account-id:user/alice",
        _with({"aws:TokenIssueTime": "1590969600"}),
        "allowed",
    ),
    (
        "date-offset",
        FRESH_CREDENTIALS,
        "iam:CreateAccessKey",
        "arn:aws:iam::account-id:user/alice",
        _with({"aws:TokenIssueTime": "2020-01-01T01:00:00+02:00"}),
        "denied-implicit",
    ),
    (
        "date-absent-long-term-keys",
        FRESH_CREDENTIALS,
        "iam:CreateAccessKey",
        "arn:aws:iam::account-id:user/alice",
        _with({}),
        "denied-implicit",
    ),
    (
        "date-not-a-date",
        FRESH_CREDENTIALS,
        "iam:CreateAccessKey",
        "arn:aws:iam::account-id:user/alice",
        _with({"aws:TokenIssueTime": "yesterday"}),
        "denied-implicit",
    ),
    (
        "date-window-inside",
        DATE_WINDOW,
        "service-prefix:action-name",
        "*",
        _with({"aws:CurrentTime": "2020-05-15T12:00:00Z"}),
        "allowed",
    ),
    (
        "date-window-after",
        DATE_WINDOW,
        "service-prefix:action-name",
        "*",
        _with({"aws:CurrentTime": "2020-07-01T00:00:00Z"}),
        "denied-implicit",
    ),
    (
        "ip-inside",
        SOURCE_IP,
        "iam:CreateAccessKey",
        "arn:aws:iam::account-id:user/alice",
        _with({"aws:SourceIp": "203.0.113.9"}),
        "allowed",
    ),
    (
        "ip-outside",
        SOURCE_IP,
        "iam:CreateAccessKey",
        "arn:aws:iam::account-id:user/alice",
        _with({"aws:SourceIp": "198.51.100.7"}),
        "denied-implicit",
    ),
    (
        "ip-absent-vpc-endpoint",
        SOURCE_IP,
        "iam:CreateAccessKey",
        "arn:aws:iam::account-id:user/alice",
        _with({}),
        "denied-implicit",
    ),
    (
        "ip-not-an-address",
        SOURCE_IP,
        "iam:CreateAccessKey",
        "arn:aws:iam::account-id:user/alice",
        _with({"aws:SourceIp": "example.com"}),
        "denied-implicit",
    ),
    (
        "ipv6-inside",
        MIXED_IP,
        "someservice:Get",
        "*",
        _with({"aws:SourceIp": "2001:db8:1234:5678::1"}),
        "allowed",
    ),
    (
        "ipv6-outside",
        MIXED_IP,
        "someservice:Get",
        "*",
        _with({"aws:SourceIp": "2001:db8:1234:5679::1"}),
        "denied-implicit",
    ),
    (
        "not-ip-inside-allowed",
        DENY_OUTSIDE_IPS,
        "ec2:RunInstances",
        "*",
        _with({"aws:SourceIp": "192.0.2.44", "aws:ViaAWSService": False}),
        "allowed",
    ),
    (
        "not-ip-outside-denied",
        DENY_OUTSIDE_IPS,
        "ec2:RunInstances",
        "*",
        _with({"aws:SourceIp": "198.51.100.7", "aws:ViaAWSService": False}),
        "denied-explicit",
    ),
    (
        "not-ip-absent-denied",
        DENY_OUTSIDE_IPS,
        "ec2:RunInstances",
        "*",
        _with({"aws:ViaAWSService": False}),
        "denied-explicit",
    ),
    (
        "for-all-values-numeric",
        ALL_SMALL,
        "ec2:CreateVolume",
        "*",
        _with({"example:sizes": ["8", "100"]}),
        "allowed",
    ),
    (
        "for-all-values-numeric-one-over",
        ALL_SMALL,
        "ec2:CreateVolume",
        "*",
        _with({"example:sizes": ["8", "101"]}),
        "denied-implicit",
    ),
    (
        "for-any-value-date",
        ANY_LATE,
        "ec2:CreateVolume",
        "*",
        _with({"example:dates": ["2023-05-01", "2024-02-01T00:00:00Z"]}),
        "allowed",
    ),
    (
        "for-any-value-date-none",
        ANY_LATE,
        "ec2:CreateVolume",
        "*",
        _with({"example:dates": ["2023-05-01"]}),
        "denied-implicit",
    ),
    # 6. not modelled stays conditional; documented limits followed
    (
        "binary-stays-conditional",
        BINARY,
        "s3:GetObject",
        "*",
        _with({"example:key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}),
        "conditional",
    ),
    (
        "numeric-takes-no-variable",
        NUMERIC_VARIABLE,
        "s3:ListBucket",
        "*",
        _with({"s3:max-keys": "10", "aws:PrincipalTag/keys": "10"}),
        "denied-implicit",
    ),
    (
        "bool-takes-a-variable",
        BOOL_VARIABLE,
        "s3:ListBucket",
        "*",
        _with({"aws:SecureTransport": True, "aws:PrincipalTag/tls": "true"}),
        "allowed",
    ),
]


@pytest.mark.parametrize(
    ("policy", "action", "resource", "extra", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_documented_rule(
    policy: dict[str, Any], action: str, resource: str, extra: dict[str, Any], expected: str
) -> None:
    """Each request gets the decision AWS's documentation gives for that policy."""
    decision = evaluate(Request(action=action, resource=resource, **extra), [policy])
    assert decision.outcome == expected, decision.reason


def test_substitution_is_one_round_of_literal_text() -> None:
    """A substituted value, a default with a quote and `${*}` are text, never wildcards."""
    context = {"aws:principaltag/team": ("a*",)}
    resolved = substitute("arn:aws:s3:::b-${aws:PrincipalTag/team}/*", context, complete=True)
    assert not isinstance(resolved, Unresolved)
    assert resource_matches(resolved, "arn:aws:s3:::b-a*/key")
    assert not resource_matches(resolved, "arn:aws:s3:::b-abc/key")
    quoted = substitute("${aws:username, 'it''s'}", {}, complete=True)
    assert not isinstance(quoted, Unresolved) and glob_text(quoted) == "it's"
    assert arn_like(literal("arn:aws:sns:*:1:t"), "arn:aws:sns:*:1:t")
    assert not arn_like(literal("arn:aws:sns:*:1:t"), "arn:aws:sns:us-east-1:1:t")
    assert substitute("${aws:username}", {}, complete=False) == Unresolved(
        key="aws:username", absent=False
    )


# "Where you can use policy variables", Resource element: "You can use a policy variable in the
# Resource element, but only in the resource portion of the ARN. This portion of the ARN appears
# after the fifth colon (:). You can't use a variable to replace parts of the ARN before the fifth
# colon, such as the service or account." awsarch does not model what AWS does then.
ACCOUNT_VARIABLE = _doc(
    {
        "Effect": "Allow",
        "Action": "iam:GetUser",
        "Resource": "arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}",
    }
)


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        ("arn:aws:iam::111122223333:user/alice", "conditional"),
        ("arn:aws:iam::111122223333:user/bob", "conditional"),
    ],
)
def test_variable_before_the_fifth_colon_is_not_modelled(resource: str, expected: str) -> None:
    """A variable in the account part of an ARN is not documented: conditional, never allowed."""
    context = {"aws:PrincipalAccount": "111122223333", "aws:username": "alice"}
    request = Request(
        action="iam:GetUser", resource=resource, context=context, context_complete=True
    )
    assert evaluate(request, [ACCOUNT_VARIABLE]).outcome == expected
