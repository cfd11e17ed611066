"""The lock record and the ownership decision, without AWS."""

from __future__ import annotations

import datetime

import pytest

from awsarch.deploy.lock_record import BlueprintIdentity, LockRecord, new_lock, ownership

NOW = datetime.datetime(2026, 12, 6, 12, 0, tzinfo=datetime.UTC)
HERE = BlueprintIdentity(path="/srv/a/blueprint.yaml", host="build-1")
THERE = BlueprintIdentity(path="/srv/b/blueprint.yaml", host="build-1")


def test_a_lock_record_survives_its_round_trip_and_expires_on_time() -> None:
    """What `up` writes into the lock is read back unchanged, and expires after its TTL."""
    record = new_lock(
        who="arn:aws:iam::1:user/a", host="h", pid=7, command="up", blueprint=HERE, now=NOW
    )
    assert LockRecord.decode(record.encode()) == record
    assert not record.expired(NOW + datetime.timedelta(hours=2))
    assert record.expired(NOW + datetime.timedelta(hours=3))
    assert record.holder() == (
        "arn:aws:iam::1:user/a (pid 7 on h), `awsarch up` since 2026-12-06T12:00:00+00:00"
    )


def test_an_unreadable_lock_is_shown_and_never_taken_over() -> None:
    """A lock some other tool wrote is named as it is (its holder unknown, never `pid 0 on ?`
    nor `since ?`) and never counts as expired."""
    record = LockRecord.decode("held by the release script")
    assert record.holder() == (
        "holder unknown (the lock record cannot be read: 'held by the release script')"
    )
    assert BlueprintIdentity.decode("{").describe() == "unreadable owner record '{'"
    assert not record.expired(NOW)


@pytest.mark.parametrize(
    ("owner", "has_resources", "adopt", "verdict"),
    [
        (HERE, True, False, "owned"),
        (None, False, False, "first"),
        (None, True, False, "adopt-older"),
        (THERE, True, False, "refuse"),
        (THERE, True, True, "adopt"),
        (BlueprintIdentity(path=HERE.path, host="laptop"), True, False, "refuse"),
    ],
)
def test_ownership(
    owner: BlueprintIdentity | None, has_resources: bool, adopt: bool, verdict: str
) -> None:
    """Only the owning blueprint (same path, same host) acts without --adopt."""
    assert ownership(owner, HERE, has_resources=has_resources, adopt=adopt) == verdict
