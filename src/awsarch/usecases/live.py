"""What is live, read once and seen two ways: as AWS has it, and under the blueprint's names.

Shared by `plan --live`, `up`, `down` and `audit`, so they all agree on what is owned, what
drifted and what remains.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from awsarch.adapters.aws.account import read_account, read_operators, with_account, with_operators
from awsarch.adapters.aws.discover import discover
from awsarch.adapters.aws.ingest import ingest, owned_ids
from awsarch.adapters.aws.session import AwsSession
from awsarch.adapters.aws.zones import account_zones
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import Loaded
from awsarch.deploy.diff import Change, diff, duplicates
from awsarch.deploy.normalize import logical_view
from awsarch.errors import InputError
from awsarch.model import Architecture
from awsarch.model.scope import within_vpc
from awsarch.record import record
from awsarch.usecases.verify import Verified, verify_architecture

STACK_VPC = "vpc/main"
"""The logical id of a stack's VPC (see blueprint/expand.py)."""


@record
class Observed:
    raw: dict[str, Any]
    model: Architecture
    """As AWS has it: AWS ids."""
    view: Architecture
    """The same, with every resource the stack owns under its logical id."""

    @property
    def owned(self) -> tuple[tuple[str, str], ...]:
        """(AWS id, logical id) of everything tagged with the stack, Elastic IPs included."""
        people = tuple(
            (aws, logical)
            for aws, logical in self.model.logical_ids
            if logical.startswith(("user/", "group/"))
        )
        return owned_ids(self.raw, self.model.stack) + people

    @property
    def empty(self) -> bool:
        """Nothing of the user's: no VPC but the region's default one, no instance, no database."""
        own_vpcs = [v for v in self.raw.get("ec2", {}).get("Vpcs", []) if not v.get("IsDefault")]
        return not own_vpcs and not self.model.instances and not self.model.databases


def observe(
    session: AwsSession,
    *,
    stack: str = "",
    vpc_id: str | None = None,
    account: bool = False,
    emulator: bool = False,
) -> Observed:
    """Read the target; the stack's IAM operators too, and with `account` the account's IAM
    hygiene facts and every instance's user data (reading those needs more than a deployer's
    rights: `audit` asks for them, `up` does not)."""
    raw = discover(session, vpc_id=vpc_id, include_user_data=account, stack=stack)
    model = ingest(raw, stack=stack)
    if stack:
        model = with_operators(model, read_operators(session, stack))
    if account:
        facts = read_account(session)
        if emulator:  # the emulator cannot give its root user MFA: its root facts mean nothing
            facts = dataclasses.replace(facts, root=None)
        model = with_account(model, facts)
    return Observed(raw=raw, model=model, view=logical_view(model))


def verify_in_account(loaded: Loaded, session: AwsSession) -> Verified:
    """The blueprint expanded in the account's own availability zones (read now), with its rules
    and intents run on that: what `up`, `plan --live` and `audit --blueprint` compare with."""
    return verify_architecture(loaded, expand_in(loaded, account_zones(session)))


def expand_in(loaded: Loaded, zones: tuple[str, ...]) -> Architecture:
    """The blueprint expanded in `zones` (the account's, sorted by name); a blueprint that asks
    for more zones than there are is an error at its `network.azs` line."""
    bp = loaded.blueprint
    if bp.network.azs > len(zones):
        raise loaded.document.error(
            ("network", "azs"),
            f"network.azs asks for {bp.network.azs} availability zones but this account has"
            f" {len(zones)} in {bp.region} ({', '.join(zones) or 'none'})"
            f" — set network.azs to {len(zones)} or fewer",
        )
    return expand(bp, zones)


def require_stack(observed: Observed, *, where: str, home: str) -> None:
    """A read of a blueprint's stack that finds none of it says so, naming the stack, where it
    looked and where the blueprint says the stack lives, rather than answering about whatever
    else is there as if it were the stack."""
    if observed.owned:
        return
    stack = observed.model.stack
    if where.endswith(f"({home})"):  # the blueprint's own region: only the endpoint can differ
        raise InputError(
            f"stack {stack} owns nothing in {where}, the region its blueprint names"
            " — run `awsarch up` to create it, or point --endpoint-url where it lives"
        )
    raise InputError(
        f"stack {stack} owns nothing in {where}; its blueprint puts it in {home}"
        " — run `awsarch up` to create it there, or point --region/--endpoint-url where it lives"
    )


def changes_for(desired: Architecture, observed: Observed) -> list[Change]:
    """Everything that turns what is live into what the blueprint says, duplicates removed."""
    return [*duplicates(observed.model), *diff(desired, observed.model)]


def audit(
    loaded: Loaded, observed: Observed, desired: Architecture
) -> tuple[Verified, list[Change]]:
    """The blueprint's rules and intents on what is live, and the drift from the blueprint.

    Live resources carry the blueprint's origins, so findings point at blueprint lines too.
    """
    view = observed.view
    if any(v.id == STACK_VPC for v in view.vpcs):  # the stack's own VPC, not the whole region
        view = within_vpc(view, STACK_VPC)
    view = dataclasses.replace(view, origins=desired.origins)
    drift = changes_for(desired, observed)
    return verify_architecture(loaded, view), drift
