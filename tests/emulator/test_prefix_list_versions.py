"""prefix_list_versions: ModifyManagedPrefixList refuses a stale version and entries changed
together with the size, and keeps the list's name when the request names none (as AWS does)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import botocore.exceptions
import pytest

from awsarch.emulator import Emulator
from tests.emulator.support import Pair, client, error_code, pair, unique


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("prefix_list_versions")


def _listed(running: Emulator) -> tuple[Any, str, str]:
    ec2 = client(running, "ec2")
    name = unique("office")
    created = ec2.create_managed_prefix_list(
        PrefixListName=name,
        AddressFamily="IPv4",
        MaxEntries=5,
        Entries=[{"Cidr": "203.0.113.0/24"}],
    )["PrefixList"]
    return ec2, created["PrefixListId"], name


def _add(ec2: Any, list_id: str, version: int, cidr: str) -> dict[str, Any]:
    reply: dict[str, Any] = ec2.modify_managed_prefix_list(
        PrefixListId=list_id, CurrentVersion=version, AddEntries=[{"Cidr": cidr}]
    )
    return reply


def test_a_stale_version_is_refused(emulators: Pair) -> None:
    ec2, list_id, _ = _listed(emulators.on)
    _add(ec2, list_id, 1, "198.51.100.0/24")
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
    ec2, list_id, _ = _listed(emulators.on)
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
        ec2, list_id, name = _listed(running)
        _add(ec2, list_id, 1, "198.51.100.0/24")
        found = ec2.describe_managed_prefix_lists(PrefixListIds=[list_id])["PrefixLists"][0]
        assert (found.get("PrefixListName") == name) is kept
