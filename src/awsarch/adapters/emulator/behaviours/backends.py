"""moto's in-process backends of the emulator's account (moto's default account)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from awsarch.adapters.emulator.layer import ACCOUNT_ID, Call, enabled


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


Properties = Callable[[dict[str, Any], str, str], dict[str, Any]]
"""A resource's template properties, the account and the region → the properties moto gets."""


def rewrite_cloudformation_properties(model: Any, behaviour: str, rewrite: Properties) -> None:
    """Have moto's CloudFormation create `model` resources from rewritten properties while
    `behaviour` is on (installed once per process, like every patch of moto)."""
    done: frozenset[str] = model.__dict__.get("_awsarch_rewrites", frozenset())
    if behaviour in done:
        return
    model._awsarch_rewrites = done | {behaviour}
    original = model.create_from_cloudformation_json.__func__

    def create(
        cls: Any, name: str, template: Any, account_id: str, region_name: str, **kw: Any
    ) -> Any:
        if enabled(behaviour):
            props = rewrite(template["Properties"], account_id, region_name)
            template = {**template, "Properties": props}
        return original(cls, name, template, account_id, region_name, **kw)

    model.create_from_cloudformation_json = classmethod(create)  # type: ignore[arg-type]
