"""The seed blueprint expands into the classic secure architecture, resource by resource."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text
from awsarch.model import Architecture

from .golden import GOLDEN_CASES, THREE_TIER, expanded_json

GOLDEN = Path(__file__).parent / "golden"


def _seed() -> Architecture:
    return expand(load_text(seed_text(), file="seed.yaml").blueprint)


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_expansion_matches_golden_file(name: str) -> None:
    """The expanded model is exactly the reviewed golden file (regenerate: make golden)."""
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert expanded_json(GOLDEN_CASES[name]) == expected


def test_seed_network_layout() -> None:
    """Public subnets route to the internet gateway, private ones to a NAT in a public subnet."""
    arch = _seed()
    assert arch.vpcs[0].dns_hostnames
    public = [s for s in arch.subnets if s.kind == "public"]
    private = [s for s in arch.subnets if s.kind == "private"]
    assert (
        {s.az for s in public} == {s.az for s in private} == {"ap-northeast-2a", "ap-northeast-2b"}
    )
    for subnet in public:
        assert arch.routes_to_internet_gateway(subnet.id)
    (nat,) = arch.nat_gateways
    assert nat.subnet_id in {s.id for s in public} and nat.elastic_ip_id
    for subnet in private:
        table = arch.route_table_of(subnet.id)
        assert table is not None
        assert [(r.destination, r.target_id) for r in table.routes if r.target != "local"] == [
            ("0.0.0.0/0", nat.id)
        ]


def test_seed_database_admits_only_the_web_group() -> None:
    """Group B admits 3306 from group A's id only; the database is locked down by default."""
    arch = _seed()
    (db,) = arch.databases
    group = arch.security_group(db.security_group_ids[0])
    assert [(r.protocol, str(r.ports), r.peer.kind, r.peer.value) for r in group.ingress] == [
        ("tcp", "3306", "group", "sg/web")
    ]
    assert db.multi_az and db.storage_encrypted and db.deletion_protection
    assert db.manage_master_password and not db.publicly_accessible
    assert db.backup_retention_days == 7
    subnets = arch.subnet_group(db.subnet_group_id).subnet_ids
    assert {arch.subnet(s).kind for s in subnets} == {"private"}


def test_seed_instances_spread_and_hardened() -> None:
    """Web servers spread over the AZs, need IMDSv2, have a role and no SSH port."""
    arch = _seed()
    assert {arch.subnet(i.subnet_id).az for i in arch.instances} == {
        "ap-northeast-2a",
        "ap-northeast-2b",
    }
    for instance in arch.instances:
        assert instance.imdsv2_required and instance.root_volume_encrypted
        assert instance.instance_profile == "demo-web"
        assert instance.image.startswith("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023")
    web = arch.security_group("sg/web")
    assert sorted(r.ports.first for r in web.ingress) == [80, 443]
    default = arch.security_group("sg/default")
    assert default.is_default and not default.ingress and not default.egress


def test_per_az_nat_gives_each_az_its_own_route() -> None:
    """With nat: per-az every private subnet leaves through the NAT of its own AZ."""
    arch = expand(load_text(THREE_TIER, file="t.yaml").blueprint)
    for subnet in (s for s in arch.subnets if s.kind == "private"):
        table = arch.route_table_of(subnet.id)
        assert table is not None
        nat = arch.get(next(r.target_id for r in table.routes if r.target == "nat-gateway"))
        assert arch.subnet(nat.subnet_id).az == subnet.az
    for subnet in (s for s in arch.subnets if s.kind == "isolated"):
        table = arch.route_table_of(subnet.id)
        assert table is not None and [r.target for r in table.routes] == ["local"]
