"""The stack lock and the owner record, as SSM parameters in the target account and region.

The lock is taken by PutParameter with `Overwrite=False`: SSM creates the parameter only if it is
absent and answers `ParameterAlreadyExists` otherwise, atomically, so of two runs exactly one gets
it (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html).
SSM has no conditional delete: releasing reads the value and deletes it only if it is still ours,
which leaves a window of one round trip in which a takeover by a third run could be lost.
"""

from __future__ import annotations

import datetime
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from awsarch.adapters.aws.errors import AwsError, error_code
from awsarch.adapters.aws.resources.context import STACK_TAG
from awsarch.adapters.aws.session import AwsSession
from awsarch.deploy.lock_record import (
    BlueprintIdentity,
    LockRecord,
    lock_name,
    new_lock,
    owner_name,
)
from awsarch.errors import ToolError


class LockHeldError(ToolError):
    """Another run holds the stack's lock: nothing was changed."""


def this_host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """Whether a process of this host still runs (signal 0 only checks that it exists)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    except (OverflowError, ValueError):
        return False
    return pid > 0


def my_lock(session: AwsSession, *, command: str, blueprint: BlueprintIdentity) -> LockRecord:
    """A lock record naming this caller (sts:GetCallerIdentity), host and process."""
    who = str(session.call("sts", "get_caller_identity").get("Arn", "?"))
    return new_lock(
        who=who,
        host=this_host(),
        pid=os.getpid(),
        command=command,
        blueprint=blueprint,
        now=datetime.datetime.now(datetime.UTC),
    )


def read(session: AwsSession, name: str) -> str | None:
    """A parameter's value, or None when it does not exist."""
    try:
        found = session.call("ssm", "get_parameter", Name=name)
    except AwsError as exc:
        if error_code(exc) == "ParameterNotFound":
            return None
        raise
    return str(found["Parameter"]["Value"])


def create(session: AwsSession, name: str, value: str, *, stack: str) -> bool:
    """Create the parameter if it is absent (the atomic step); False when it exists."""
    try:
        session.call(
            "ssm",
            "put_parameter",
            Name=name,
            Value=value,
            Type="String",
            Overwrite=False,
            Tags=[{"Key": STACK_TAG, "Value": stack}],
        )
    except AwsError as exc:
        if error_code(exc) == "ParameterAlreadyExists":
            return False
        raise
    return True


def delete_if(session: AwsSession, name: str, value: str) -> bool:
    """Delete the parameter only if it still holds `value`; False when it does not."""
    if read(session, name) != value:
        return False
    try:
        session.call("ssm", "delete_parameter", Name=name)
    except AwsError as exc:
        if error_code(exc) == "ParameterNotFound":
            return False
        raise
    return True


def abandoned(held: LockRecord, now: datetime.datetime, alive: Callable[[int], bool]) -> str:
    """Why a lock may be taken over ("" when its holder may still be at work)."""
    if held.expired(now):
        return f"it expired at {held.expires}"
    if held.host == this_host() and not alive(held.pid):
        return f"process {held.pid} on this host is gone"
    return ""


def acquire(
    session: AwsSession,
    stack: str,
    mine: LockRecord,
    *,
    say: Callable[[str], None],
    alive: Callable[[int], bool] = pid_alive,
) -> None:
    """Take the stack's lock, taking over an abandoned one (said aloud); else LockHeldError."""
    name = lock_name(stack)
    for _ in range(3):
        if create(session, name, mine.encode(), stack=stack):
            return
        current = read(session, name)
        if current is None:
            continue  # released between our two calls: try again
        held = LockRecord.decode(current)
        reason = abandoned(held, datetime.datetime.now(datetime.UTC), alive)
        if not reason:
            raise LockHeldError(
                f"stack {stack} is locked by {held.holder()} — nothing was changed; wait for it,"
                " or if that run died, `awsarch unlock` the blueprint"
            )
        if delete_if(session, name, current):
            say(f"taking over the lock of stack {stack} from {held.holder()}: {reason}")
    raise LockHeldError(f"stack {stack}: could not take its lock after 3 tries — try again")


def release(
    session: AwsSession, stack: str, mine: LockRecord, *, say: Callable[[str], None]
) -> None:
    """Give the lock back, unless someone took it over meanwhile (then it is theirs)."""
    if not delete_if(session, lock_name(stack), mine.encode()):
        say(f"the lock of stack {stack} is no longer ours: left in place")


@contextmanager
def held(
    session: AwsSession, stack: str, mine: LockRecord, *, say: Callable[[str], None]
) -> Iterator[None]:
    """The lock for the block's duration, released on every way out (errors, Ctrl-C)."""
    acquire(session, stack, mine, say=say)
    try:
        yield
    finally:
        try:
            release(session, stack, mine, say=say)
        except AwsError as exc:  # never hide the run's own outcome behind this one
            say(f"could not give the lock of stack {stack} back ({exc}): `awsarch unlock` it")


def read_owner(session: AwsSession, stack: str) -> BlueprintIdentity | None:
    value = read(session, owner_name(stack))
    return None if value is None else BlueprintIdentity.decode(value)


def write_owner(session: AwsSession, stack: str, owner: BlueprintIdentity) -> None:
    """Record (or, adopting, rewrite) the blueprint that owns the stack. Called under the lock."""
    name = owner_name(stack)
    if not create(session, name, owner.encode(), stack=stack):
        # Tags and Overwrite cannot go together (PutParameter): the tag is already there.
        session.call(
            "ssm", "put_parameter", Name=name, Value=owner.encode(), Type="String", Overwrite=True
        )


def delete_owner(session: AwsSession, stack: str) -> None:
    try:
        session.call("ssm", "delete_parameter", Name=owner_name(stack))
    except AwsError as exc:
        if error_code(exc) != "ParameterNotFound":
            raise
