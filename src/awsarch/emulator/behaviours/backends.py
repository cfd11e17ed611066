"""moto's in-process backends of the emulator's account (moto's default account)."""

from __future__ import annotations

from typing import Any

from awsarch.emulator.layer import ACCOUNT_ID, Call


def ec2_backend(region: str) -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends[ACCOUNT_ID][region]


def rds_backend(region: str) -> Any:
    from moto.rds.models import rds_backends

    return rds_backends[ACCOUNT_ID][region]


def iam_backend() -> Any:
    from moto.iam.models import iam_backends

    return iam_backends[ACCOUNT_ID]["aws"]


def cloudformation_backend(region: str, account: str = ACCOUNT_ID) -> Any:
    from moto.cloudformation.models import cloudformation_backends

    return cloudformation_backends[account][region]


def caller_account(call: Call) -> str:
    """The account moto acts in for this request: the one whose IAM holds the signing key
    (moto's default account otherwise), as moto's own responses decide it."""
    from moto.iam.models import get_account_id_from

    return str(get_account_id_from(call.access_key))
