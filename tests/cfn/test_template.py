"""Reading a template: short forms become long forms, every path keeps its line and column,
and a template is told from a blueprint by its content."""

from __future__ import annotations

import pytest

from awsarch.cfn.template import looks_like_template, parse_template
from awsarch.errors import InputError

YAML = """\
Resources:
  WebSG1A2B3C4D:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !Ref VPCB9E5F0B4
      GroupDescription: !Sub "${AWS::StackName} web"
      Tags:
        - Key: Zone
          Value: !Select [0, !GetAZs ""]
      Other: !GetAtt VPCB9E5F0B4.DefaultSecurityGroup
      Joined: !Join
        - ","
        - [a, b]
"""


def test_short_forms_become_long_forms() -> None:
    """!Ref, !Sub, !Select, !GetAZs, !GetAtt A.B and a block-style !Join read as CloudFormation
    reads them."""
    props = parse_template(YAML, file="t.yaml").data["Resources"]["WebSG1A2B3C4D"]["Properties"]
    assert props["VpcId"] == {"Ref": "VPCB9E5F0B4"}
    assert props["GroupDescription"] == {"Fn::Sub": "${AWS::StackName} web"}
    assert props["Tags"][0]["Value"] == {"Fn::Select": [0, {"Fn::GetAZs": ""}]}
    assert props["Other"] == {"Fn::GetAtt": ["VPCB9E5F0B4", "DefaultSecurityGroup"]}
    assert props["Joined"] == {"Fn::Join": [",", ["a", "b"]]}


def test_positions_of_keys_and_values() -> None:
    """Each logical id and property keeps its (line, column)."""
    doc = parse_template(YAML, file="t.yaml")
    assert doc.keys[("Resources", "WebSG1A2B3C4D")] == (2, 3)
    assert doc.values[("Resources", "WebSG1A2B3C4D", "Properties", "VpcId")] == (5, 14)


def test_json_keeps_positions() -> None:
    """The CDK's JSON is read with its positions too."""
    text = '{\n "Resources": {\n  "Vpc": {\n   "Type": "AWS::EC2::VPC"\n  }\n }\n}\n'
    doc = parse_template(text, file="t.json")
    assert doc.data["Resources"]["Vpc"]["Type"] == "AWS::EC2::VPC"
    assert doc.keys[("Resources", "Vpc")] == (3, 3)


def test_syntax_error_is_located() -> None:
    """Broken syntax is one located line, never a traceback."""
    with pytest.raises(InputError) as caught:
        parse_template("Resources:\n  A: [\n", file="t.yaml")
    assert caught.value.file == "t.yaml" and caught.value.line >= 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('AWSTemplateFormatVersion: "2010-09-09"\n', True),
        ('{"Resources": {"A": {"Type": "AWS::EC2::VPC"}}}', True),
        ("Resources:\n  A:\n    Type: AWS::EC2::VPC\n", True),
        ("stack: demo\nregion: ap-northeast-2\n", False),
    ],
)
def test_detected_by_content(text: str, expected: bool) -> None:
    """A template is known by AWSTemplateFormatVersion or a `Type: AWS::…`, not its name."""
    assert looks_like_template(text) is expected
