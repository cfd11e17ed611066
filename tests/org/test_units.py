"""Units and shards: every (account, region) audited exactly once, by a worker that any
listing order agrees on."""

from __future__ import annotations

import random

import pytest

from awsarch.errors import InputError
from awsarch.org.units import (
    GLOBAL,
    Shard,
    parse_shard,
    plan_account_units,
    plan_units,
    select,
    shard_from,
)

ACCOUNTS = [f"{n:012d}" for n in range(100000000000, 100000000000 + 37)]
REGIONS = ["us-east-1", "eu-west-1", "ap-northeast-2"]


def test_one_unit_per_account_and_region_and_hygiene_once_per_account() -> None:
    """Each account's IAM hygiene is a unit of its own (`ACCOUNT/global`), beside its regions,
    so a region that fails never takes the hygiene with it."""
    units = plan_units(ACCOUNTS + ACCOUNTS[:3], REGIONS)
    assert len(units) == len(ACCOUNTS) * (len(REGIONS) + 1)
    hygiene = [u for u in units if u.hygiene]
    assert sorted(u.account for u in hygiene) == sorted(ACCOUNTS)
    assert {u.key.split("/")[1] for u in hygiene} == {GLOBAL}
    assert not [u for u in units if u.region in REGIONS and u.hygiene]


def test_each_account_has_its_own_regions() -> None:
    """With `--regions all` each account brings the regions enabled in it; its hygiene unit is
    there whatever its regions, and a unit's shard does not depend on the other accounts'."""
    units = plan_account_units(
        {"111111111111": ["us-east-1", "af-south-1"], "222222222222": ["us-east-1"]}
    )
    assert [u.key for u in units] == [
        "111111111111/af-south-1",
        "111111111111/global",
        "111111111111/us-east-1",
        "222222222222/global",
        "222222222222/us-east-1",
    ]
    shard = Shard(index=0, count=2)
    alone = select(plan_account_units({"222222222222": ["us-east-1"]}), shard)
    assert set(alone) == {u for u in select(units, shard) if u.account == "222222222222"}


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 32])
def test_shards_cover_every_unit_exactly_once(count: int) -> None:
    """N workers together audit every unit once: no unit twice, none missed."""
    units = plan_units(ACCOUNTS, REGIONS)
    shards = [select(units, Shard(index=i, count=count)) for i in range(count)]
    picked = [u for shard in shards for u in shard]
    assert sorted(picked) == sorted(units)
    assert len(set(picked)) == len(picked)


def test_a_shard_does_not_depend_on_the_listing_order() -> None:
    """Workers that list the organization in different orders pick the same units."""
    shuffled = ACCOUNTS[:]
    random.Random(7).shuffle(shuffled)
    shard = Shard(index=1, count=4)
    assert select(plan_units(ACCOUNTS, REGIONS), shard) == select(
        plan_units(shuffled, list(reversed(REGIONS))), shard
    )


def test_an_account_joining_moves_no_other_unit() -> None:
    """A unit's shard is a function of the unit alone: a new account changes no one else's."""
    shard = Shard(index=2, count=3)
    before = set(select(plan_units(ACCOUNTS, REGIONS), shard))
    after = set(select(plan_units([*ACCOUNTS, "999999999999"], REGIONS), shard))
    assert {u for u in after if u.account != "999999999999"} == before


def test_shards_are_balanced_enough() -> None:
    """No worker gets twice its share on a 111-unit organization."""
    units = plan_units(ACCOUNTS, REGIONS)
    sizes = [len(select(units, Shard(index=i, count=4))) for i in range(4)]
    assert max(sizes) < 2 * len(units) / 4


def test_shard_is_one_based_for_people() -> None:
    """--shard 1/3 is the first of three; 0/3 and 4/3 are refused with the fix."""
    assert parse_shard("1/3") == Shard(index=0, count=3)
    assert str(parse_shard("3/3")) == "3/3"
    for bad in ("0/3", "4/3", "3", "a/b", "1/0"):
        with pytest.raises(InputError, match="--shard"):
            parse_shard(bad)


@pytest.mark.parametrize("variable", ["AWS_BATCH_JOB_ARRAY_INDEX", "JOB_COMPLETION_INDEX"])
def test_array_jobs_give_the_index_0_based(variable: str) -> None:
    """AWS Batch and Kubernetes Indexed Jobs count from 0: index 0 is shard 1/N."""
    assert shard_from(None, 4, {variable: "0"}) == Shard(index=0, count=4)
    assert shard_from(None, 4, {variable: "3"}) == Shard(index=3, count=4)
    with pytest.raises(InputError, match=variable):
        shard_from(None, 4, {variable: "4"})


def test_without_an_index_shards_is_refused_and_explicit_wins() -> None:
    """--shards N with no index anywhere is an input error; --shard I/N beats the variables."""
    with pytest.raises(InputError, match="AWS_BATCH_JOB_ARRAY_INDEX"):
        shard_from(None, 4, {})
    assert shard_from("2/4", None, {"JOB_COMPLETION_INDEX": "0"}) == Shard(index=1, count=4)
    assert shard_from(None, None, {"JOB_COMPLETION_INDEX": "0"}) is None
