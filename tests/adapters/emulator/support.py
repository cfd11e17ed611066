"""Two emulators over the same moto: one with every behaviour on, one without the one under test.

The emulator with the behaviour reads a clock the test moves itself (time scale 1: one clock
second is one AWS second), so no test waits for a deadline.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.exceptions
import pytest

from awsarch.adapters import emulator as emulator_module
from awsarch.adapters.emulator import Emulator, ManualClock

REGION = "ap-northeast-2"


@dataclass(frozen=True)
class Pair:
    """`on`: AWS's behaviour; `off`: moto's; `clock`: the `on` emulator's time."""

    on: Emulator
    off: Emulator
    clock: ManualClock


def pair(*names: str) -> Iterator[Pair]:
    clock = ManualClock()
    on = emulator_module.start(time_scale=1.0, clock=clock)
    off = emulator_module.start(without=set(names))
    try:
        assert set(names) <= on.behaviours and not set(names) & off.behaviours
        yield Pair(on=on, off=off, clock=clock)
    finally:
        on.stop()
        off.stop()


def client(running: Emulator, service: str, region: str = REGION) -> Any:
    return boto3.client(service, region_name=region, endpoint_url=running.endpoint_url)


def error_code(excinfo: pytest.ExceptionInfo[botocore.exceptions.ClientError]) -> str:
    return str(excinfo.value.response["Error"]["Code"])


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def image(ec2: Any) -> str:
    return str(ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"])


def trust(principal: dict[str, str]) -> str:
    """A role's trust policy letting `principal` ({"Service": …} or {"AWS": …}) assume it."""
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})
