"""Each AWS behaviour of the emulator, switched on alone: the engine copes with it.

For every behaviour (named after what AWS does), an emulator with only that behaviour on takes the
seed through `up`, a second `up` that has nothing to do, and `down`, which leaves nothing tagged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from awsarch.adapters import emulator as emulator_module
from awsarch.adapters.emulator.behaviours import ALL
from tests.deploy.census import assert_converged, take, write_seed
from tests.deploy.conftest import awsarch

DIRECT_ENGINE_SERVICES = frozenset({"ec2", "rds", "iam", "ssm", "sts", "secretsmanager"})
ACTS_ON_ROOT = [
    b.name for b in ALL if b.name != "iam_enforcement" and b.services & DIRECT_ENGINE_SERVICES
]
"""iam_enforcement leaves the root credentials these runs use alone; the seed's life as an IAM
user, with it on, is tests/iam/test_least_privilege.py. Behaviours of services the direct engine
never calls (CloudFormation's) cannot change its run: tests/cfn covers them."""


EVERY_RUN = ("database_deletion",)
"""The behaviour that shapes a teardown the most runs in `make test` (make demo runs them all
together right after); each alone runs in `make soak`."""


@pytest.fixture(
    params=[
        name if name in EVERY_RUN else pytest.param(name, marks=pytest.mark.soak)
        for name in ACTS_ON_ROOT
    ]
)
def alone(request: pytest.FixtureRequest) -> Iterator[str]:
    """An emulator with one AWS behaviour on; its endpoint."""
    only = str(request.param)
    running = emulator_module.start(without=set(emulator_module.BEHAVIOURS) - {only})
    assert running.behaviours == {only}
    running.reset()
    try:
        yield running.endpoint_url
    finally:
        running.reset()
        running.stop()


def test_the_seed_goes_up_twice_and_down_with_one_behaviour_on(alone: str, tmp_path: Path) -> None:
    """`up` builds exactly the seed, a second `up` has nothing to do, `down` leaves nothing."""
    blueprint = str(write_seed(tmp_path))
    first = awsarch("up", blueprint, "--yes", endpoint=alone)
    assert first.exit_code == 0, first.output
    assert_converged(alone)
    second = awsarch("up", blueprint, "--yes", endpoint=alone)
    assert second.exit_code == 0, second.output
    assert "no changes" in second.output
    down = awsarch("down", blueprint, "--yes", endpoint=alone)
    assert down.exit_code == 0, down.output
    census = take(alone)
    assert not census.names and not census.volumes, census
