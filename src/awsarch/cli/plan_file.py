"""A saved plan (`plan -o FILE`, `up FILE`): what to do, and what was live when it was made.

The plan is a pure function of the blueprint and of what discovery observed. The file keeps the
blueprint's text and a fingerprint of the observation; `up FILE` reads the account again and
applies only if the fingerprint is the same, so it applies exactly the plan that was reviewed
(as Terraform refuses a stale saved plan,
https://developer.hashicorp.com/terraform/cli/commands/apply#saved-plan-mode).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from awsarch.errors import InputError
from awsarch.record import record

if TYPE_CHECKING:
    from awsarch.adapters.aws.session import AwsSession
    from awsarch.deploy.plan import Plan
    from awsarch.usecases.live import Observed

FORMAT = "awsarch-plan/1"


@record
class SavedPlan:
    blueprint_path: str
    blueprint_text: str
    stack: str
    region: str
    account: str
    """The AWS account the plan was made in (STS GetCallerIdentity): applied nowhere else."""
    timestamp: str
    """Names the final snapshots, the same at apply time as in the reviewed plan."""
    fingerprint: str
    actions: tuple[str, ...]
    """The action keys, in order: what `up FILE` checks it is about to apply."""


def fingerprint(observed: Observed) -> str:
    """sha256 of everything discovery observed, as the model holds it (AWS ids included)."""
    data = dataclasses.asdict(observed.model)
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def save(path: str, saved: SavedPlan, plan: Plan) -> None:
    """Write the plan file (the actions in full too, for people and programs to review)."""
    from awsarch.cli.stream import plan_data

    document = {"format": FORMAT, **dataclasses.asdict(saved), "plan": plan_data(plan)}
    Path(path).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def saved_plan(path: str) -> SavedPlan | None:
    """The plan saved at path, or None when path is not one (a blueprint is YAML, never this).

    Read once, through the bounded reader: a FIFO, a directory or a huge file is one error line,
    never a hang. A file that says it is a plan but is damaged is one error line too.
    """
    from awsarch.blueprint.reader import read_file

    text = read_file(path, fix="name a blueprint or a plan saved by `awsarch plan -o`")
    if not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not (isinstance(data, dict) and data.get("format") == FORMAT):
        return None
    try:
        return SavedPlan(
            blueprint_path=str(data["blueprint_path"]),
            blueprint_text=str(data["blueprint_text"]),
            stack=str(data["stack"]),
            region=str(data["region"]),
            account=str(data["account"]),
            timestamp=str(data["timestamp"]),
            fingerprint=str(data["fingerprint"]),
            actions=tuple(str(a) for a in data["actions"]),
        )
    except (KeyError, TypeError) as exc:
        raise InputError(
            f"not a complete awsarch plan (missing {exc}) — make it again with `awsarch plan -o`",
            file=path,
        ) from exc


def account_of(session: AwsSession) -> str:
    """The account the session acts in."""
    return str(session.call("sts", "get_caller_identity").get("Account", ""))


def refuse_elsewhere(saved: SavedPlan, session: AwsSession, path: str) -> None:
    """A plan is for the account and region it was made in, and only those."""
    here = (account_of(session), session.region)
    if here != (saved.account, saved.region):
        raise InputError(
            f"the saved plan was made for account {saved.account} in {saved.region}, not"
            f" {here[0]} in {here[1]} — nothing was changed; plan again against this target",
            file=path,
        )


def refuse_stale(saved: SavedPlan, observed: Observed, path: str) -> None:
    """One line, nothing changed, when the account is no longer what the plan saw."""
    if fingerprint(observed) != saved.fingerprint:
        raise InputError(
            f"the saved plan is stale: what is live in stack {saved.stack} changed since the plan"
            " was made — nothing was changed; run `awsarch plan -o FILE` again and review it",
            file=path,
        )


def refuse_different(saved: SavedPlan, plan: Plan, path: str) -> None:
    """The same blueprint on the same observation plans the same actions: if not, refuse."""
    if tuple(a.key for a in plan.actions) != saved.actions:
        raise InputError(
            "this awsarch plans differently from the one that saved the plan — nothing was"
            " changed; run `awsarch plan -o FILE` again",
            file=path,
        )
