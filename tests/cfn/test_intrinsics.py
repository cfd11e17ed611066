"""Intrinsic functions and conditions resolve as CloudFormation resolves them; what cannot be
known offline is Unknown, never a guess."""

from __future__ import annotations

from typing import Any

import pytest

from awsarch.cfn.intrinsics import Resolver, Unknown, parameter_values
from awsarch.cfn.template import parse_template
from awsarch.errors import InputError

TEMPLATE = """\
Parameters:
  Env: {Type: String, Default: dev}
  Cidrs: {Type: CommaDelimitedList, Default: "10.0.0.0/24,10.0.1.0/24"}
  NoDefault: {Type: String}
Mappings:
  Sizes: {dev: {Class: db.t3.micro}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Either: !Or [!Condition IsProd, !Condition IsDev]
  Both: !And [!Condition IsProd, !Equals [!Ref NoDefault, x]]
  Vague: !Equals [!Ref NoDefault, x]
Resources:
  Vpc1A2B3C4D: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
"""


def resolver(overrides: dict[str, str] | None = None) -> Resolver:
    doc = parse_template(TEMPLATE, file="t.yaml")
    values = parameter_values(doc, overrides or {}, region="eu-west-1", stack="App")
    return Resolver(
        doc,
        parameters=values,
        refs=lambda lid: lid,
        attributes=lambda lid, attr, path: f"{lid}.{attr}",
        region="eu-west-1",
    )


def value(raw: Any, overrides: dict[str, str] | None = None) -> Any:
    return resolver(overrides).value(raw, ())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"Ref": "Env"}, "dev"),
        ({"Ref": "Vpc1A2B3C4D"}, "Vpc1A2B3C4D"),
        ({"Ref": "AWS::Region"}, "eu-west-1"),
        (
            {"Fn::Sub": "${AWS::StackName}-${Env}-${Vpc1A2B3C4D.CidrBlock}-${!Literal}"},
            "App-dev-Vpc1A2B3C4D.CidrBlock-${Literal}",
        ),
        ({"Fn::Sub": ["${A}/${Env}", {"A": {"Ref": "AWS::Partition"}}]}, "aws/dev"),
        ({"Fn::Join": ["-", ["a", {"Ref": "Env"}]]}, "a-dev"),
        ({"Fn::Select": [1, {"Ref": "Cidrs"}]}, "10.0.1.0/24"),
        ({"Fn::Select": ["2", {"Fn::GetAZs": ""}]}, "eu-west-1c"),
        ({"Fn::Split": [",", "a,b"]}, ["a", "b"]),
        ({"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Class"]}, "db.t3.micro"),
        ({"Fn::If": ["IsProd", "big", "small"]}, "small"),
        ({"Fn::If": ["Either", "yes", "no"]}, "yes"),
        ({"Fn::If": ["Both", "yes", "no"]}, "no"),
        ({"A": {"Ref": "AWS::NoValue"}, "B": 1}, {"B": 1}),
    ],
)
def test_resolves(raw: Any, expected: Any) -> None:
    """Each function gives what CloudFormation would."""
    assert value(raw) == expected


def test_parameter_override() -> None:
    """`--parameter Env=prod` overrides the default, and conditions follow."""
    assert value({"Fn::If": ["IsProd", "big", "small"]}, {"Env": "prod"}) == "big"


@pytest.mark.parametrize(
    "raw",
    [
        {"Ref": "NoDefault"},
        {"Fn::ImportValue": "OfficeCidr"},
        {"Fn::Join": ["", ["arn:aws:iam::", {"Ref": "AWS::AccountId"}, ":root"]]},
        {"Fn::If": ["Vague", "a", "b"]},
        {"Fn::Sub": "${NoDefault}-x"},
    ],
)
def test_unresolvable_is_unknown(raw: Any) -> None:
    """A parameter without a default, an import, the account id, an undecidable condition:
    Unknown, with the reason."""
    found = value(raw)
    assert isinstance(found, Unknown) and found.why


def test_bad_reference_is_a_located_error() -> None:
    """A Ref to nothing is an input error naming the fix."""
    with pytest.raises(InputError, match="neither a parameter nor a resource"):
        value({"Ref": "Nope"})


def test_unknown_parameter_override_is_an_error() -> None:
    """`--parameter` naming no parameter of the template lists those it has."""
    with pytest.raises(InputError, match=r"declares no such parameter.*Env"):
        resolver({"Envv": "prod"})
