"""Discover + ingest against the emulator: an estate built through plain APIs reads back."""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest

from awsarch.adapters.aws.discover import LISTINGS, discover
from awsarch.adapters.aws.errors import EndpointError
from awsarch.adapters.aws.ingest import ingest
from awsarch.adapters.aws.session import AwsSession
from awsarch.adapters.emulator import Emulator
from awsarch.model import Architecture, Peer, PortRange
from tests.adapters.aws import estate as estate_module
from tests.adapters.aws.estate import Estate

REGION = "ap-northeast-2"


@pytest.fixture(scope="module")
def built(emulator: Emulator) -> Estate:
    return estate_module.build(emulator.endpoint_url, REGION, suffix=f"-{uuid.uuid4().hex[:6]}")


@pytest.fixture(scope="module")
def session(emulator: Emulator) -> AwsSession:
    return AwsSession(region=REGION, endpoint_url=emulator.endpoint_url)


@pytest.fixture(scope="module")
def raw(built: Estate, session: AwsSession) -> dict[str, Any]:
    session.calls.reset()
    return discover(session, vpc_id=built["vpc/main"])


@pytest.fixture(scope="module")
def model(raw: dict[str, Any]) -> Architecture:
    return ingest(raw)


def by_name(resources: Any, name: str) -> Any:
    return next(r for r in resources if r.name == name)


def test_raw_is_json_and_scoped_to_the_vpc(raw: dict[str, Any], built: Estate) -> None:
    """The raw output survives json.dumps and holds only the chosen VPC's network."""
    assert json.loads(json.dumps(raw)) == raw
    assert [v["VpcId"] for v in raw["ec2"]["Vpcs"]] == [built["vpc/main"]]
    assert {s["VpcId"] for s in raw["ec2"]["Subnets"]} == {built["vpc/main"]}


def test_subnets_and_routing(model: Architecture, built: Estate) -> None:
    """Public subnets route to the attached IGW, private ones to the NAT; tiers come from tags."""
    public, private = by_name(model.subnets, "public-a"), by_name(model.subnets, "private-b")
    assert (public.tier, public.kind, public.map_public_ip) == ("public", "public", True)
    assert (private.tier, private.kind, private.map_public_ip) == ("private", "private", False)
    assert model.routes_to_internet_gateway(public.id)
    assert not model.routes_to_internet_gateway(private.id)
    private_table = model.route_table_of(private.id)
    assert private_table is not None and private_table.name == "private"
    assert any(
        r.target == "nat-gateway" and r.target_id == built["nat/a"] for r in private_table.routes
    )
    main = [t for t in model.route_tables if t.is_main]
    assert len(main) == 1 and main[0].subnet_ids == ()
    assert model.vpcs[0].dns_hostnames and model.vpcs[0].dns_support


def test_nat_has_its_elastic_ip(model: Architecture, built: Estate) -> None:
    """The NAT sits in public-a with its Elastic IP (its 127.x address notwithstanding)."""
    (nat,) = model.nat_gateways
    assert nat.subnet_id == built["subnet/public-a"]
    assert nat.has_public_ip and nat.elastic_ip_id == built["eip/nat-a"]
    assert model.attached_internet_gateway_ids() == {built["igw/main"]}


def test_security_groups_reference_each_other(model: Architecture, built: Estate) -> None:
    """The database group admits 3306 from the web group by id, never by address."""
    db = model.security_group(built["sg/db-main"])
    assert [(r.protocol, r.ports, r.peer) for r in db.ingress] == [
        ("tcp", PortRange.single(3306), Peer.group(built["sg/web"]))
    ]
    web = model.security_group(built["sg/web"])
    assert Peer.cidr("::/0") in [r.peer for r in web.ingress]
    office = Peer(kind="prefix-list", value=built["pl/office"], entries=("198.51.100.0/24",))
    assert office in [r.peer for r in web.ingress]  # with the entries discovery read


def test_network_acl(model: Architecture, built: Estate) -> None:
    """The custom ACL guards both private subnets with its numbered entries."""
    acl = model.network_acl_of(built["subnet/private-a"])
    assert acl is not None and acl.id == built["acl/private"] and not acl.is_default
    inbound = [
        (e.rule_number, e.protocol, str(e.ports), e.allow) for e in acl.entries if not e.egress
    ]
    assert inbound == [
        (90, "tcp", "22", False),
        (100, "tcp", "3306", True),
        (110, "udp", "1024-65535", True),
    ]
    default = model.network_acl_of(built["subnet/public-a"])
    assert default is not None and default.is_default


def test_instances(model: Architecture, built: Estate) -> None:
    """Both web servers: group tag, subnet, security group, public address, profile, IMDSv2."""
    assert [i.name for i in model.instances if i.group == "web"] in (
        ["web-1", "web-2"],
        ["web-2", "web-1"],
    )
    web1 = model.get(built["instance/web-1"])
    assert web1.subnet_id == built["subnet/public-a"]
    assert web1.security_group_ids == (built["sg/web"],)
    assert web1.has_public_ip and web1.imdsv2_required
    assert web1.instance_profile == built["role/web"]
    assert web1.user_data == ""  # user data is not fetched unless asked for
    assert {m.id for m in model.members_of(built["sg/web"])} == {
        built["instance/web-1"],
        built["instance/web-2"],
    }


def test_database(model: Architecture, built: Estate) -> None:
    """The Multi-AZ MySQL database lives in both private subnets behind the database group."""
    (db,) = model.databases
    assert (db.name, db.engine, db.port, db.multi_az) == ("main", "mysql", 3306, True)
    assert not db.publicly_accessible and db.storage_encrypted and db.deletion_protection
    assert db.manage_master_password and db.master_secret_arn.startswith("arn:aws:secretsmanager")
    assert db.security_group_ids == (built["sg/db-main"],)
    group = model.subnet_group(db.subnet_group_id)
    assert set(group.subnet_ids) == {built["subnet/private-a"], built["subnet/private-b"]}


def test_instance_role(model: Architecture, built: Estate) -> None:
    """The role behind the profile keeps its managed ARN and its inline statements."""
    (profile,) = model.instance_profiles
    (role,) = model.roles
    assert profile.role_name == role.name == built["role/web"]
    assert role.trusted_service == "ec2.amazonaws.com"
    arns = [p.arn for p in role.policies if p.arn]
    assert arns == [built["policy/ops"]]
    inline = by_name(role.policies, "read-database-secrets")
    assert inline.statements[0].actions == ("secretsmanager:GetSecretValue",)


def test_owned_resources_keep_their_logical_ids(model: Architecture, built: Estate) -> None:
    """Every tagged resource maps back to its `awsarch:name`, so re-runs converge."""
    assert model.stack == "demo"
    for logical in ("vpc/main", "subnet/public-a", "sg/web", "nat/a", "instance/web-2", "db/main"):
        assert model.logical_id(built[logical]) == logical


def test_one_call_per_page_never_per_resource(session: AwsSession, raw: dict[str, Any]) -> None:
    """One call per listing page, plus two VPC attributes and the role's policies."""
    counts = session.calls.counts()
    for listing in LISTINGS:
        api = session.client(listing.service).meta.method_to_api_mapping[listing.operation]
        assert counts[f"{listing.service}:{api}"] == 1
    assert counts["ec2:DescribeVpcAttribute"] == 2
    assert counts["ec2:DescribeAddresses"] == 1
    assert counts["iam:GetRolePolicy"] == 1
    assert "ec2:DescribeInstanceAttribute" not in counts


def test_user_data_when_asked(session: AwsSession, built: Estate) -> None:
    """include_user_data fetches each instance's user data (one call per instance)."""
    session.calls.reset()
    model = ingest(discover(session, vpc_id=built["vpc/main"], include_user_data=True))
    assert model.get(built["instance/web-1"]).user_data == "#!/bin/sh\necho hello\n"
    assert session.calls.counts()["ec2:DescribeInstanceAttribute"] == 2


def test_region_wide_discovery_sees_every_vpc(session: AwsSession, built: Estate) -> None:
    """Without a VPC, the whole region is read, the default VPC included."""
    model = ingest(discover(session))
    ids = {v.id for v in model.vpcs}
    assert built["vpc/main"] in ids and len(ids) >= 2
    assert built["db/main"] in {d.id for d in model.databases}


def test_page_size_turns_into_more_calls(emulator: Emulator, built: Estate) -> None:
    """Calls grow with pages: a smaller page size means more DescribeInstances calls."""
    ec2 = boto3.client("ec2", endpoint_url=emulator.endpoint_url, region_name=REGION)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    for _ in range(5):
        ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=built["subnet/private-a"])
    session = AwsSession(region=REGION, endpoint_url=emulator.endpoint_url)
    model = ingest(discover(session, vpc_id=built["vpc/main"], page_size=5))
    assert len(model.instances) == 7
    assert session.calls.counts()["ec2:DescribeInstances"] == 2


def test_endpoint_down_while_discovering() -> None:
    """A dead endpoint surfaces as one EndpointError, not a thread's traceback."""
    session = AwsSession(region=REGION, endpoint_url="http://127.0.0.1:9", max_attempts=1)
    with pytest.raises(EndpointError):
        discover(session)


def test_the_viewer_and_the_deployer_may_make_every_listing(session: AwsSession) -> None:
    """`iam viewer-policy` and the deployer policy grant each describe/list call discovery makes
    (DescribeVpcPeeringConnections among them), so neither stops on AccessDenied."""
    from awsarch.deploy.permissions import deployer_policy, granted_actions, viewer_policy
    from tests.analysis.build import seed

    wanted = {
        f"{item.service}:{session.client(item.service).meta.method_to_api_mapping[item.operation]}"
        for item in LISTINGS
    }
    assert "ec2:DescribeVpcPeeringConnections" in wanted
    for policy in (viewer_policy("demo", REGION), deployer_policy(seed())):
        assert wanted <= granted_actions(policy)
