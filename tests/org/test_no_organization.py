"""`audit --org` where there is no organization to list: one line that says where to run it,
not a message about an `--ou` nobody gave."""

from __future__ import annotations

from awsarch.adapters.emulator import Emulator
from tests.live.support import invoke


def test_an_organization_with_no_account_says_where_to_run(emulator: Emulator) -> None:
    emulator.reset()  # no organization at all
    result = invoke(emulator, "ap-northeast-2", "audit", "--org")
    assert result.exit_code == 2, result.output
    assert "--ou" not in result.output, result.output
    assert "management account" in result.output and "drop --org" in result.output
    assert result.output.count("\n") == 1, result.output
