"""ModifyManagedPrefixList as AWS documents it: the version asked for must be the current one,
entries and size do not change in one call, and a list keeps its name when none is given.

https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyManagedPrefixList.html:
"If you specify a current version number that does not match the true current version number,
the request fails"; "You cannot modify the entries of a prefix list and modify the size of a
prefix list at the same time"; PrefixListName is optional (a new name, if any). moto 5.2.5
applies the change to whichever version is named, changes both at once, and sets the name to
nothing when the request carries none — so a second `up` would no longer find the list by name.
The error codes are those AWS answers (InvalidParameterCombination for entries and size together;
InvalidParameterValue for a version that is not the current one).
"""

from __future__ import annotations

from typing import Any

from awsarch.emulator.behaviours.backends import ec2_backend
from awsarch.emulator.layer import Answer, Behaviour, Call, ec2_error, enabled

NAME = "prefix_list_versions"


class PrefixListVersions(Behaviour):
    name = NAME
    services = frozenset({"ec2"})

    def install(self) -> None:
        from moto.ec2.models.managed_prefixes import ManagedPrefixListBackend

        original = ManagedPrefixListBackend.modify_managed_prefix_list
        if getattr(original, "_awsarch", False):
            return

        def modify(backend: Any, *args: Any, **kwargs: Any) -> Any:
            listed = backend.managed_prefix_lists.get(kwargs.get("prefix_list_id"))
            if enabled(NAME) and listed is not None and kwargs.get("prefix_list_name") is None:
                kwargs["prefix_list_name"] = listed.prefix_list_name
            return original(backend, *args, **kwargs)

        modify._awsarch = True  # type: ignore[attr-defined]
        ManagedPrefixListBackend.modify_managed_prefix_list = modify  # type: ignore[assignment,method-assign]

    def before(self, call: Call) -> Answer | None:
        if call.action != "ModifyManagedPrefixList":
            return None
        listed = ec2_backend(call.region).managed_prefix_lists.get(call.params.get("PrefixListId"))
        if listed is None:
            return None
        changes_entries = any(k.startswith(("AddEntry.", "RemoveEntry.")) for k in call.params)
        if changes_entries and "MaxEntries" in call.params:
            return ec2_error(
                "InvalidParameterCombination",
                "You cannot modify the entries of a prefix list and its size at the same time.",
            )
        asked = call.params.get("CurrentVersion")
        if asked is not None and listed.version is not None and int(asked) != listed.version:
            return ec2_error(
                "InvalidParameterValue",
                f"The specified value for version is not valid: {listed.id} is at version"
                f" {listed.version}, not {asked}.",
            )
        return None
