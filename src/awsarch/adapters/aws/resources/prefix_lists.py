"""Customer-managed prefix lists the stack owns: created tagged, their entries changed in place.

A list's entries change with ModifyManagedPrefixList, which takes the list's current version and
fails when it is not the true current one
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyManagedPrefixList.html): the
version is read just before. Entries and the size cannot change in one call, so a larger
MaxEntries goes first and a smaller one last; each change leaves the list `modify-in-progress`
for a while, and the next waits for `modify-complete` (the states of
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ManagedPrefixList.html).
A list is deleted only after every rule naming it is gone (the plan orders it: deploy/plan.py).
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.aws.resources.base import Handler
from awsarch.adapters.aws.resources.context import ApplyContext
from awsarch.blueprint.prefix_lists import list_name
from awsarch.deploy.diff import Change
from awsarch.deploy.plan import Action
from awsarch.model import PrefixList

ADDRESS_FAMILY = "IPv4"


class PrefixListHandler(Handler):
    def create(self, ctx: ApplyContext, desired: PrefixList, action: Action) -> None:
        found = _find(ctx, desired)
        if found is None:
            created = ctx.call(
                "ec2",
                "create_managed_prefix_list",
                PrefixListName=list_name(ctx.stack, desired.name),
                AddressFamily=ADDRESS_FAMILY,
                MaxEntries=desired.max_entries,
                Entries=[{"Cidr": cidr} for cidr in desired.cidrs],
                TagSpecifications=ctx.tag_spec("prefix-list", desired.id),
            )
            list_id = created["PrefixList"]["PrefixListId"]
            ctx.remember(desired.id, list_id)
            ctx.wait_for("ec2", "PrefixListSettled", SETTLED, PrefixListIds=[list_id])
            return
        ctx.remember(desired.id, found["PrefixListId"])
        _converge(ctx, found, desired)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        ctx.call("ec2", "delete_managed_prefix_list", PrefixListId=change.live_id)


def _find(ctx: ApplyContext, desired: PrefixList) -> dict[str, Any] | None:
    """The stack's list, by its name and then its tags (DescribeManagedPrefixLists filters by
    name, id and owner only)."""
    name = list_name(ctx.stack, desired.name)
    listed = ctx.call(
        "ec2",
        "describe_managed_prefix_lists",
        Filters=[{"Name": "prefix-list-name", "Values": [name]}],
    )["PrefixLists"]
    wanted = {"awsarch:stack": ctx.stack, "awsarch:name": desired.id}
    for item in listed:
        tags = {t["Key"]: t.get("Value", "") for t in item.get("Tags", [])}
        if all(tags.get(k) == v for k, v in wanted.items()) and "delete" not in item["State"]:
            return dict(item)
    return None


def _converge(ctx: ApplyContext, found: dict[str, Any], desired: PrefixList) -> None:
    list_id = str(found["PrefixListId"])
    if int(found.get("MaxEntries") or 0) < desired.max_entries:
        _modify(ctx, list_id, MaxEntries=desired.max_entries)
    live = {
        str(e["Cidr"])
        for page in ctx.session.pages(
            "ec2", "get_managed_prefix_list_entries", PrefixListId=list_id
        )
        for e in page.get("Entries", [])
    }
    add = sorted(set(desired.cidrs) - live)
    remove = sorted(live - set(desired.cidrs))
    if add or remove:
        _modify(
            ctx,
            list_id,
            AddEntries=[{"Cidr": c} for c in add],
            RemoveEntries=[{"Cidr": c} for c in remove],
        )
    if int(found.get("MaxEntries") or 0) > desired.max_entries:
        _modify(ctx, list_id, MaxEntries=desired.max_entries)


SETTLED = {
    "operation": "DescribeManagedPrefixLists",
    "acceptors": [
        {
            "matcher": "pathAll",
            "argument": "PrefixLists[].State",
            "expected": state,
            "state": "success",
        }
        for state in ("create-complete", "modify-complete", "restore-complete")
    ]
    + [
        {
            "matcher": "pathAny",
            "argument": "PrefixLists[].State",
            "expected": state,
            "state": "failure",
        }
        for state in ("create-failed", "modify-failed", "restore-failed")
    ],
}
"""A waiter for a list no longer changing: botocore ships none for prefix lists."""


def _modify(ctx: ApplyContext, list_id: str, **change: Any) -> None:
    """One modification at the list's current version, once the last one has completed; it
    returns when this one has (a rule naming the list then sees its new entries)."""
    ctx.wait_for("ec2", "PrefixListSettled", SETTLED, PrefixListIds=[list_id])
    current = ctx.call("ec2", "describe_managed_prefix_lists", PrefixListIds=[list_id])
    version = current["PrefixLists"][0]["Version"]
    ctx.call(
        "ec2",
        "modify_managed_prefix_list",
        PrefixListId=list_id,
        CurrentVersion=version,
        **change,
    )
    ctx.wait_for("ec2", "PrefixListSettled", SETTLED, PrefixListIds=[list_id])
