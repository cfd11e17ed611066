"""prefix_list_versions: ModifyManagedPrefixList refuses a stale version and entries changed
together with the size, and keeps the list's name when the request names none (as AWS does);
a list reads in progress for a while after each change, and refuses a change meanwhile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import botocore.exceptions
import pytest

from awsarch.adapters.emulator import Emulator
from awsarch.adapters.emulator.behaviours.prefix_list_versions import AWS_SECONDS
from tests.adapters.emulator.support import Pair, client, error_code, pair, unique


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("prefix_list_versions")


def _listed(running: Emulator, pair: Pair | None = None) -> tuple[Any, str, str]:
    """A new list; with `pair`, once AWS would have finished creating it."""
    ec2 = client(running, "ec2")
    name = unique("office")
    created = ec2.create_managed_prefix_list(
        PrefixListName=name,
        AddressFamily="IPv4",
        MaxEntries=5,
        Entries=[{"Cidr": "203.0.113.0/24"}],
    )["PrefixList"]
    if pair is not None:
        pair.clock.advance(AWS_SECONDS)
    return ec2, created["PrefixListId"], name


def _add(ec2: Any, list_id: str, version: int, cidr: str) -> dict[str, Any]:
    reply: dict[str, Any] = ec2.modify_managed_prefix_list(
        PrefixListId=list_id, CurrentVersion=version, AddEntries=[{"Cidr": cidr}]
    )
    return reply


def test_a_stale_version_is_refused(emulators: Pair) -> None:
    ec2, list_id, _ = _listed(emulators.on, emulators)
    _add(ec2, list_id, 1, "198.51.100.0/24")
    emulators.clock.advance(AWS_SECONDS)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        _add(ec2, list_id, 1, "192.0.2.0/24")
    assert error_code(refused) == "InvalidParameterValue"
    entries = ec2.get_managed_prefix_list_entries(PrefixListId=list_id)["Entries"]
    assert sorted(e["Cidr"] for e in entries) == ["198.51.100.0/24", "203.0.113.0/24"]


def test_moto_alone_applies_a_stale_version(emulators: Pair) -> None:
    ec2, list_id, _ = _listed(emulators.off)
    _add(ec2, list_id, 1, "198.51.100.0/24")
    _add(ec2, list_id, 1, "192.0.2.0/24")  # AWS: InvalidParameterValue


def test_entries_and_size_do_not_change_together(emulators: Pair) -> None:
    ec2, list_id, _ = _listed(emulators.on, emulators)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ec2.modify_managed_prefix_list(
            PrefixListId=list_id,
            CurrentVersion=1,
            MaxEntries=10,
            AddEntries=[{"Cidr": "192.0.2.0/24"}],
        )
    assert error_code(refused) == "InvalidParameterCombination"


def test_the_list_keeps_its_name(emulators: Pair) -> None:
    for running, kept in ((emulators.on, True), (emulators.off, False)):
        ec2, list_id, name = _listed(running, emulators)
        _add(ec2, list_id, 1, "198.51.100.0/24")
        found = ec2.describe_managed_prefix_lists(PrefixListIds=[list_id])["PrefixLists"][0]
        assert (found.get("PrefixListName") == name) is kept


def _state(ec2: Any, list_id: str) -> str:
    return str(
        ec2.describe_managed_prefix_lists(PrefixListIds=[list_id])["PrefixLists"][0]["State"]
    )


def test_a_change_takes_a_while_and_none_is_taken_meanwhile(emulators: Pair) -> None:
    ec2, list_id, _ = _listed(emulators.on)
    assert _state(ec2, list_id) == "create-in-progress"
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        _add(ec2, list_id, 1, "198.51.100.0/24")
    assert error_code(refused) == "IncorrectState"
    emulators.clock.advance(AWS_SECONDS)
    assert _state(ec2, list_id) == "create-complete"
    _add(ec2, list_id, 1, "198.51.100.0/24")
    assert _state(ec2, list_id) == "modify-in-progress"
    emulators.clock.advance(AWS_SECONDS)
    assert _state(ec2, list_id) == "modify-complete"


def test_moto_alone_completes_at_once(emulators: Pair) -> None:
    ec2, list_id, _ = _listed(emulators.off)
    assert _state(ec2, list_id) == "create-complete"  # AWS: create-in-progress for a while
