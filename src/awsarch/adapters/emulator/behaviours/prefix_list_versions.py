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

A list also takes a while to change: it reads `create-in-progress` or `modify-in-progress` before
`create-complete` or `modify-complete` (the State values of
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ManagedPrefixList.html), and a change
asked for meanwhile is refused with IncorrectState, EC2's code for "the resource is in an
incorrect state for the request" (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
moto completes every change at once.
"""

from __future__ import annotations

import re
from typing import Any

from awsarch.adapters.emulator.behaviours.backends import ec2_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, Clock, ec2_error, enabled

NAME = "prefix_list_versions"
AWS_SECONDS = 5.0
"""How long a list stays in progress after a change (a few seconds on AWS)."""
IN_PROGRESS = {
    "CreateManagedPrefixList": ("create-in-progress", "create-complete"),
    "ModifyManagedPrefixList": ("modify-in-progress", "modify-complete"),
}


class PrefixListVersions(Behaviour):
    name = NAME
    services = frozenset({"ec2"})

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self._changing: dict[str, tuple[Any, str, float]] = {}
        """List id → (the list, its state once done, when AWS will be done)."""

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
        self._settle()
        if call.action != "ModifyManagedPrefixList":
            return None
        listed = ec2_backend(call.region).managed_prefix_lists.get(call.params.get("PrefixListId"))
        if listed is None:
            return None
        if str(listed.state).endswith("-in-progress"):
            return ec2_error(
                "IncorrectState",
                f"The prefix list {listed.id} is in the {listed.state} state; wait for it to"
                " complete.",
            )
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

    def after(self, call: Call, answer: Answer) -> Answer:
        states = IN_PROGRESS.get(call.action)
        if states is None or answer.status >= 400:
            return answer
        backend = ec2_backend(call.region)
        list_id = call.params.get("PrefixListId") or _created_id(answer.body)
        listed = backend.managed_prefix_lists.get(list_id)
        if listed is not None:
            listed.state = states[0]
            with self.lock:
                self._changing[listed.id] = (listed, states[1], self.clock.after(AWS_SECONDS))
        return answer

    def _settle(self) -> None:
        with self.lock:
            for list_id, (listed, done, deadline) in list(self._changing.items()):
                if self.clock.passed(deadline):
                    listed.state = done
                    del self._changing[list_id]


def _created_id(body: bytes) -> str:
    """The new list's id in CreateManagedPrefixList's XML answer."""
    found = re.search(rb"<prefixListId>(pl-[0-9a-f]+)</prefixListId>", body)
    return found.group(1).decode() if found else ""
