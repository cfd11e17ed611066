"""`awsarch synth`: the blueprint as a CloudFormation template cfn-lint finds nothing in."""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from awsarch.adapters.aws.resources.context import ApplyContext
from awsarch.blueprint.seed import seed_text
from awsarch.cfn.builder import CannotSynthesize, tags
from awsarch.cfn.lint import lint
from awsarch.cfn.logical_ids import LogicalIds, readable
from awsarch.cfn.synth import dump, synthesize
from awsarch.cli.main import cli
from awsarch.model import Peer, PortRange, SecurityGroupRule

from ..blueprint.golden import THREE_TIER as GOLDEN_THREE_TIER
from .blueprints import (
    BLUEPRINTS,
    CLOUDFRONT,
    GOLDEN_TEMPLATES,
    THREE_TIER,
    architecture,
    golden_text,
)

UNTAGGED = {
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::InstanceProfile",
    "AWS::IAM::Group",
    "AWS::IAM::ManagedPolicy",
    "Custom::VpcRestrictDefaultSG",
}
"""Types CloudFormation gives no Tags property."""


@cache
def _synth(name: str) -> tuple[dict[str, Any], str]:
    arch = architecture(BLUEPRINTS[name])
    template = synthesize(arch)
    return template, dump(template)


@pytest.mark.parametrize("name", sorted(BLUEPRINTS))
def test_cfn_lint_finds_nothing(name: str) -> None:
    """Every blueprint's template passes AWS's own linter, errors and warnings alike."""
    template, text = _synth(name)
    region = architecture(BLUEPRINTS[name]).region
    assert [str(p) for p in lint(text, region)] == []
    assert [str(p) for p in lint(dump(template, "json"), region)] == []


@pytest.mark.parametrize("name", sorted(BLUEPRINTS))
def test_every_resource_of_the_model_is_there_with_its_tags(name: str) -> None:
    """Discovery finds a stack deployed by CloudFormation by the direct engine's tags."""
    arch = architecture(BLUEPRINTS[name])
    template, _ = _synth(name)
    named = {}
    for logical, resource in template["Resources"].items():
        if resource["Type"] in UNTAGGED:
            continue
        found = _tags(resource)
        assert found["awsarch:stack"] == arch.stack, logical
        named[found["awsarch:name"]] = resource["Type"]
    implicit = {"rtb/main", "acl/default", "sg/default"}  # they come with the VPC
    members = {i.id for i in arch.instances if i.scaling_group}  # their group launches them
    for resource in arch.resources():
        if resource.id in implicit | members:
            continue
        if resource.id.split("/")[0] not in ("group", "profile"):
            assert resource.id in named, resource.id


def _tags(resource: dict[str, Any]) -> dict[str, str]:
    properties = resource["Properties"]
    listed = properties.get("Tags") or properties["TagSpecifications"][0]["Tags"]
    return {t["Key"]: t["Value"] for t in listed}


def test_tags_are_the_direct_engines() -> None:
    """A subnet synthesized carries exactly the tags `up` puts on it."""
    ctx = ApplyContext(session=None, stack="demo")  # type: ignore[arg-type]
    extra = {"awsarch:tier": "public", "awsarch:kind": "public"}
    assert tags("demo", "subnet/public-a", **extra) == ctx.tags("subnet/public-a", **extra)


def test_the_database_keeps_its_data_and_rds_keeps_its_password() -> None:
    """Deleting or replacing the stack's database leaves a snapshot; its password is RDS's."""
    template, _ = _synth("seed")
    db = template["Resources"]["DatabaseMain"]
    assert db["DeletionPolicy"] == "Snapshot"
    assert db["UpdateReplacePolicy"] == "Snapshot"
    props = db["Properties"]
    assert props["ManageMasterUserPassword"] is True
    assert "MasterUserPassword" not in props
    # On, through a parameter that `stackset delete` turns off first (DeleteStack does not).
    assert props["DeletionProtection"] == {"Ref": "DeletionProtection"}
    assert template["Parameters"]["DeletionProtection"]["Default"] == "true"
    assert props["StorageEncrypted"] is True
    assert props["MultiAZ"] is True
    assert props["VPCSecurityGroups"] == [{"Fn::GetAtt": ["SecurityGroupDbMain", "GroupId"]}]
    single, _ = _synth("three-tier")
    assert single["Resources"]["DatabaseMain"]["Properties"]["MultiAZ"] is False


@pytest.mark.parametrize("name", sorted(BLUEPRINTS))
def test_no_password_or_secret_value_anywhere(name: str) -> None:
    """The template says where the secret is (its ARN), never what it is."""
    _, text = _synth(name)
    lowered = text.lower()
    assert "password:" not in lowered.replace("managemasteruserpassword:", "")
    assert "secret-of:" not in text
    assert "AWS::IAM::AccessKey" not in text
    assert "secretaccesskey" not in lowered
    assert "NoEcho" not in text


def test_outputs_give_web_addresses_database_endpoint_port_and_secret_arn() -> None:
    """Once up, the stack's outputs say where to go: web servers, database, its secret."""
    template, _ = _synth("seed")
    outputs = template["Outputs"]
    assert outputs["WebPublicIps"]["Value"]["Fn::Join"][1] == [
        {"Fn::GetAtt": ["InstanceWeb1", "PublicIp"]},
        {"Fn::GetAtt": ["InstanceWeb2", "PublicIp"]},
    ]
    assert "WebPublicDnsNames" in outputs
    assert outputs["DatabaseMainEndpoint"]["Value"] == {
        "Fn::GetAtt": ["DatabaseMain", "Endpoint.Address"]
    }
    assert outputs["DatabaseMainPort"]["Value"] == {"Fn::GetAtt": ["DatabaseMain", "Endpoint.Port"]}
    assert outputs["DatabaseMainSecretArn"]["Value"] == {
        "Fn::GetAtt": ["DatabaseMain", "MasterUserSecret.SecretArn"]
    }


def test_instances_launch_from_a_template_with_imdsv2_an_encrypted_root_and_the_profile() -> None:
    """Every instance gets IMDSv2, an encrypted root volume and its role, from one template."""
    template, _ = _synth("seed")
    data = template["Resources"]["LaunchTemplateWeb"]["Properties"]["LaunchTemplateData"]
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    assert data["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True
    assert data["IamInstanceProfile"] == {"Arn": {"Fn::GetAtt": ["InstanceProfileWeb", "Arn"]}}
    assert data["ImageId"] == {"Ref": "ImageAl2023AmiKernelDefaultX8664"}
    parameter = template["Parameters"]["ImageAl2023AmiKernelDefaultX8664"]
    assert parameter["Type"] == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
    assert parameter["Default"] == (
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    )
    instance = template["Resources"]["InstanceWeb1"]["Properties"]
    assert instance["LaunchTemplate"]["LaunchTemplateId"] == {"Ref": "LaunchTemplateWeb"}


def test_graviton_servers_get_the_arm64_image() -> None:
    """`t4g` servers read the arm64 parameter, as `up` does."""
    template, _ = _synth("three-tier")
    assert template["Parameters"]["ImageAl2023AmiKernelDefaultArm64"]["Default"].endswith(
        "al2023-ami-kernel-default-arm64"
    )


@pytest.mark.parametrize("name", sorted(BLUEPRINTS))
def test_no_zone_is_hard_coded(name: str) -> None:
    """Subnets take the Nth zone (Fn::GetAZs, or the zones the user pins), never a name."""
    arch = architecture(BLUEPRINTS[name])
    template, _ = _synth(name)
    text = json.dumps(template["Resources"])
    for subnet in arch.subnets:
        assert subnet.az not in text
    index = sorted({s.az for s in arch.subnets}).index(arch.subnets[-1].az)
    last = template["Resources"][readable(arch.subnets[-1].id)]["Properties"]
    assert last["AvailabilityZone"]["Fn::If"][1] == {"Fn::Select": [index, {"Fn::GetAZs": ""}]}


@pytest.mark.parametrize("name", sorted(BLUEPRINTS))
def test_the_same_blueprint_gives_the_same_bytes(name: str) -> None:
    """Synthesizing again gives a byte-identical template, YAML and JSON."""
    first = synthesize(architecture(BLUEPRINTS[name]))
    second = synthesize(architecture(BLUEPRINTS[name]))
    assert dump(first) == dump(second)
    assert dump(first, "json") == dump(second, "json")


def test_logical_ids_are_readable_and_unique() -> None:
    """`subnet/public-a` is `SubnetPublicA`; two names that read alike stay apart."""
    assert readable("subnet/public-a") == "SubnetPublicA"
    assert readable("sg/db-main") == "SecurityGroupDbMain"
    ids = LogicalIds()
    first, second = ids.claim("InstanceWeb1", "instance/web-1"), ids.claim("InstanceWeb1", "x")
    assert first == "InstanceWeb1"
    assert second != first and second.startswith("InstanceWeb1H")


def test_groups_that_name_each_other_get_standalone_rules() -> None:
    """A cycle of group references is broken by standalone ingress/egress, so it deploys."""
    arch = architecture(BLUEPRINTS["seed"])
    to_db = SecurityGroupRule(
        protocol="tcp", ports=PortRange.single(3306), peer=Peer.group("sg/db-main")
    )
    groups = tuple(
        dataclasses.replace(g, egress=(*g.egress, to_db)) if g.id == "sg/web" else g
        for g in arch.security_groups
    )
    template = synthesize(dataclasses.replace(arch, security_groups=groups))
    resources = template["Resources"]
    standalone = {
        k: v for k, v in resources.items() if v["Type"].startswith("AWS::EC2::SecurityGroupI")
    }
    standalone |= {
        k: v for k, v in resources.items() if v["Type"] == "AWS::EC2::SecurityGroupEgress"
    }
    assert set(standalone) == {
        "SecurityGroupWebEgressToSecurityGroupDbMainTcp3306",
        "SecurityGroupDbMainIngressFromSecurityGroupWebTcp3306",
    }
    web = resources["SecurityGroupWeb"]["Properties"]
    assert "SourceSecurityGroupId" not in json.dumps(web)
    assert [str(p) for p in lint(dump(template), arch.region)] == []


def test_cli_writes_the_file_and_json_is_json(tmp_path: Path) -> None:
    """`synth -o` writes the template; `--format json` writes valid JSON."""
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(THREE_TIER)
    out = tmp_path / "out" / "template.yaml"
    result = CliRunner().invoke(cli, ["synth", str(blueprint), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(out.read_text())["Resources"]["DatabaseMain"]
    result = CliRunner().invoke(cli, ["synth", str(blueprint), "--format", "json", "--no-lint"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["AWSTemplateFormatVersion"] == "2010-09-09"


def test_a_blueprint_error_is_one_located_line(tmp_path: Path) -> None:
    """A mistake in the blueprint names FILE:LINE:COL and the fix, exit 2, no template."""
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(THREE_TIER.replace("tier: data\n", "tier: dta\n"))
    out = tmp_path / "template.yaml"
    result = CliRunner().invoke(cli, ["synth", str(blueprint), "-o", str(out)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"awsarch: error: {blueprint}:")
    assert "did you mean 'data'?" in lines[0]
    assert not out.exists()


def test_instances_boot_once_their_subnet_routes_out() -> None:
    """A private server's user data finds its route through the NAT gateway at boot."""
    template, _ = _synth("three-tier")
    app = template["Resources"]["InstanceApp1"]
    assert app["DependsOn"] == [
        "SubnetAppARouteTableAssociation",
        "RouteTableAppARouteDefault",
    ]


def test_a_retired_engine_version_is_caught_before_the_template_is_written(
    tmp_path: Path,
) -> None:
    """The expansion goldens' blueprint asks for postgres 16.4, which RDS no longer creates:
    cfn-lint says so, and synth writes nothing (exit 1), naming the warning."""
    arch = architecture(GOLDEN_THREE_TIER)
    problems = lint(dump(synthesize(arch)), arch.region)
    assert [p.rule for p in problems] == ["W3691"]
    assert "'16.4'" in problems[0].message and "deprecated" in problems[0].message
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(GOLDEN_THREE_TIER)
    out = tmp_path / "template.yaml"
    result = CliRunner().invoke(cli, ["synth", str(blueprint), "-o", str(out)])
    assert result.exit_code == 1
    assert "W3691" in result.stderr and "change the blueprint" in result.stderr
    assert not out.exists()
    fixed = GOLDEN_THREE_TIER.replace('"16.4"', '"16.9"')
    assert lint(dump(synthesize(architecture(fixed))), arch.region) == []


def test_a_large_group_splits_its_addresses_and_an_oversized_stack_is_refused() -> None:
    """120 web servers: three address outputs, cfn-lint clean; 600 exceed a stack's quota."""
    big = BLUEPRINTS["seed"].replace("count: 2 ", "count: 120 ")
    arch = architecture(big)
    template = synthesize(arch)
    outputs = template["Outputs"]
    assert [k for k in outputs if k.startswith("WebPublicIps")] == [
        "WebPublicIps",
        "WebPublicIps2",
        "WebPublicIps3",
    ]
    assert len(outputs["WebPublicIps3"]["Value"]["Fn::Join"][1]) == 20
    assert [str(p) for p in lint(dump(template), arch.region)] == []
    with pytest.raises(CannotSynthesize, match="over CloudFormation's 500 per stack"):
        synthesize(architecture(big.replace("count: 120 ", "count: 600 ")))


@pytest.mark.parametrize("name", GOLDEN_TEMPLATES)
def test_template_matches_golden_file(name: str) -> None:
    """The template is exactly the reviewed golden file (regenerate: make golden)."""
    golden = Path(__file__).parent / "golden" / f"{name}.yaml"
    assert golden_text(name) == golden.read_text(encoding="utf-8")


def test_a_prefix_list_of_the_stack_is_a_resource_and_an_aws_managed_one_a_parameter() -> None:
    """The blueprint's own list is an AWS::EC2::PrefixList the rule names by Ref; CloudFormation
    cannot look an AWS-managed list up by name, so the region's id is a parameter."""
    template, _ = _synth("prefix-lists")
    office = template["Resources"]["PrefixListOffice"]
    assert office["Type"] == "AWS::EC2::PrefixList"
    assert [e["Cidr"] for e in office["Properties"]["Entries"]] == [
        "198.51.100.0/24",
        "203.0.113.0/24",
    ]
    rules = template["Resources"]["SecurityGroupWeb"]["Properties"]["SecurityGroupIngress"]
    named = {r["FromPort"]: r.get("SourcePrefixListId") for r in rules}
    assert named[22] == {"Ref": "PrefixListOffice"}
    parameter = named[80]["Ref"]
    assert CLOUDFRONT in template["Parameters"][parameter]["Description"]


@pytest.mark.parametrize(
    ("ports", "warning"),
    [
        ("[80, 443]", ""),
        (
            "[22, 80, 443]",
            "warning: {blueprint} has 2 error findings (INTENT, SEC004): `awsarch up` refuses"
            " it; `awsarch check` lists them",
        ),
    ],
)
def test_a_faulty_blueprints_template_is_written_with_a_warning(
    tmp_path: Path, ports: str, warning: str
) -> None:
    """The template of a blueprint with error findings is still written (`check template.yaml`
    shows the same findings), with one warning line on stderr naming the rules; a sound one has
    none."""
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(seed_text().replace("public_ports: [80, 443]", f"public_ports: {ports}"))
    out = tmp_path / "template.yaml"
    result = CliRunner().invoke(cli, ["synth", str(blueprint), "-o", str(out), "--no-lint"])
    assert result.exit_code == 0, result.output
    assert out.exists()
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == ([warning.format(blueprint=blueprint)] if warning else [])
