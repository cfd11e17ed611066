"""What a template becomes in the model: the pieces the proofs and rules rely on."""

from __future__ import annotations

from awsarch.analysis import reach
from awsarch.cfn.ingest import ingest
from awsarch.cfn.template import parse_template
from awsarch.model import Architecture, PortRange

from .support import SEED, plant

ACL = """\
  DataAcl1A2B3C4D:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: !Ref VPCB9E5F0B4}
  DataAclDeny3306ABCDEF12:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref DataAcl1A2B3C4D
      RuleNumber: 100
      Protocol: 6
      RuleAction: deny
      CidrBlock: 10.0.0.0/23
      PortRange: {From: 3306, To: 3306}
  DataAclAllAllow1234ABCD:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref DataAcl1A2B3C4D
      RuleNumber: 200
      Protocol: -1
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
  DataAclAssoc1ABCDEF123:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties:
      NetworkAclId: !Ref DataAcl1A2B3C4D
      SubnetId: !Ref VPCPrivateSubnet1Subnet8BCA10E0
"""


def model(text: str) -> Architecture:
    doc = parse_template(text, file="t.yaml")
    return ingest(doc, parameters={}, region="ap-northeast-2", stack="App").architecture


def test_seed_model() -> None:
    """Zones from Fn::GetAZs, tiers from the CDK's tags, the instance role named after its
    server group, the database's secret from its MasterUserSecret, egress as written."""
    arch = model(SEED)
    zones = {s.id: s.az for s in arch.subnets}
    assert zones["VPCPrivateSubnet2SubnetCFCDAA7A"] == "ap-northeast-2b"
    tiers = {(s.tier, s.kind) for s in arch.subnets}
    assert tiers == {("Public", "public"), ("Private", "private")}
    assert [r.id for r in arch.roles] == ["role/Web"]
    statements = [s for p in arch.roles[0].policies for s in p.statements]
    assert statements[0].resources == ("secret-of:db/Database",)
    web = arch.instances[0]
    assert web.imdsv2_required and web.root_volume_encrypted and web.has_public_ip
    assert web.instance_profile == "WebInstanceProfile1B2C3D4E"
    default = next(g for g in arch.security_groups if g.is_default)
    assert not default.ingress and not default.egress  # stripped by the CDK's custom resource
    assert arch.route_table_of("VPCPrivateSubnet1Subnet8BCA10E0").routes[1].target == "nat-gateway"


def test_a_network_acl_blocks_the_database_in_one_zone() -> None:
    """A custom ACL denying 3306 from the public subnets on one private subnet: Web reaches
    the database in one zone only (partially)."""
    arch = model(plant(SEED, "Outputs:\n", ACL + "Outputs:\n"))
    acl = arch.network_acl_of("VPCPrivateSubnet1Subnet8BCA10E0")
    assert acl is not None and acl.id == "DataAcl1A2B3C4D"
    assert [e.rule_number for e in acl.entries if not e.egress] == [100, 200]
    assert acl.entries[0].ports == PortRange.single(3306)
    verdict = reach(arch, "Web", "Database", None)
    assert verdict.verdict != "reachable"
    assert any(not p.reachable for p in verdict.paths)


def test_unsaid_public_access_follows_the_api_default() -> None:
    """Without PubliclyAccessible, a database in a VPC with an attached internet gateway is
    public (CreateDBInstance's documented default)."""
    arch = model(plant(SEED, "      PubliclyAccessible: false\n", ""))
    assert arch.databases[0].publicly_accessible


def test_group_without_egress_keeps_the_default() -> None:
    """A group declared with no egress lets everything out, as AWS creates it."""
    text = plant(
        SEED,
        "      GroupDescription: App/DatabaseSG\n      VpcId: !Ref VPCB9E5F0B4\n"
        "      SecurityGroupEgress:\n"
        "        - {CidrIp: 0.0.0.0/0, Description: Allow all outbound traffic by default,"
        ' IpProtocol: "-1"}\n',
        "      GroupDescription: App/DatabaseSG\n      VpcId: !Ref VPCB9E5F0B4\n",
    )
    group = next(g for g in model(text).security_groups if g.id == "DatabaseSG5E6F7A8B")
    assert group.egress and group.egress[0].peer.value == "0.0.0.0/0"


def test_an_elastic_ip_makes_an_instance_public() -> None:
    """An instance in a subnet that assigns no public IP is public once an EIP is on it."""
    text = plant(
        SEED,
        "      SubnetId: !Ref VPCPublicSubnet2Subnet74179F39\n      SecurityGroupIds",
        "      SubnetId: !Ref VPCPrivateSubnet2SubnetCFCDAA7A\n      SecurityGroupIds",
    )
    assert not model(text).instances[1].has_public_ip
    eip = (
        "  WebEip1A2B3C4D:\n    Type: AWS::EC2::EIP\n"
        "    Properties: {InstanceId: !Ref Web2C5D6E7F8}\n"
    )
    assert model(plant(text, "Outputs:\n", eip + "Outputs:\n")).instances[1].has_public_ip
