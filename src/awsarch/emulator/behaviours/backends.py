"""moto's in-process backends of the emulator's account (moto's default account)."""

from __future__ import annotations

from typing import Any

from awsarch.emulator.layer import ACCOUNT_ID


def ec2_backend(region: str) -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends[ACCOUNT_ID][region]


def rds_backend(region: str) -> Any:
    from moto.rds.models import rds_backends

    return rds_backends[ACCOUNT_ID][region]


def iam_backend() -> Any:
    from moto.iam.models import iam_backends

    return iam_backends[ACCOUNT_ID]["aws"]


def cloudformation_backend(region: str) -> Any:
    from moto.cloudformation.models import cloudformation_backends

    return cloudformation_backends[ACCOUNT_ID][region]
