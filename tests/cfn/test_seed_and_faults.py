"""The seed architecture written as a CDK-style template proves clean; planted faults give the
right rule at the template's own line, and the right counterexample path."""

from __future__ import annotations

from pathlib import Path

from .support import SEED, as_cdk_json, check_json, findings, line_of, plant, write


def test_seed_as_cdk_json_under_cdk_out_proves_clean(tmp_path: Path) -> None:
    """`cdk.out/App.template.json` (JSON, long forms): no error or warning, every intent holds."""
    path = write(tmp_path, as_cdk_json(SEED), "cdk.out/App.template.json")
    code, report = check_json(path)
    assert code == 0
    assert [f["rule"] for f in report["findings"]] == ["CFN000"]  # the Lambda, listed once
    assert "AWS::Lambda::Function" in report["findings"][0]["message"]
    assert len(report["intents"]) == 7 and all(i["holds"] for i in report["intents"])


def test_a_resource_not_read_is_named_at_its_line(tmp_path: Path) -> None:
    """CFN000 names the resource it did not read by its logical id, at the line of that id,
    never `-` without a place."""
    path = write(tmp_path, SEED)
    _, report = check_json(path)
    (ignored,) = findings(report, "CFN000")
    line = line_of(SEED, "Type: AWS::Lambda::Function") - 1
    name = SEED.splitlines()[line - 1].strip().rstrip(":")
    assert ignored["resource"] == name
    assert ignored["location"].startswith(f"{path}:{line}:")
    assert ignored["message"] == "not read (outside the architecture): AWS::Lambda::Function"


def test_seed_yaml_with_short_forms_proves_clean(tmp_path: Path) -> None:
    """The same template in YAML with !Ref, !GetAtt, !Select, !GetAZs, !Join proves the same."""
    code, report = check_json(write(tmp_path, SEED))
    assert code == 0 and all(i["holds"] for i in report["intents"])


def test_database_group_admitting_the_world(tmp_path: Path) -> None:
    """A 0.0.0.0/0 source on the database's standalone ingress: DATA003 and SEC004 at the
    CidrIp line, and an intent that the private tier cannot reach the database fails, its
    counterexample passing through that rule."""
    text = plant(SEED, "SourceSecurityGroupId: !GetAtt WebSG1A2B3C4D.GroupId", "CidrIp: 0.0.0.0/0")
    path = write(tmp_path, text)
    intents = write(tmp_path, "intents:\n  - Private -/-> Database:3306\n", "intents.yaml")
    code, report = check_json(path, "--intents", str(intents))
    assert code == 3
    line = line_of(text, "CidrIp: 0.0.0.0/0", after="DatabaseSGfromAppWebSG3306C0FFEE12:")
    for rule in ("DATA003", "SEC004"):
        (found,) = findings(report, rule)
        assert found["location"].startswith(f"{path}:{line}:"), rule
    (intent,) = report["intents"]
    assert not intent["holds"] and intent["location"] == f"{intents}:2:5"
    hops = intent["proof"]["paths"][0]["hops"]
    ingress = next(h for h in hops if h["kind"] == "security-group-ingress")
    assert ingress["decision"] == "allow" and "0.0.0.0/0" in ingress["reason"]
    assert ingress["resource"] == "DatabaseSG5E6F7A8B"


def test_database_in_a_subnet_routed_to_the_internet_gateway(tmp_path: Path) -> None:
    """A public subnet in the DB subnet group: DATA001 at the database's DBSubnetGroupName."""
    text = plant(
        SEED,
        "        - !Ref VPCPrivateSubnet2SubnetCFCDAA7A\n",
        "        - !Ref VPCPublicSubnet2Subnet74179F39\n",
    )
    path = write(tmp_path, text)
    code, report = check_json(path)
    assert code == 3
    (found,) = findings(report, "DATA001")
    assert found["resource"] == "DatabaseB269D8BB"
    assert "VPCPublicSubnet2Subnet" in found["message"]
    assert found["location"].startswith(f"{path}:{line_of(text, 'DBSubnetGroupName:')}:")


def test_no_multi_az(tmp_path: Path) -> None:
    """MultiAZ: false is DATA004 at its own line."""
    text = plant(SEED, "MultiAZ: true", "MultiAZ: false")
    path = write(tmp_path, text)
    code, report = check_json(path)
    assert code == 3
    (found,) = findings(report, "DATA004")
    assert found["location"].startswith(f"{path}:{line_of(text, 'MultiAZ: false')}:")


def test_imdsv1_in_the_launch_template(tmp_path: Path) -> None:
    """HttpTokens optional in the launch template: SEC002 on both instances, at the launch
    template's MetadataOptions."""
    text = plant(SEED, "HttpTokens: required", "HttpTokens: optional")
    path = write(tmp_path, text)
    code, report = check_json(path)
    assert code == 3
    found = findings(report, "SEC002")
    assert {f["resource"] for f in found} == {"Web1E1F2A3B4", "Web2C5D6E7F8"}
    line = line_of(text, "HttpTokens: optional")
    assert all(f["location"].startswith(f"{path}:{line}:") for f in found)


def test_imdsv1_on_a_bare_instance(tmp_path: Path) -> None:
    """An instance without a launch template or MetadataOptions answers IMDSv1: SEC002 at
    its logical id's line."""
    text = plant(
        SEED,
        "      LaunchTemplate:\n        LaunchTemplateId: !Ref WebLaunchTemplate9A8B7C6D\n"
        "        Version: !GetAtt WebLaunchTemplate9A8B7C6D.LatestVersionNumber\n"
        "  Web2C5D6E7F8:",
        "  Web2C5D6E7F8:",
    )
    path = write(tmp_path, text)
    _, report = check_json(path)
    (found,) = findings(report, "SEC002")
    assert found["resource"] == "Web1E1F2A3B4"
    assert found["location"].startswith(f"{path}:{line_of(text, 'Web1E1F2A3B4:')}:")


def test_open_default_group(tmp_path: Path) -> None:
    """A rule added to the VPC's default group: SEC005 at that ingress resource's line."""
    rule = (
        "  DefaultOpen1A2B3C4D:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n"
        "      GroupId: !GetAtt VPCB9E5F0B4.DefaultSecurityGroup\n"
        "      IpProtocol: '-1'\n      CidrIp: 0.0.0.0/0\n"
    )
    text = plant(SEED, "Outputs:\n", rule + "Outputs:\n")
    path = write(tmp_path, text)
    _, report = check_json(path)
    (found,) = findings(report, "SEC005")
    assert found["resource"] == "VPCB9E5F0B4.DefaultSecurityGroup"
    assert found["location"].startswith(f"{path}:{line_of(text, 'DefaultOpen1A2B3C4D:')}:")


def test_default_group_left_with_aws_rules(tmp_path: Path) -> None:
    """Without the CDK's restrict-default-group resource the default group keeps AWS's
    rules: SEC005 at the VPC."""
    text = plant(
        SEED,
        "      DefaultSecurityGroupId: !GetAtt VPCB9E5F0B4.DefaultSecurityGroup\n",
        "",
    )
    path = write(tmp_path, text)
    _, report = check_json(path)
    (found,) = findings(report, "SEC005")
    assert found["location"].startswith(f"{path}:{line_of(text, 'VPCB9E5F0B4:')}:")
