"""Deletion protection means what it says: `up` never turns it off; `down` is the deliberate
act, asked for by name, and keeps a final snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.census import STACK, client, take
from tests.deploy.conftest import awsarch
from tests.deploy.lock_support import LOCK, everything, parameter


def _protected(endpoint: str) -> bool:
    db = client("rds", endpoint).describe_db_instances(DBInstanceIdentifier=f"{STACK}-main")
    return bool(db["DBInstances"][0]["DeletionProtection"])


def test_up_refuses_to_replace_a_protected_database(endpoint: str, blueprint: str) -> None:
    """A blueprint change that would replace the protected database (a new engine) stops
    before any action with the two steps to take; nothing changes, protection stays on."""
    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
    before = everything(endpoint)
    path = Path(blueprint)
    text = path.read_text().replace("engine: mysql", "engine: mariadb")
    path.write_text(text.replace('version: "8.0"', 'version: "10.11"'))
    result = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 2, result.output
    line = result.output.strip().splitlines()[-1]
    assert "would replace the database main, whose deletion protection is on" in line
    assert "set `deletion_protection: false` for main and run `awsarch up`, then" in line
    assert everything(endpoint) == before
    assert _protected(endpoint)
    assert parameter(endpoint, LOCK) is None


def test_up_refuses_to_delete_a_protected_database(endpoint: str, blueprint: str) -> None:
    """Removing the protected database from the blueprint is refused by `up` the same way."""
    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
    before = everything(endpoint)
    path = Path(blueprint)
    text = path.read_text()
    text = text[: text.index("databases:")] + text[text.index("intents:") :]
    text = text.replace("      read_secrets: [main]", "").replace("  - internet -/-> main", "")
    text = text.replace("  - web -> main:3306", "").replace(
        "  - web can secretsmanager:GetSecretValue on main.secret", ""
    )
    path.write_text(text)
    result = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 2, result.output
    assert "would delete the database main, whose deletion protection is on" in result.output
    assert everything(endpoint) == before
    assert _protected(endpoint)


def test_down_asks_by_name_and_refuses_on_a_non_interactive_input(
    endpoint: str, blueprint: str
) -> None:
    """`down` of a stack with a database, without --yes and with no terminal to ask on,
    refuses in one line and deletes nothing."""
    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
    before = everything(endpoint)
    result = awsarch("down", blueprint, endpoint=endpoint)
    assert result.exit_code == 2, result.output
    line = result.output.strip().splitlines()[-1]
    assert "not asking on a non-interactive input — pass --yes" in line
    assert everything(endpoint) == before
    assert parameter(endpoint, LOCK) is None


@pytest.mark.soak  # make demo's down does the same after make test
def test_down_with_yes_unprotects_snapshots_and_deletes(endpoint: str, blueprint: str) -> None:
    """`down --yes` announces turning protection off, takes the final snapshot, prints it, and
    leaves nothing of the stack."""
    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
    result = awsarch("down", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 0, result.output
    assert "turning deletion protection off for demo-main" in result.output
    assert "final snapshot kept: demo-main-final-" in result.output
    snapshots = client("rds", endpoint).describe_db_snapshots(SnapshotType="manual")
    assert next(s["DBSnapshotIdentifier"] for s in snapshots["DBSnapshots"]).startswith(
        "demo-main-final-"
    )
    assert take(endpoint).total == 0


def test_only_down_may_turn_protection_off(endpoint: str, blueprint: str) -> None:
    """Even a plan that reached the engine without the check could not unprotect a database:
    the handler refuses unless `down` gave it the permission."""
    from awsarch.adapters.aws.apply import ApplyError, apply_plan
    from awsarch.adapters.aws.resources.context import ApplyContext
    from awsarch.adapters.aws.session import AwsSession
    from awsarch.deploy.plan import make_plan
    from awsarch.model import Architecture
    from awsarch.usecases.live import changes_for, observe

    assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
    session = AwsSession(endpoint_url=endpoint, region="ap-northeast-2")
    observed = observe(session, stack=STACK)
    nothing = Architecture(stack=STACK, region="ap-northeast-2")
    changes = [c for c in changes_for(nothing, observed) if c.resource_type == "Database"]
    plan = make_plan(changes, stack=STACK, timestamp="1")
    ids = {logical: aws for aws, logical in observed.owned}
    context = ApplyContext(session=session, stack=STACK, waiter_delay=0.2, ids=ids)
    try:
        apply_plan(plan, context)
    except ApplyError as exc:
        assert "only `awsarch down` turns it off" in str(exc)
    else:
        raise AssertionError("the protected database was deleted")
    assert _protected(endpoint)
