"""Running units: one unit's failure, whatever it is, stays that unit's."""

from __future__ import annotations

from typing import Any

import pytest

from awsarch.adapters.aws.errors import ThrottledError
from awsarch.adapters.aws.organization import RoleRequest
from awsarch.cli.org_run import OrgRun, run_units
from awsarch.org.results import UnitResult, audited
from awsarch.org.units import Unit, plan_units

HOME = "123456789012"


def test_a_failing_unit_never_stops_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    """Throttling in one unit and a bug in another become failed units with their reason;
    every other unit is audited, and each result is kept once."""

    def fake_audit(self: OrgRun, unit: Unit, session: Any) -> UnitResult:  # no AWS at all
        if unit.region == "eu-west-1":
            raise ThrottledError("AWS throttled ec2:DescribeVpcs (Throttling)")
        if unit.region == "us-east-1":
            raise KeyError("Vpcs")
        return audited(unit, [])

    monkeypatch.setattr(OrgRun, "_audit", fake_audit)
    monkeypatch.setattr("awsarch.cli.org_run.session_for", lambda region, **_: None)
    run = OrgRun(base=None, home=HOME, request=RoleRequest(), endpoint_url="http://127.0.0.1:1")  # type: ignore[arg-type]
    units = plan_units([HOME], ["ap-northeast-2", "eu-west-1", "us-east-1", "us-west-2"])
    kept: list[str] = []
    results = run_units(run, units, parallel=3, keep=lambda r: kept.append(r.unit.key))
    by_region = {r.unit.region: r for r in results}
    assert by_region["eu-west-1"].reason.startswith("AWS throttled")
    assert by_region["us-east-1"].reason.startswith("internal error: KeyError('Vpcs')")
    assert [r.status for r in (by_region["ap-northeast-2"], by_region["us-west-2"])] == [
        "audited",
        "audited",
    ]
    assert sorted(kept) == sorted(u.key for u in units)
