"""What the stack lock and the stack's owner record hold, and what they decide. Pure: no AWS.

`up` and `down` hold the SSM parameter `/stacks/awsarch/<stack>/lock` while they act;
`/stacks/awsarch/<stack>/owner` names the blueprint a stack belongs to, so a second blueprint
that happens to use the same `stack:` name is refused instead of deleting what the first built.
"""

from __future__ import annotations

import datetime
import json
from typing import Literal

from awsarch.record import record

LOCK_TTL = datetime.timedelta(hours=3)
"""After this long a lock counts as abandoned (a Multi-AZ database alone can take 40 minutes)."""

Ownership = Literal["owned", "first", "adopt-older", "adopt", "refuse"]


PARAMETER_ROOT = "/stacks/awsarch"
"""Not `/awsarch`: "A parameter name can't be prefixed with "aws" or "ssm" (case-insensitive)"
(https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html)."""


def lock_name(stack: str) -> str:
    return f"{PARAMETER_ROOT}/{stack}/lock"


def owner_name(stack: str) -> str:
    return f"{PARAMETER_ROOT}/{stack}/owner"


@record
class BlueprintIdentity:
    """The blueprint that owns a stack: its resolved absolute path, on which host."""

    path: str
    host: str

    def describe(self) -> str:
        return self.path if self.host == "?" else f"{self.path} on {self.host}"

    def encode(self) -> str:
        return json.dumps({"path": self.path, "host": self.host}, sort_keys=True)

    @classmethod
    def decode(cls, text: str) -> BlueprintIdentity:
        """An unreadable record still names something: it is never taken for ours."""
        try:
            data = json.loads(text)
            return cls(path=str(data["path"]), host=str(data["host"]))
        except (ValueError, KeyError, TypeError):
            return cls(path=f"unreadable owner record {text[:60]!r}", host="?")


UNREADABLE = "unreadable lock "
"""How a record that is not ours to read starts its `who` (its text follows, quoted)."""


@record
class LockRecord:
    """Who holds the lock, since when, doing what, until when, for which blueprint."""

    who: str
    host: str
    pid: int
    command: str
    taken: str
    expires: str
    blueprint: BlueprintIdentity

    def encode(self) -> str:
        fields = {
            "who": self.who,
            "host": self.host,
            "pid": self.pid,
            "command": self.command,
            "taken": self.taken,
            "expires": self.expires,
            "blueprint": {"path": self.blueprint.path, "host": self.blueprint.host},
        }
        return json.dumps(fields, sort_keys=True)

    @classmethod
    def decode(cls, text: str) -> LockRecord:
        """A record another tool or a damaged write left is shown as is and never expires."""
        try:
            data = json.loads(text)
            return cls(
                who=str(data["who"]),
                host=str(data["host"]),
                pid=int(data["pid"]),
                command=str(data["command"]),
                taken=str(data["taken"]),
                expires=str(data["expires"]),
                blueprint=BlueprintIdentity(**data["blueprint"]),
            )
        except (ValueError, KeyError, TypeError):
            return cls(
                who=UNREADABLE + repr(text[:60]),
                host="?",
                pid=0,
                command="?",
                taken="?",
                expires="9999-12-31T23:59:59+00:00",
                blueprint=BlueprintIdentity(path="?", host="?"),
            )

    def expired(self, now: datetime.datetime) -> bool:
        try:
            return datetime.datetime.fromisoformat(self.expires) <= now
        except ValueError:
            return False

    def holder(self) -> str:
        """`arn:… (pid 42 on build-7), awsarch up since 2026-…`: enough to find the process; a
        record nobody can read says so, not `pid 0 on ?` nor `since ?`."""
        if self.who.startswith(UNREADABLE):
            raw = self.who.removeprefix(UNREADABLE)
            return f"holder unknown (the lock record cannot be read: {raw})"
        return (
            f"{self.who} (pid {self.pid} on {self.host}), `awsarch {self.command}`"
            f" since {self.taken}"
        )


def new_lock(
    *,
    who: str,
    host: str,
    pid: int,
    command: str,
    blueprint: BlueprintIdentity,
    now: datetime.datetime,
    ttl: datetime.timedelta = LOCK_TTL,
) -> LockRecord:
    return LockRecord(
        who=who,
        host=host,
        pid=pid,
        command=command,
        taken=now.isoformat(timespec="seconds"),
        expires=(now + ttl).isoformat(timespec="seconds"),
        blueprint=blueprint,
    )


def ownership(
    owner: BlueprintIdentity | None,
    this: BlueprintIdentity,
    *,
    has_resources: bool,
    adopt: bool,
) -> Ownership:
    """Whether this blueprint may act on the stack.

    `owned`: the record names this blueprint. `first`: no record, nothing live (a new stack).
    `adopt-older`: resources but no record (an older awsarch built it). `adopt`: another
    blueprint owns it and the user said --adopt. `refuse`: another blueprint owns it.
    """
    if owner is None:
        return "adopt-older" if has_resources else "first"
    if owner == this:
        return "owned"
    return "adopt" if adopt else "refuse"
