"""The whole lifecycle runs as an IAM user holding only the generated deployer policy, with the
emulator enforcing IAM as AWS does; and that policy has nothing to spare.

The root credentials are used once, for `awsarch iam bootstrap`, and then only to make drift by
hand. Every authorization the emulator made for the deployer is kept; removing any one statement
of the policy refuses at least one of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from awsarch.adapters.emulator import Emulator
from awsarch.adapters.emulator.behaviours.iam_enforcement import Checked
from awsarch.analysis.iam import evaluate
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text
from awsarch.deploy.permissions import (
    deployer_policy,
    granted_actions,
    policy_size,
    split_policy,
    viewer_policy,
)
from awsarch.deploy.policy_json import to_json
from tests.adapters.emulator.support import trust

from .support import OPERATORS_BLUEPRINT, awsarch_cli

REGION = "ap-northeast-2"
DEPLOYER = "awsarch-demo-deployer"
VIEWER = "awsarch-demo-viewer"


def _client(endpoint: str, service: str) -> Any:
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION)


def _by_hand(endpoint: str) -> list[str]:
    """Drift of every kind `up` repairs in place, made with the root credentials as a person
    would: rules, routes, associations, ACL entries, role policies, instance settings, the
    database's Multi-AZ."""
    ec2 = _client(endpoint, "ec2")
    iam = _client(endpoint, "iam")

    def named(kind: str, name: str) -> str:
        tags = ec2.describe_tags(
            Filters=[
                {"Name": "value", "Values": [name]},
                {"Name": "resource-type", "Values": [kind]},
            ]
        )["Tags"]
        return str(tags[0]["ResourceId"])

    database_group = named("security-group", "sg/db-main")
    ec2.authorize_security_group_ingress(
        GroupId=database_group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 3306,
                "ToPort": 3306,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    role = next(r["RoleName"] for r in iam.list_roles(PathPrefix="/awsarch/demo/")["Roles"])
    iam.attach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    private = named("route-table", "rtb/private")
    ec2.create_route(
        RouteTableId=private,
        DestinationCidrBlock="10.99.0.0/16",
        GatewayId=named("internet-gateway", "igw/main"),
    )
    public = named("route-table", "rtb/public")
    subnet = named("subnet", "subnet/private-a")
    association = next(
        a["RouteTableAssociationId"]
        for t in ec2.describe_route_tables(RouteTableIds=[private])["RouteTables"]
        for a in t["Associations"]
        if a.get("SubnetId") == subnet
    )
    ec2.replace_route_table_association(AssociationId=association, RouteTableId=public)
    vpc = named("vpc", "vpc/main")
    used = {
        s["AvailabilityZone"]
        for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    }
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    spare = next(z["ZoneName"] for z in zones if z["ZoneName"] not in used)  # no DB runs there
    foreign = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.250.0/24", AvailabilityZone=spare)[
        "Subnet"
    ]["SubnetId"]
    ec2.associate_route_table(RouteTableId=private, SubnetId=foreign)
    rds = _client(endpoint, "rds")
    group = rds.describe_db_subnet_groups(DBSubnetGroupName="demo-main-subnets")["DBSubnetGroups"][
        0
    ]
    members = [s["SubnetIdentifier"] for s in group["Subnets"]]
    rds.modify_db_subnet_group(DBSubnetGroupName="demo-main-subnets", SubnetIds=[*members, foreign])
    acl = named("network-acl", "acl/default")
    entry = {"Protocol": "-1", "RuleAction": "deny", "CidrBlock": "203.0.113.0/24"}
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=50, Egress=False, **entry)
    live = ec2.describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"][0]["Entries"]
    first = min(e["RuleNumber"] for e in live if e["Egress"] and e["RuleNumber"] < 32767)
    ec2.delete_network_acl_entry(NetworkAclId=acl, RuleNumber=first, Egress=True)
    second = min(e["RuleNumber"] for e in live if not e["Egress"] and e["RuleNumber"] > 50)
    ec2.replace_network_acl_entry(NetworkAclId=acl, RuleNumber=second, Egress=False, **entry)
    web_group = named("security-group", "sg/web")
    egress = ec2.describe_security_groups(GroupIds=[web_group])["SecurityGroups"][0]
    ec2.revoke_security_group_egress(GroupId=web_group, IpPermissions=egress["IpPermissionsEgress"])
    nat_route = next(
        r
        for r in ec2.describe_route_tables(RouteTableIds=[private])["RouteTables"][0]["Routes"]
        if r.get("DestinationCidrBlock") == "0.0.0.0/0"
    )
    assert nat_route.get("NatGatewayId")
    ec2.replace_route(
        RouteTableId=private,
        DestinationCidrBlock="0.0.0.0/0",
        GatewayId=named("internet-gateway", "igw/main"),
    )
    first, second = sorted(
        i["InstanceId"]
        for r in ec2.describe_instances(
            Filters=[{"Name": "tag:awsarch:stack", "Values": ["demo"]}]
        )["Reservations"]
        for i in r["Instances"]
    )
    ec2.modify_instance_metadata_options(InstanceId=first, HttpTokens="optional")
    ec2.modify_instance_attribute(InstanceId=first, Groups=[web_group, database_group])
    profile = ec2.describe_iam_instance_profile_associations(
        Filters=[{"Name": "instance-id", "Values": [second]}]
    )["IamInstanceProfileAssociations"][0]
    ec2.disassociate_iam_instance_profile(AssociationId=profile["AssociationId"])
    _client(endpoint, "rds").modify_db_instance(
        DBInstanceIdentifier="demo-main", MultiAZ=False, ApplyImmediately=True
    )
    return [database_group, role, private, acl, foreign]


def _another_team_s_instance(endpoint: str) -> None:
    """In the same region, an instance with a role of its own: neither the deployer nor the viewer
    may read that role or that instance's user data, and neither needs to."""
    iam = _client(endpoint, "iam")
    trust_document = trust({"Service": "ec2.amazonaws.com"})
    iam.create_role(RoleName="payments", AssumeRolePolicyDocument=trust_document)
    charge = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "*"}],
    }
    iam.put_role_policy(RoleName="payments", PolicyName="p", PolicyDocument=json.dumps(charge))
    iam.create_instance_profile(InstanceProfileName="payments")
    iam.add_role_to_instance_profile(InstanceProfileName="payments", RoleName="payments")
    ec2 = _client(endpoint, "ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        UserData="payments secrets",
        IamInstanceProfile={"Name": "payments"},
    )


@pytest.fixture(scope="module")
def lifecycle(enforcing: Emulator, tmp_path_factory: pytest.TempPathFactory) -> list[Checked]:
    """bootstrap (root), then as the deployer: up, up again, drift repaired, down."""
    enforcing.reset()
    folder = tmp_path_factory.mktemp("least-privilege")
    blueprint = str(folder / "blueprint.yaml")
    Path(blueprint).write_text(seed_text(), encoding="utf-8")
    credentials = folder / "credentials"
    endpoint = enforcing.endpoint_url
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
        for kind in ("", "--viewer"):
            args = ["iam", "bootstrap", blueprint, "--credentials-file", str(credentials)]
            result = awsarch_cli(endpoint, *args, *([kind] if kind else []))
            assert result.exit_code == 0, result.output
        _another_team_s_instance(endpoint)
        steps = [("up", blueprint, "--yes"), ("up", blueprint, "--yes")]
        for step in steps:
            result = awsarch_cli(endpoint, *step, profile=DEPLOYER)
            assert result.exit_code == 0, result.output
        assert "no changes" in result.output
        foreign = _by_hand(endpoint)[-1]
        result = awsarch_cli(endpoint, "up", blueprint, "--yes", profile=DEPLOYER)
        assert result.exit_code == 0, result.output
        assert "0 drifted" in result.output, result.output
        _client(endpoint, "ec2").delete_subnet(SubnetId=foreign)  # not the stack's: by hand
        Path(blueprint).write_text(seed_text().replace("t3.micro", "t3.small"), encoding="utf-8")
        result = awsarch_cli(endpoint, "up", blueprint, "--yes", profile=DEPLOYER)
        assert result.exit_code == 0, result.output
        assert "t3.small" in result.output, result.output
        result = awsarch_cli(endpoint, "audit", "--blueprint", blueprint, profile=VIEWER)
        assert "not authorized" not in result.output, result.output
        result = awsarch_cli(endpoint, "down", blueprint, "--yes", profile=DEPLOYER)
        assert result.exit_code == 0, result.output
    return list(enforcing.behaviour("iam_enforcement").checked)


def _policy() -> dict[str, Any]:
    return deployer_policy(expand(load_text(seed_text(), file="seed.yaml").blueprint))


def _of(checked: list[Checked], user: str) -> list[Checked]:
    return [c for c in checked if c.principal.endswith(f"/{user}")]


def test_every_call_of_the_lifecycle_is_allowed(lifecycle: list[Checked]) -> None:
    deployer = _of(lifecycle, DEPLOYER)
    assert len(deployer) > 100
    refused = [(c.request.action, c.request.resource) for c in lifecycle if not c.decision.allowed]
    assert refused == []


def test_the_viewer_audits_with_the_viewer_policy(lifecycle: list[Checked]) -> None:
    viewer = _of(lifecycle, VIEWER)
    assert viewer, "audit ran as the viewer"
    reads = ("Describe", "List", "Get", "GenerateCredentialReport")
    assert all(c.request.action.split(":")[1].startswith(reads) for c in viewer)


@pytest.mark.parametrize("index", range(len(_policy()["Statement"])))
def test_each_statement_is_needed(lifecycle: list[Checked], index: int) -> None:
    """The same authorizations under the policy without statement `index`: one is refused."""
    policy = _policy()
    statements = policy["Statement"]
    without = {**policy, "Statement": statements[:index] + statements[index + 1 :]}
    refused = [
        c.request.action
        for c in _of(lifecycle, DEPLOYER)
        if not evaluate(c.request, [without]).allowed
    ]
    assert refused, f"statement {statements[index]['Sid']} allows nothing the lifecycle needs"


def test_each_granted_action_was_authorized(lifecycle: list[Checked]) -> None:
    """No action is granted that AWS never checked during the lifecycle."""
    authorized = {c.request.action for c in _of(lifecycle, DEPLOYER)}
    assert granted_actions(_policy()) <= authorized, granted_actions(_policy()) - authorized


def test_a_user_without_the_policy_is_refused_with_aws_s_error(enforcing: Emulator) -> None:
    enforcing.reset()
    iam = _client(enforcing.endpoint_url, "iam")
    iam.create_user(UserName="nobody")
    key = iam.create_access_key(UserName="nobody")["AccessKey"]
    ec2 = boto3.client(
        "ec2",
        endpoint_url=enforcing.endpoint_url,
        region_name=REGION,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    with pytest.raises(ec2.exceptions.ClientError) as refused:
        ec2.create_vpc(CidrBlock="10.9.0.0/16")
    error = refused.value.response["Error"]
    assert error["Code"] == "UnauthorizedOperation"
    assert "nobody is not authorized to perform: ec2:CreateVpc" in error["Message"]
    assert (
        _client(enforcing.endpoint_url, "ec2").describe_vpcs(
            Filters=[{"Name": "cidr", "Values": ["10.9.0.0/16"]}]
        )["Vpcs"]
        == []
    )


def test_policy_sizes_against_iam_s_quotas(capsys: pytest.CaptureFixture[str]) -> None:
    """Printed for the record: each generated policy against the 6,144-character managed quota."""
    arch = expand(load_text(seed_text(), file="seed.yaml").blueprint)
    operators = expand(load_text(OPERATORS_BLUEPRINT, file="b.yaml").blueprint)
    sizes = {
        "deployer (seed)": [policy_size(deployer_policy(arch))],
        "viewer (seed)": [policy_size(viewer_policy(arch.stack, arch.region))],
        "deployer (operators), split": [
            policy_size(p) for p in split_policy(deployer_policy(operators))
        ],
    }
    with capsys.disabled():
        for name, parts in sizes.items():
            shown = " + ".join(f"{size:,}" for size in parts)
            print(f"\n{name}: {shown} characters, each of at most 6,144 (a managed policy)")
    assert all(size <= 6144 for parts in sizes.values() for size in parts)
    groups = {g.name: sum(policy_size(to_json(p)) for p in g.policies) for g in operators.groups}
    assert all(len(g.policies) <= 10 for g in operators.groups)  # IAM: ten managed per group
    assert groups["demo-deployers"] > 5120  # would not fit inline: hence managed policies


def _give_alice_credentials(endpoint: str) -> None:
    """An administrator (not awsarch) sets alice's password; she adds MFA and an access key."""
    iam = _client(endpoint, "iam")
    iam.create_login_profile(UserName="demo-alice", Password="Correct-horse-battery-9")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="demo-alice")
    serial = device["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(
        UserName="demo-alice",
        SerialNumber=serial,
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )
    iam.create_access_key(UserName="demo-alice")


@pytest.mark.soak  # the seed's lifecycle as its deployer runs in make test
def test_a_stack_with_operators_runs_as_its_deployer_too(
    enforcing: Emulator, tmp_path: Path
) -> None:
    """Groups (their policies managed, within IAM's quotas) and users: up, up again, a policy put
    on a group by hand taken off, down of a user who has a password, MFA and a key — all as the
    deployer; every statement needed."""
    enforcing.reset()
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(OPERATORS_BLUEPRINT, encoding="utf-8")
    credentials = tmp_path / "credentials"
    endpoint = enforcing.endpoint_url
    behaviour = enforcing.behaviour("iam_enforcement")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
        args = ["iam", "bootstrap", str(blueprint), "--credentials-file", str(credentials)]
        assert awsarch_cli(endpoint, *args).exit_code == 0
        behaviour.checked.clear()
        for _ in range(2):
            result = awsarch_cli(endpoint, "up", str(blueprint), "--yes", profile=DEPLOYER)
            assert result.exit_code == 0, result.output
        assert "no changes" in result.output, result.output
        _client(endpoint, "iam").put_group_policy(  # by hand: drift to repair
            GroupName="demo-viewers",
            PolicyName="by-hand",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
                }
            ),
        )
        iam = _client(endpoint, "iam")
        viewer = next(
            p["Arn"]
            for p in iam.list_policies(Scope="Local")["Policies"]
            if p["PolicyName"] == "demo-viewers-viewer"
        )
        for n in range(4):  # by hand: IAM keeps five versions; the repair must make room
            wider = {
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": f"S{n}", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}
                ],
            }
            iam.create_policy_version(
                PolicyArn=viewer, PolicyDocument=json.dumps(wider), SetAsDefault=True
            )
        result = awsarch_cli(endpoint, "up", str(blueprint), "--yes", profile=DEPLOYER)
        assert result.exit_code == 0, result.output
        assert "update group/viewers" in result.output, result.output
        versions = iam.list_policy_versions(PolicyArn=viewer)["Versions"]
        assert len(versions) == 5 and "S3" not in json.dumps(
            iam.get_policy_version(
                PolicyArn=viewer,
                VersionId=next(v["VersionId"] for v in versions if v["IsDefaultVersion"]),
            )["PolicyVersion"]["Document"]
        )
        _give_alice_credentials(endpoint)
        result = awsarch_cli(endpoint, "down", str(blueprint), "--yes", profile=DEPLOYER)
        assert result.exit_code == 0, result.output
    checked = _of(list(behaviour.checked), DEPLOYER)
    assert [c.request.action for c in checked if not c.decision.allowed] == []
    policy = deployer_policy(expand(load_text(OPERATORS_BLUEPRINT, file="b.yaml").blueprint))
    seeds = {s["Sid"] for s in _policy()["Statement"]}  # shown needed by the seed's lifecycle
    for statement in [s for s in policy["Statement"] if s["Sid"] not in seeds]:
        without = {**policy, "Statement": [s for s in policy["Statement"] if s is not statement]}
        assert any(not evaluate(c.request, [without]).allowed for c in checked), statement["Sid"]
        unused = set(statement["Action"]) - {c.request.action for c in checked}
        assert not unused, f"{statement['Sid']} grants {unused}, never checked"


def test_the_viewer_may_list_the_accounts_regions() -> None:
    """`audit --org --regions all` asks each member account which regions it has enabled
    (ec2:DescribeRegions, no resource-level permissions): the viewer role may answer."""
    from awsarch.analysis.iam import Request

    policy = viewer_policy("demo", REGION)
    assert evaluate(Request(action="ec2:DescribeRegions"), [policy]).allowed
