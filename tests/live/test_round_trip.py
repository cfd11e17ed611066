"""The seed blueprint's model, created in the emulator, reads back as the same model (ids aside).

Once by hand — plain boto3, resource by resource (tests/live/creator.py) — and once through
`awsarch up`. Discovery must not depend on awsarch having made what it reads.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from awsarch.adapters.aws.session import AwsSession
from awsarch.adapters.emulator import Emulator
from awsarch.blueprint import seed
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.deploy.diff import diff
from awsarch.deploy.normalize import comparable_pair
from awsarch.model import Architecture
from awsarch.usecases.live import Observed, observe
from tests.live import creator
from tests.live.support import invoke

KINDS = (
    "vpcs",
    "internet_gateways",
    "subnets",
    "route_tables",
    "nat_gateways",
    "network_acls",
    "security_groups",
    "roles",
    "instance_profiles",
    "instances",
    "db_subnet_groups",
    "databases",
)
"""Every kind of resource the seed blueprint expands to."""


def seed_text(stack: str, region: str) -> str:
    """The seed blueprint, under another stack name and region (IAM names are account-wide)."""
    text = seed.seed_text()
    text = re.sub(r"(?m)^stack: \S+", f"stack: {stack}", text)
    return re.sub(r"(?m)^region: \S+", f"region: {region}", text)


def seed_model(stack: str, region: str) -> Architecture:
    return expand(load_text(seed_text(stack, region), file="seed.yaml").blueprint)


def observed(emulator: Emulator, desired: Architecture, vpc_id: str | None = None) -> Observed:
    session = AwsSession(region=desired.region, endpoint_url=emulator.endpoint_url)
    return observe(session, stack=desired.stack, vpc_id=vpc_id)


def by_kind(arch: Architecture, kind: str, ids: set[str]) -> dict[str, Any]:
    return {r.id: r for r in getattr(arch, kind) if r.id in ids}


@pytest.fixture(scope="module")
def by_hand(emulator: Emulator) -> tuple[Architecture, dict[str, str], Observed]:
    desired = seed_model("byhand", "us-east-2")
    ids = creator.create(desired, emulator.endpoint_url)
    return desired, ids, observed(emulator, desired, vpc_id=ids["vpc/main"])


def test_seed_model_created_by_hand_reads_back_without_drift(
    by_hand: tuple[Architecture, dict[str, str], Observed],
) -> None:
    """Created resource by resource with plain boto3, the seed reads back with nothing to change:
    every resource found under its logical id, no field drifted."""
    desired, _, seen = by_hand
    assert diff(desired, seen.model) == []


@pytest.mark.parametrize("kind", KINDS)
def test_logical_view_equals_the_blueprint_kind_by_kind(
    by_hand: tuple[Architecture, dict[str, str], Observed], kind: str
) -> None:
    """Under logical ids, each kind of resource read back equals the blueprint's, field by field
    (what only exists live — addresses, secret ARNs, the AMI an SSM parameter named — aside)."""
    desired, _, seen = by_hand
    wanted = {r.id: r for r in getattr(desired, kind)}
    assert wanted, f"the seed has no {kind}"
    found = by_kind(seen.view, kind, set(wanted))
    assert sorted(found) == sorted(wanted)
    for logical, resource in wanted.items():
        mine, live = comparable_pair(resource, found[logical])
        assert live == mine, logical


def test_logical_ids_point_at_what_was_created(
    by_hand: tuple[Architecture, dict[str, str], Observed],
) -> None:
    """Each tagged resource is recognised as the very AWS resource the creator made."""
    desired, ids, seen = by_hand
    owned = dict(seen.model.logical_ids)
    for resource in desired.resources():
        aws_id = ids[resource.id]
        if resource.id.startswith("dbsubnets/"):
            continue  # a DB subnet group is known by its ARN, its name is what we kept
        assert owned.get(aws_id) == resource.id


def test_awsarch_up_round_trip(emulator: Emulator, tmp_path: Path) -> None:
    """`awsarch up` on the seed (another stack, another region) then a fresh read: no drift, and
    a second `up` has nothing to do."""
    desired = seed_model("viaup", "us-west-2")
    path = tmp_path / "blueprint.yaml"
    path.write_text(seed_text(desired.stack, desired.region))
    first = invoke(emulator, desired.region, "up", str(path), "--yes")
    assert first.exit_code == 0, first.output
    seen = observed(emulator, desired)
    assert diff(desired, seen.model) == []
    again = invoke(emulator, desired.region, "up", str(path), "--yes")
    assert again.exit_code == 0, again.output
    assert "no changes" in again.stdout
