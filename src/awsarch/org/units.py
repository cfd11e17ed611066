"""Units of an organization's audit and each worker's deterministic share of them.

A unit is one (account, region), plus one `ACCOUNT/global` unit per account for its hygiene (root
user, IAM users: global, not regional), so the hygiene is audited once, reported (or failed) on its
own, and never lost with a region that failed.

Shards: a unit belongs to shard `sha256("account/region") mod N`, a function of the unit alone, so
N workers that list the organization in different orders (or while an account joins) still agree
on who audits what, and together cover every unit exactly once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from awsarch.errors import InputError
from awsarch.record import record

SHARD_INDEX_VARIABLES = ("AWS_BATCH_JOB_ARRAY_INDEX", "JOB_COMPLETION_INDEX")
"""Where AWS Batch array jobs and Kubernetes Indexed Jobs put a worker's 0-based index."""
_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
GLOBAL = "global"
"""The region of an account's hygiene unit: IAM is global, the unit belongs to no region."""
UNLISTED = "regions"
"""The region of a stand-in unit, under `--regions all`, for an account whose enabled regions
could not be listed: its regional units are unknown, so this one reports why (as failed)."""


@dataclass(frozen=True, kw_only=True, order=True)
class Unit:
    account: str
    region: str
    """An AWS region, or GLOBAL for the account's hygiene."""

    @property
    def hygiene(self) -> bool:
        """This unit audits the account's IAM hygiene (root user, IAM users), once per account."""
        return self.region == GLOBAL

    @property
    def key(self) -> str:
        """`111122223333/eu-west-1`: the unit's name in results and in S3 keys."""
        return f"{self.account}/{self.region}"


@record
class Shard:
    index: int
    """0-based."""
    count: int

    def __str__(self) -> str:
        return f"{self.index + 1}/{self.count}"


def plan_units(accounts: Iterable[str], regions: Iterable[str]) -> tuple[Unit, ...]:
    """Every (account, region) once and each account's hygiene unit, sorted."""
    listed = tuple(regions)
    return plan_account_units({account: listed for account in accounts})


def plan_account_units(regions_of: Mapping[str, Iterable[str]]) -> tuple[Unit, ...]:
    """Each account's own regions (those enabled in it) and its hygiene unit, sorted."""
    return tuple(
        sorted(
            Unit(account=account, region=region)
            for account, regions in regions_of.items()
            for region in {*regions, GLOBAL}
        )
    )


def shard_of(unit: Unit, count: int) -> int:
    """The 0-based shard a unit belongs to among `count`: stable, whatever the listing order."""
    digest = hashlib.sha256(unit.key.encode()).digest()
    return int.from_bytes(digest[:8], "big") % count


def select(units: Iterable[Unit], shard: Shard | None) -> tuple[Unit, ...]:
    """The units of one shard (all of them without a shard), in sorted order."""
    chosen = (
        units if shard is None else (u for u in units if shard_of(u, shard.count) == shard.index)
    )
    return tuple(sorted(chosen))


def parse_shard(text: str) -> Shard:
    """`2/4` (1-based, as people count) → Shard(index=1, count=4)."""
    match = _SHARD.match(text)
    if not match:
        raise InputError(f"--shard {text!r}: write I/N, e.g. 2/4 (1-based: 1/4 … 4/4)")
    number, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= number <= count:
        raise InputError(f"--shard {text}: I must be between 1 and N (1-based: 1/{count or 1} …)")
    return Shard(index=number - 1, count=count)


def shard_from(explicit: str | None, shards: int | None, env: Mapping[str, str]) -> Shard | None:
    """`--shard I/N`, else `--shards N` with the 0-based index an array job sets, else none."""
    if explicit:
        return parse_shard(explicit)
    if shards is None:
        return None
    for name in SHARD_INDEX_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            if not value.isdigit() or int(value) >= shards:
                raise InputError(f"{name}={value!r} is not an index between 0 and {shards - 1}")
            return Shard(index=int(value), count=shards)
    raise InputError(
        f"--shards {shards} needs the worker's index: run as an AWS Batch array job"
        " (AWS_BATCH_JOB_ARRAY_INDEX) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX),"
        " or pass --shard I/N"
    )
