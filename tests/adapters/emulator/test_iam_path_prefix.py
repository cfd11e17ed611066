"""iam_path_prefix: ListGroups answers only the groups under PathPrefix (moto answers all)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.adapters.emulator.support import Pair, client, pair, unique


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("iam_path_prefix")


@pytest.mark.parametrize("side", ["on", "off"])
def test_list_groups_honours_the_path_prefix(emulators: Pair, side: str) -> None:
    iam = client(getattr(emulators, side), "iam")
    ours, theirs = unique("ours"), unique("theirs")
    iam.create_group(GroupName=ours, Path="/awsarch/demo/")
    iam.create_group(GroupName=theirs, Path="/finance/")
    listed = {g["GroupName"] for g in iam.list_groups(PathPrefix="/awsarch/demo/")["Groups"]}
    assert listed == ({ours} if side == "on" else listed | {ours, theirs})
    assert ours in listed
