"""Which authorizations a call makes, from AWS's Service Authorization Reference: the resources of
each type the call names (or creates), each with the condition keys that type brings."""

from __future__ import annotations

from collections.abc import Mapping

from awsarch.adapters.emulator.authorize import Principal, global_context, own_authorizations
from awsarch.adapters.emulator.dependent import dependent
from awsarch.adapters.emulator.layer import Call
from awsarch.analysis.iam import Request

REGION = "ap-northeast-2"
ARN = f"arn:aws:ec2:{REGION}:123456789012"
STACK = {"awsarch:stack": "demo"}


class Facts:
    """An account where every EC2 resource carries the stack's tag."""

    def tags(self, service: str, kind: str, ident: str) -> Mapping[str, str] | None:
        return STACK

    def iam_path(self, kind: str, name: str) -> str | None:
        return "/awsarch/demo/"

    def profile_roles(self, profile: str) -> list[str]:
        return ["arn:aws:iam::123456789012:role/awsarch/demo/demo-web"]

    def service_linked_role_exists(self, service: str) -> bool:
        return True

    def copies_tags_to_snapshot(self, db_instance: str) -> bool:
        return True

    def association(self, association_id: str) -> dict[str, str]:
        return {"route-table": "rtb-1", "subnet": "subnet-9"}

    def group_arn(self, name: str) -> str:
        return ""

    def template_profile(self, template: str) -> str:
        return "demo-web"

    def template_id(self, template: str) -> str:
        return "lt-0abc"


def _requests(action: str, params: dict[str, str], service: str = "ec2") -> list[Request]:
    call = Call(service=service, region=REGION, action=action, params=params, body=b"")
    principal = Principal(
        arn="arn:aws:iam::123456789012:user/d", kind="User", name="d", user_id="A"
    )
    base = global_context(call, principal)
    return own_authorizations(call, base, Facts()) + list(dependent(call, base, Facts()))


def _keys(request: Request) -> set[str]:
    return {k for k in request.context if k.startswith(("aws:RequestTag", "aws:ResourceTag"))}


def test_run_instances_is_authorized_on_each_resource_it_uses_and_creates() -> None:
    params = {
        "ImageId": "ami-1",
        "NetworkInterface.1.SubnetId": "subnet-1",
        "NetworkInterface.1.SecurityGroupId.1": "sg-1",
        "IamInstanceProfile.Name": "demo-web",
        "TagSpecification.1.ResourceType": "instance",
        "TagSpecification.1.Tag.1.Key": "awsarch:stack",
        "TagSpecification.1.Tag.1.Value": "demo",
    }
    requests = {(r.action, r.resource): r for r in _requests("RunInstances", params)}
    assert set(requests) >= {
        ("ec2:RunInstances", f"arn:aws:ec2:{REGION}::image/ami-1"),
        ("ec2:RunInstances", f"{ARN}:instance/*"),
        ("ec2:RunInstances", f"{ARN}:network-interface/*"),
        ("ec2:RunInstances", f"{ARN}:security-group/sg-1"),
        ("ec2:RunInstances", f"{ARN}:subnet/subnet-1"),
        ("ec2:RunInstances", f"{ARN}:volume/*"),
        ("ec2:CreateTags", f"{ARN}:instance/*"),
        ("iam:PassRole", "arn:aws:iam::123456789012:role/awsarch/demo/demo-web"),
    }
    assert _keys(requests["ec2:RunInstances", f"{ARN}:instance/*"]) == {
        "aws:RequestTag/awsarch:stack"
    }
    assert _keys(requests["ec2:RunInstances", f"{ARN}:volume/*"]) == set()  # not tagged
    assert _keys(requests["ec2:RunInstances", f"{ARN}:subnet/subnet-1"]) == {
        "aws:ResourceTag/awsarch:stack"
    }
    assert requests["ec2:CreateTags", f"{ARN}:instance/*"].context["ec2:CreateAction"] == (
        "RunInstances"
    )
    passed = requests["iam:PassRole", "arn:aws:iam::123456789012:role/awsarch/demo/demo-web"]
    assert passed.context["iam:PassedToService"] == "ec2.amazonaws.com"


def test_a_peer_group_in_a_rule_is_not_authorized() -> None:
    """AuthorizeSecurityGroupIngress acts on the group changed, not on the group it names."""
    params = {"GroupId": "sg-1", "IpPermissions.1.Groups.1.GroupId": "sg-2"}
    resources = {r.resource for r in _requests("AuthorizeSecurityGroupIngress", params)}
    assert resources == {f"{ARN}:security-group/sg-1"}


def test_an_association_is_authorized_on_its_table_and_subnet() -> None:
    resources = {
        r.resource for r in _requests("DisassociateRouteTable", {"AssociationId": "rtbassoc-1"})
    }
    assert resources == {f"{ARN}:route-table/rtb-1", f"{ARN}:subnet/subnet-9"}


def test_describe_is_authorized_on_star_and_get_caller_identity_not_at_all() -> None:
    assert [r.resource for r in _requests("DescribeVpcs", {})] == ["*"]
    assert _requests("GetCallerIdentity", {}, service="sts") == []


def test_a_final_snapshot_with_copied_tags_needs_add_tags_on_the_snapshot() -> None:
    params = {"DBInstanceIdentifier": "demo-main", "FinalDBSnapshotIdentifier": "demo-main-final"}
    actions = {
        (r.action, r.resource.rsplit(":", 2)[-2])
        for r in _requests("DeleteDBInstance", params, "rds")
    }
    assert actions >= {
        ("rds:DeleteDBInstance", "db"),
        ("rds:CreateDBSnapshot", "snapshot"),
        ("rds:AddTagsToResource", "snapshot"),
    }


LISTENER = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/lb/1/2"


def test_an_elb_call_is_authorized_on_the_resource_its_arn_names_only() -> None:
    """ModifyListener on an Application Load Balancer's listener: that listener, with its tags;
    not the network and gateway listener types the reference also lists."""
    (request,) = _requests(
        "ModifyListener", {"ListenerArn": LISTENER, "Port": "80"}, "elasticloadbalancing"
    )
    assert request.resource == LISTENER
    assert request.context["aws:ResourceTag/awsarch:stack"] == "demo"


def test_an_elb_create_with_tags_needs_add_tags_for_that_create() -> None:
    params = {
        "Name": "shop-front",
        "Tags.member.1.Key": "awsarch:stack",
        "Tags.member.1.Value": "demo",
    }
    requests = _requests("CreateTargetGroup", params, "elasticloadbalancing")
    (create,) = [r for r in requests if r.action == "elasticloadbalancing:CreateTargetGroup"]
    assert create.resource.endswith(":targetgroup/shop-front/*")
    (tagging,) = [r for r in requests if r.action == "elasticloadbalancing:AddTags"]
    assert tagging.context["elasticloadbalancing:CreateAction"] == "CreateTargetGroup"
    assert tagging.context["aws:RequestTag/awsarch:stack"] == "demo"


def test_a_group_from_a_launch_template_needs_run_instances_and_pass_role() -> None:
    """CreateAutoScalingGroup with a template: ec2:RunInstances on the template and iam:PassRole
    of its profile's role to EC2."""
    params = {
        "AutoScalingGroupName": "shop-app",
        "LaunchTemplate.LaunchTemplateName": "shop-app",
        "Tags.member.1.Key": "awsarch:stack",
        "Tags.member.1.Value": "demo",
    }
    requests = {r.action: r for r in _requests("CreateAutoScalingGroup", params, "autoscaling")}
    assert requests["autoscaling:CreateAutoScalingGroup"].resource.endswith(
        ":autoScalingGroupName/shop-app"
    )
    assert requests["ec2:RunInstances"].resource == f"{ARN}:launch-template/lt-0abc"
    assert requests["iam:PassRole"].context["iam:PassedToService"] == "ec2.amazonaws.com"
