"""Many accounts on one emulator: each new account's IAM costs milliseconds, not seconds.

moto 5.2.5 builds an IAM backend per account *and per partition* the first time any request
looks an access key up (`get_account_id_from` walks every partition of every account), and each
backend parses AWS's managed policies anew (about 0.5 s and 7 MB). An organization of 200
accounts would then cost minutes and gigabytes before the first answer. Here the managed
policies are parsed once per process and their documents shared (each account still gets its
own policy objects: attachment counts are per account), and only the `aws` partition — the only
one the emulator's accounts live in — gets them at all.

Likewise moto's EC2 backend of each (account, region) builds its ~1,300 public images, each with
a volume and a snapshot, when first touched (about 0.7 s). In the accounts other than the
emulator's own, the images are built when the account first reads or uses one (DescribeImages,
RunInstances…), not on every first call: an audit that never looks at images never pays.

And moto's server lists its own package directory (a listdir and ~200 stats) to route every
request; the listing never changes while the process runs, so it is read once.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from awsarch.adapters.emulator.layer import ACCOUNT_ID

PARTITION = "aws"


@functools.cache
def _catalogue() -> tuple[tuple[str, str | None, str | None, str, datetime, datetime], ...]:
    """(name, default version, path, document, created, updated) of every AWS managed policy."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    parsed = json.loads(aws_managed_policies_data)
    return tuple(
        (
            name,
            data.get("DefaultVersionId"),
            data.get("Path"),
            json.dumps(data.get("Document")),
            datetime.fromisoformat(data["CreateDate"]),
            datetime.fromisoformat(data["UpdateDate"]),
        )
        for name, data in parsed.items()
    )


def install() -> None:
    """Patch moto's IAM and EC2 backends once per process (idempotent)."""
    _share_managed_policies()
    _lazy_images()
    _route_from_one_listing()


def _route_from_one_listing() -> None:
    import moto.backends

    original = moto.backends.list_of_moto_modules
    if getattr(original, "_awsarch", False):
        return
    modules = tuple(original())

    def list_of_moto_modules() -> tuple[str, ...]:
        return modules

    list_of_moto_modules._awsarch = True  # type: ignore[attr-defined]
    moto.backends.list_of_moto_modules = list_of_moto_modules


def _share_managed_policies() -> None:
    from moto.iam.models import AWSManagedPolicy, IAMBackend
    from moto.settings import load_iam_aws_managed_policies

    if getattr(IAMBackend._init_aws_policies, "_awsarch", False):
        return

    policy: Any = AWSManagedPolicy  # moto's class, abstract only to mypy

    def init_aws_policies(backend: Any) -> list[Any]:
        if not load_iam_aws_managed_policies() or backend.region_name != PARTITION:
            return []
        return [
            policy(
                name,
                account_id=backend.account_id,
                region=backend.region_name,
                default_version_id=version,
                path=path,
                document=document,
                create_date=created,
                update_date=updated,
            )
            for name, version, path, document, created, updated in _catalogue()
        ]

    init_aws_policies._awsarch = True  # type: ignore[attr-defined]
    IAMBackend._init_aws_policies = init_aws_policies  # type: ignore[method-assign,assignment]


class LazyImages(dict[str, Any]):
    """moto's image table of one backend, built by `load` the first time anything reads it."""

    def __init__(self, load: Callable[[], None]) -> None:
        super().__init__()
        self._load: Callable[[], None] | None = load
        self._lock = threading.Lock()

    def _ensure(self) -> None:
        with self._lock:
            load, self._load = self._load, None
        if load is not None:
            load()


def _loading(name: str) -> Callable[..., Any]:
    method = getattr(dict, name)

    def loaded(self: LazyImages, *args: Any, **kwargs: Any) -> Any:
        self._ensure()
        return method(self, *args, **kwargs)

    return loaded


for _name in (
    "__getitem__",
    "__contains__",
    "__iter__",
    "__len__",
    "copy",
    "values",
    "items",
    "keys",
    "get",
    "pop",
):
    setattr(LazyImages, _name, _loading(_name))


def _lazy_images() -> None:
    from moto.ec2.models.amis import AmiBackend

    original = AmiBackend._load_amis
    if getattr(original, "_awsarch", False):
        return

    def load_amis(backend: Any) -> None:
        if backend.account_id == ACCOUNT_ID:
            original(backend)
            return
        backend.amis = LazyImages(lambda: original(backend))

    load_amis._awsarch = True  # type: ignore[attr-defined]
    AmiBackend._load_amis = load_amis  # type: ignore[method-assign,assignment]
