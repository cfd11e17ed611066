"""A resource handler: create, update and delete one kind of resource, idempotently."""

from __future__ import annotations

from typing import Any

from awsarch.adapters.aws.resources.context import ApplyContext
from awsarch.deploy.diff import Change
from awsarch.deploy.plan import Action


class Handler:
    """Dispatches an action to create / update / delete; a replacement is delete, then create.

    `create` must first look for the resource by its tags (or its name) and adopt it, so that a
    run interrupted after the API call but before it was recorded converges instead of
    duplicating.
    """

    def apply(self, ctx: ApplyContext, action: Action) -> None:
        change = action.change
        if change.kind == "create":
            self.create(ctx, change.desired, action)
        elif change.kind == "update":
            self.update(ctx, change, action)
        elif change.kind == "replace":
            self.delete(ctx, change, action)
            ctx.forget(change.logical_id)
            self.create(ctx, change.desired, action)
        else:
            self.delete(ctx, change, action)
            ctx.forget(change.logical_id)

    def create(self, ctx: ApplyContext, desired: Any, action: Action) -> None:
        raise NotImplementedError

    def update(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        """By default an update converges the same way a create does (find, then sync)."""
        self.create(ctx, change.desired, action)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        raise NotImplementedError


def first(items: list[Any]) -> Any | None:
    return items[0] if items else None
