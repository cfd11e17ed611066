"""Running units: one unit's failure, whatever it is, stays that unit's."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from awsarch.adapters.aws.errors import AccessDeniedError, ThrottledError
from awsarch.adapters.aws.organization import RoleRequest
from awsarch.cli.org_run import OrgRun, run_units
from awsarch.org.results import UnitResult, audited
from awsarch.org.units import Unit, plan_units
from awsarch.rules.base import Finding

HOME = "123456789012"
MFA = Finding(
    rule_id="IAM104",
    severity="warning",
    resource_id="iam-user/alice",
    message="alice signs in to the console without MFA",
)


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
    run = _run()
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
    assert by_region["global"].status == "audited"
    assert sorted(kept) == sorted(u.key for u in units)


def _run() -> OrgRun:
    base: Any = SimpleNamespace(region="us-east-1")
    return OrgRun(base=base, home=HOME, request=RoleRequest(), endpoint_url="http://127.0.0.1:1")


def test_the_hygiene_is_reported_whichever_region_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The account's first region (in name order) throttled: its IAM hygiene, a unit of its
    own, is still audited and reported."""

    def fake_audit(self: OrgRun, unit: Unit, session: Any) -> UnitResult:
        if unit.region == "ap-northeast-2":
            raise ThrottledError("AWS throttled ec2:DescribeVpcs (Throttling)")
        return audited(unit, [MFA] if unit.hygiene else [])

    monkeypatch.setattr(OrgRun, "_audit", fake_audit)
    monkeypatch.setattr("awsarch.cli.org_run.session_for", lambda region, **_: None)
    results = run_units(_run(), plan_units([HOME], ["ap-northeast-2", "eu-west-1"]), parallel=2)
    by_region = {r.unit.region: r for r in results}
    assert by_region["ap-northeast-2"].failed
    assert [f.rule for f in by_region["global"].findings] == ["IAM104"]


def test_a_result_that_cannot_be_written_fails_its_unit_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """S3 refusing one unit's PutObject makes that unit failed, with the reason; the others
    are audited and written."""

    def fake_audit(self: OrgRun, unit: Unit, session: Any) -> UnitResult:
        return audited(unit, [])

    def keep(result: UnitResult) -> None:
        if result.unit.region == "eu-west-1":
            raise AccessDeniedError(
                "access denied: this identity is not allowed s3:PutObject (AccessDenied);"
                " grant s3:PutObject in its IAM policy"
            )
        kept.append(result.unit.key)

    kept: list[str] = []
    monkeypatch.setattr(OrgRun, "_audit", fake_audit)
    monkeypatch.setattr("awsarch.cli.org_run.session_for", lambda region, **_: None)
    units = plan_units([HOME], ["eu-west-1", "us-east-1"])
    results = run_units(_run(), units, parallel=2, keep=keep)
    by_region = {r.unit.region: r for r in results}
    assert by_region["eu-west-1"].failed
    assert by_region["eu-west-1"].reason.startswith("result not stored: access denied")
    assert "s3:PutObject" in by_region["eu-west-1"].reason
    assert sorted(kept) == [f"{HOME}/global", f"{HOME}/us-east-1"]
