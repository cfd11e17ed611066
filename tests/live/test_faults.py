"""Estates built through the plain EC2/RDS APIs, each with one planted fault: `awsarch audit`
and `awsarch reach` find it on what is live.

Each estate lives in its own region of the one emulator, so each starts from a clean account
without resetting what other tests built.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from awsarch.adapters.emulator import Emulator
from tests.adapters.aws import estate as estate_module
from tests.adapters.aws.estate import Estate
from tests.live import faults
from tests.live.support import audit_json, error_rules, reach_json, rules_on


def _build(emulator: Emulator, region: str, plant: Callable[[Any, Any, Estate], None]) -> Estate:
    built = estate_module.build(emulator.endpoint_url, region, suffix=f"-{uuid.uuid4().hex[:6]}")
    ec2 = boto3.client("ec2", endpoint_url=emulator.endpoint_url, region_name=region)
    rds = boto3.client("rds", endpoint_url=emulator.endpoint_url, region_name=region)
    plant(ec2, rds, built)
    return built


@pytest.fixture(scope="module")
def public_db(emulator: Emulator) -> Estate:
    suffix = f"-{uuid.uuid4().hex[:6]}"
    return _build(
        emulator,
        "eu-west-1",
        lambda ec2, rds, e: faults.public_database(ec2, rds, e, suffix=suffix),
    )


@pytest.fixture(scope="module")
def nat_private(emulator: Emulator) -> Estate:
    return _build(emulator, "eu-west-2", lambda ec2, rds, e: faults.nat_in_private_subnet(ec2, e))


@pytest.fixture(scope="module")
def web_acl(emulator: Emulator) -> Estate:
    return _build(
        emulator, "eu-west-3", lambda ec2, rds, e: faults.web_acl_without_return_ports(ec2, e)
    )


@pytest.fixture(scope="module")
def web_acl_partial(emulator: Emulator) -> Estate:
    return _build(
        emulator,
        "eu-south-1",
        lambda ec2, rds, e: faults.web_acl_with_part_of_the_return_ports(ec2, e),
    )


@pytest.fixture(scope="module")
def standby(emulator: Emulator) -> Estate:
    return _build(
        emulator, "eu-central-1", lambda ec2, rds, e: faults.standby_subnet_blocked(ec2, e)
    )


def _blockers(answer: dict[str, Any]) -> list[tuple[str, str]]:
    return [(b["resource"], b["kind"]) for b in answer["blocked_by"]]


# ---- a database in the public subnets, publicly accessible, open to the world ----------------
def test_public_database_is_three_error_findings(emulator: Emulator, public_db: Estate) -> None:
    """audit names the exposed database under DATA001, DATA002 and DATA003, exit 3; the sound
    database beside it gets none of them."""
    code, answer = audit_json(emulator, public_db.region, public_db["vpc/main"])
    assert code == 3
    assert {"DATA001", "DATA002", "DATA003"} <= rules_on(answer, "db/exposed")
    assert not rules_on(answer, "db/main") & {"DATA001", "DATA002", "DATA003"}
    assert answer["summary"]["errors"] == len(
        [f for f in answer["findings"] if f["severity"] == "error"]
    )


def test_public_database_is_reachable_from_the_internet(
    emulator: Emulator, public_db: Estate
) -> None:
    """reach internet -> rds:<id> on 3306 is reachable, through the internet gateway; the
    private database stays unreachable."""
    exposed = reach_json(
        emulator, public_db.region, "internet", f"rds:{public_db['db/exposed']}", 3306
    )
    assert exposed["verdict"] == "reachable"
    assert exposed["ports"] == ["tcp/3306"]
    hops = [h["resource"] for p in exposed["paths"] for h in p["hops"]]
    assert public_db["igw/main"] in hops and public_db["sg/db-exposed"] in hops
    sound = reach_json(emulator, public_db.region, "internet", f"rds:{public_db['db/main']}", 3306)
    assert sound["verdict"] == "unreachable"


# ---- a NAT gateway in a subnet with no internet route ----------------------------------------
def test_nat_in_private_subnet_is_net004(emulator: Emulator, nat_private: Estate) -> None:
    """audit reports NET004 on the misplaced NAT gateway only, not on the one in public-a."""
    code, answer = audit_json(emulator, nat_private.region, nat_private["vpc/main"])
    assert code == 3
    net004 = [f["resource"] for f in answer["findings"] if f["rule"] == "NET004"]
    assert net004 == ["nat/b"]


def test_private_instance_cannot_get_out_through_it(
    emulator: Emulator, nat_private: Estate
) -> None:
    """reach from a private instance to internet:443 is unreachable: its route leads to the
    NAT gateway, whose subnet's route table (the VPC's main one) reaches no internet gateway."""
    answer = reach_json(
        emulator, nat_private.region, nat_private["instance/app-1"], "internet", 443
    )
    assert answer["verdict"] == "unreachable"
    blockers = _blockers(answer)
    assert blockers, answer
    assert all(kind == "route" for _, kind in blockers), blockers
    assert {resource for resource, _ in blockers} == {nat_private["rtb/main"]}
    assert nat_private["nat/b"] in answer["blocked_by"][0]["reason"]
    hops = [h["resource"] for h in answer["paths"][0]["hops"]]
    assert hops.index(nat_private["rtb/app"]) < hops.index(nat_private["nat/b"])


# ---- an ACL that forgets the ephemeral ports -------------------------------------------------
def test_acl_without_return_ports_blocks_the_web(emulator: Emulator, web_acl: Estate) -> None:
    """reach internet -> i-… on 443 is unreachable, blocked by the web ACL's return hop."""
    answer = reach_json(emulator, web_acl.region, "internet", web_acl["instance/web-1"], 443)
    assert answer["verdict"] == "unreachable"
    assert _blockers(answer) == [(web_acl["acl/web"], "network-acl-return")]
    assert "return traffic" in answer["blocked_by"][0]["reason"]


def test_acl_with_part_of_the_return_ports_is_partially_reachable(
    emulator: Emulator, web_acl_partial: Estate
) -> None:
    """Built through the plain EC2 API: internet -> i-… on 443 is partially reachable (never a
    plain `reachable`), the return hop naming the client ports that fail."""
    estate = web_acl_partial
    answer = reach_json(emulator, estate.region, "internet", estate["instance/web-1"], 443)
    assert answer["verdict"] == "partially-reachable"
    partial = [h for p in answer["paths"] for h in p["hops"] if h["decision"] == "partial"]
    assert partial and all(h["kind"] == "network-acl-return" for h in partial)
    assert "not on tcp/1024-32767" in partial[0]["reason"]


# ---- the standby's subnet blocked ------------------------------------------------------------
def test_blocked_standby_subnet_is_partially_reachable(emulator: Emulator, standby: Estate) -> None:
    """reach sg-(web) -> rds:<id>:3306 is partially reachable: every path into private-a passes,
    every path into private-b stops at its ACL's inbound deny."""
    answer = reach_json(
        emulator, standby.region, standby["sg/web"], f"rds:{standby['db/main']}", 3306
    )
    assert answer["verdict"] == "partially-reachable"
    by_subnet = {
        subnet: {
            p["verdict"]
            for p in answer["paths"]
            if f"({standby[subnet]})" in p["placement"].split(" -> ")[1]
        }
        for subnet in ("subnet/private-a", "subnet/private-b")
    }
    assert by_subnet == {"subnet/private-a": {"reachable"}, "subnet/private-b": {"unreachable"}}
    assert set(_blockers(answer)) == {(standby["acl/private-b"], "network-acl-inbound")}


def test_faults_other_than_the_database_pass_the_data_rules(
    emulator: Emulator, standby: Estate
) -> None:
    """The standby fault is in the network, not in the database's settings: no DATA error."""
    _, answer = audit_json(emulator, standby.region, standby["vpc/main"])
    assert not {r for r in error_rules(answer) if r.startswith("DATA")}
