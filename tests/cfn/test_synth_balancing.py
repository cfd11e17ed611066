"""`awsarch synth` of three tiers: the load balancer, its listeners and target group, and the Auto
Scaling group that launches the app servers; and the template read back."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from awsarch.cfn.builder import CannotSynthesize
from awsarch.cfn.ingest import ingest
from awsarch.cfn.lint import lint
from awsarch.cfn.synth import dump, synthesize
from awsarch.cfn.template import parse_template

from .blueprints import BLUEPRINTS, architecture

ALB = BLUEPRINTS["alb-three-tier"]
CERTIFICATE = (
    "arn:aws:acm:ap-northeast-2:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555"
)


@cache
def _template(text: str = ALB) -> dict[str, Any]:
    return synthesize(architecture(text))


def _resources(kind: str, text: str = ALB) -> dict[str, Any]:
    return {k: v for k, v in _template(text)["Resources"].items() if v["Type"] == kind}


def test_the_load_balancer_is_in_the_public_subnets_with_its_group_and_deletion_protection() -> (
    None
):
    """An internet-facing ALB in every public subnet, behind its own group, not deletable by
    accident, created once the public subnets route to the internet gateway."""
    lb = _template()["Resources"]["LoadBalancerFront"]
    props = lb["Properties"]
    assert props["Type"] == "application" and props["Scheme"] == "internet-facing"
    assert props["Subnets"] == [{"Ref": "SubnetPublicA"}, {"Ref": "SubnetPublicB"}]
    assert props["SecurityGroups"] == [{"Fn::GetAtt": ["SecurityGroupLbFront", "GroupId"]}]
    assert {"Key": "deletion_protection.enabled", "Value": {"Ref": "DeletionProtection"}} in (
        props["LoadBalancerAttributes"]
    )
    assert _template()["Parameters"]["DeletionProtection"]["Default"] == "true"
    assert "RouteTablePublicRouteDefault" in lb["DependsOn"]
    assert len(lb["DependsOn"]) == len(set(lb["DependsOn"]))
    assert _template()["Outputs"]["LoadBalancerFrontDnsName"]["Value"] == {
        "Fn::GetAtt": ["LoadBalancerFront", "DNSName"]
    }


def test_https_forwards_and_http_redirects_with_a_301() -> None:
    """443 forwards to the target group over TLS 1.2+; 80 only answers with a permanent
    redirect to HTTPS."""
    listeners = _resources("AWS::ElasticLoadBalancingV2::Listener")
    https = listeners["LoadBalancerFrontListener443"]["Properties"]
    assert https["DefaultActions"] == [
        {"Type": "forward", "TargetGroupArn": {"Ref": "TargetGroupFront"}}
    ]
    assert https["SslPolicy"].startswith("ELBSecurityPolicy-TLS13")
    http = listeners["LoadBalancerFrontListener80"]["Properties"]
    assert http["DefaultActions"] == [
        {
            "Type": "redirect",
            "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
        }
    ]


def test_without_a_certificate_the_user_supplies_it_as_a_parameter() -> None:
    """No certificate in the blueprint: the template asks for one (no default), so it stays
    valid and CloudFormation refuses to create the stack without it."""
    template = _template()
    parameter = template["Parameters"]["LoadBalancerFrontCertificateArn"]
    assert parameter["Type"] == "String" and "Default" not in parameter
    listener = template["Resources"]["LoadBalancerFrontListener443"]["Properties"]
    assert listener["Certificates"] == [
        {"CertificateArn": {"Ref": "LoadBalancerFrontCertificateArn"}}
    ]


def test_a_given_certificate_is_written_and_no_parameter_asked() -> None:
    """The blueprint's ACM certificate goes into the listener as it is; lint stays clean."""
    text = ALB.replace(
        "load_balancers:\n  front:", f"load_balancers:\n  front:\n    certificate: {CERTIFICATE}"
    )
    template = _template(text)
    assert "LoadBalancerFrontCertificateArn" not in template.get("Parameters", {})
    listener = template["Resources"]["LoadBalancerFrontListener443"]["Properties"]
    assert listener["Certificates"] == [{"CertificateArn": CERTIFICATE}]
    assert [str(p) for p in lint(dump(template), "ap-northeast-2")] == []


def test_the_target_group_checks_health_on_the_path_and_registers_fixed_servers() -> None:
    """The app port and health path; fixed (not scaling) servers are registered by hand."""
    (group,) = _resources("AWS::ElasticLoadBalancingV2::TargetGroup").values()
    props = group["Properties"]
    assert (props["Port"], props["Protocol"], props["HealthCheckPath"]) == (8080, "HTTP", "/health")
    assert "Targets" not in props and "HealthCheckPort" not in props
    fixed = ALB.replace("    scaling: {min: 2, max: 6, desired: 2}\n", "    count: 2\n")
    (group,) = _resources("AWS::ElasticLoadBalancingV2::TargetGroup", fixed).values()
    assert group["Properties"]["Targets"] == [
        {"Id": {"Ref": "InstanceApp1"}},
        {"Id": {"Ref": "InstanceApp2"}},
    ]
    assert [str(p) for p in lint(dump(_template(fixed)), "ap-northeast-2")] == []


def test_the_scaling_group_launches_the_app_servers_from_their_launch_template() -> None:
    """Over the private subnets, sized as asked, registered with the target group; its members
    are not instances of the template, and a launch template change rolls them one by one."""
    template = _template()
    assert not _resources("AWS::EC2::Instance")
    group = template["Resources"]["AutoScalingGroupApp"]
    props = group["Properties"]
    assert props["VPCZoneIdentifier"] == [{"Ref": "SubnetAppA"}, {"Ref": "SubnetAppB"}]
    assert (props["MinSize"], props["MaxSize"], props["DesiredCapacity"]) == ("2", "6", "2")
    assert props["TargetGroupARNs"] == [{"Ref": "TargetGroupFront"}]
    assert props["LaunchTemplate"] == {
        "LaunchTemplateId": {"Ref": "LaunchTemplateApp"},
        "Version": {"Fn::GetAtt": ["LaunchTemplateApp", "LatestVersionNumber"]},
    }
    assert group["UpdatePolicy"]["AutoScalingRollingUpdate"] == {
        "MinInstancesInService": 2,
        "MaxBatchSize": 1,
    }
    propagated = {t["Key"]: t["PropagateAtLaunch"] for t in props["Tags"]}
    assert propagated == {
        "awsarch:stack": True,
        "awsarch:name": False,
        "Name": True,
        "awsarch:group": True,
    }


def test_members_get_imdsv2_their_group_and_no_public_address_from_the_launch_template() -> None:
    data = _template()["Resources"]["LaunchTemplateApp"]["Properties"]["LaunchTemplateData"]
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    assert data["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True
    (nic,) = data["NetworkInterfaces"]
    assert nic["Groups"] == [{"Fn::GetAtt": ["SecurityGroupApp", "GroupId"]}]
    assert nic["AssociatePublicIpAddress"] is False and "SubnetId" not in nic


def test_a_scaling_group_without_members_is_refused() -> None:
    """Desired 0 leaves the model no server to describe the launch template from."""
    empty = ALB.replace(
        "scaling: {min: 2, max: 6, desired: 2}", "scaling: {min: 0, max: 2, desired: 0}"
    )
    with pytest.raises(CannotSynthesize, match="asg/app has no member"):
        synthesize(architecture(empty))


def _read_back(text: str, parameters: dict[str, str] | None = None) -> Any:
    doc = parse_template(dump(_template(text)), file="t.yaml")
    return ingest(
        doc, parameters=parameters or {}, region="ap-northeast-2", stack="shop"
    ).architecture


def test_read_back_the_members_are_placed_round_robin_from_the_launch_template() -> None:
    """The template's model has the group's desired members over its subnets, in order."""
    arch = _read_back(ALB.replace("desired: 2}", "desired: 3}"))
    members = [(i.id, i.subnet_id, i.scaling_group) for i in arch.instances]
    assert members == [
        ("instance/app-1", "subnet/app-a", "asg/app"),
        ("instance/app-2", "subnet/app-b", "asg/app"),
        ("instance/app-3", "subnet/app-a", "asg/app"),
    ]
    assert all(i.imdsv2_required and not i.has_public_ip for i in arch.instances)


def test_read_back_a_certificate_parameter_counts_only_when_passed() -> None:
    """Unpassed, the listener has no certificate in the model (as the blueprint said); passed,
    it is the ARN given."""
    (lb,) = _read_back(ALB).load_balancers
    assert [(x.port, x.certificate_arn, x.redirect_port) for x in lb.listeners] == [
        (443, "", None),
        (80, "", 443),
    ]
    passed = _read_back(ALB, {"LoadBalancerFrontCertificateArn": CERTIFICATE})
    assert passed.load_balancers[0].listeners[0].certificate_arn == CERTIFICATE
