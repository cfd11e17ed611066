"""client_token: RunInstances with a ClientToken launches once, as EC2 documents idempotency."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import botocore.exceptions
import pytest

from tests.adapters.emulator.support import Pair, client, error_code, image, pair, unique


@pytest.fixture(scope="module")
def emulators() -> Iterator[Pair]:
    yield from pair("client_token")


def _launch(ec2: Any, token: str, instance_type: str = "t3.micro") -> list[str]:
    reservation = ec2.run_instances(
        ImageId=image(ec2), MinCount=1, MaxCount=1, InstanceType=instance_type, ClientToken=token
    )
    return [i["InstanceId"] for i in reservation["Instances"]]


def _count(ec2: Any) -> int:
    return sum(len(r["Instances"]) for r in ec2.describe_instances()["Reservations"])


def test_the_same_token_returns_the_earlier_instance_and_launches_nothing(emulators: Pair) -> None:
    """A retried launch (same token, same parameters) gets the first instance back, even once
    that instance is terminated."""
    ec2 = client(emulators.on, "ec2")
    token = unique("launch")
    first = _launch(ec2, token)
    before = _count(ec2)
    assert _launch(ec2, token) == first
    ec2.terminate_instances(InstanceIds=first)
    assert _launch(ec2, token) == first
    assert _count(ec2) == before


def test_the_same_token_with_other_parameters_is_a_mismatch(emulators: Pair) -> None:
    """Reusing a token for a different launch is refused with IdempotentParameterMismatch."""
    ec2 = client(emulators.on, "ec2")
    token = unique("launch")
    _launch(ec2, token)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        _launch(ec2, token, instance_type="t3.small")
    assert error_code(refused) == "IdempotentParameterMismatch"


@pytest.mark.soak  # a concurrency trial
def test_concurrent_launches_with_one_token_launch_once(emulators: Pair) -> None:
    """Five simultaneous retries of one launch all get the same single instance."""
    token = unique("launch")
    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(lambda _: _launch(client(emulators.on, "ec2"), token), range(5)))
    assert len({tuple(r) for r in results}) == 1


def test_without_it_moto_launches_again(emulators: Pair) -> None:
    """Switched off, the emulator is moto: the same token launches another instance."""
    ec2 = client(emulators.off, "ec2")
    token = unique("launch")
    assert _launch(ec2, token) != _launch(ec2, token)


def test_a_reset_emulator_forgets_its_tokens(emulators: Pair) -> None:
    """After reset() (a fresh account for the demo) a token launches anew, as in a new account."""
    ec2 = client(emulators.on, "ec2")
    token = unique("launch")
    first = _launch(ec2, token)
    emulators.on.reset()
    assert _launch(ec2, token) != first
