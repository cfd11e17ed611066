"""Two of moto's costs that answer nothing, and one of its races, taken away (the answers stay
byte for byte the same).

- A tag lookup for one EC2 resource (every `tag:` filter, every resource in a describe answer)
  scans the tags of every resource of the region through regular expressions: each describe was
  quadratic in what the region holds. It becomes one dictionary lookup.
- Every request lists moto's package folder on disk (about 180 `stat` calls) while holding the
  server's one dispatch lock, to learn a list of modules that never changes while it runs.
- Instance profile associations live in one dictionary that TerminateInstances walks while
  deleting from it: two terminations at once failed with "dictionary changed size during
  iteration" (an HTTP 500 the client cannot parse). Its three users take turns.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any


def install() -> None:
    """Patch moto once per process (moto's backends and classes are process-wide)."""
    _tags_by_resource()
    _modules_listed_once()
    _associations_in_turn()


def _tags_by_resource() -> None:
    from moto.ec2.models.core import TaggedEC2Resource
    from moto.ec2.utils import EC2_PREFIX_TO_RESOURCE, get_prefix

    if getattr(TaggedEC2Resource.get_tags, "_awsarch", False):
        return

    def get_tags(resource: Any) -> list[dict[str, str]]:
        """What `describe_tags(filters={"resource-id": [id]})` answers: an id holds no
        wildcard, so its pattern matches that one key of the tag store."""
        resource_id = resource.id
        if not resource_id:
            return []
        kind = EC2_PREFIX_TO_RESOURCE.get(get_prefix(resource_id), "")
        tags = dict(resource.ec2_backend.tags.get(resource_id, {}))
        return [
            {"resource_id": resource_id, "key": k, "value": v, "resource_type": kind}
            for k, v in tags.items()
        ]

    get_tags._awsarch = True  # type: ignore[attr-defined]
    TaggedEC2Resource.get_tags = get_tags  # type: ignore[method-assign,assignment]


def _modules_listed_once() -> None:
    from moto import backends

    if getattr(backends.list_of_moto_modules, "_awsarch", False):
        return
    modules = tuple(backends.list_of_moto_modules())

    def listed() -> tuple[str, ...]:
        return modules

    listed._awsarch = True  # type: ignore[attr-defined]
    backends.list_of_moto_modules = listed


def _associations_in_turn() -> None:
    from moto.ec2.models.iam_instance_profile import IamInstanceProfileAssociationBackend as owner

    if getattr(owner.disassociate_iam_instance_profile, "_awsarch", False):
        return
    lock = threading.RLock()

    def in_turn(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return method(*args, **kwargs)

        guarded._awsarch = True  # type: ignore[attr-defined]
        return guarded

    for name in (
        "associate_iam_instance_profile",
        "describe_iam_instance_profile_associations",
        "disassociate_iam_instance_profile",
    ):
        setattr(owner, name, in_turn(getattr(owner, name)))
