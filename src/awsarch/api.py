"""The functions `import awsarch` offers: what the verbs do, for programs, without click.

Each is thin and typed: the logic stays in the module that owns it (`verify`, `proofs`, `live`,
`blueprint`, `deploy`, `aws.apply`); here it is given the shape a library user expects (a path
or an architecture in, data out, an `AwsarchError` on failure). Every import is inside its
function, so loading this module costs nothing and `check` never loads boto3.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awsarch.adapters.aws.apply import ApplyResult, Event
    from awsarch.adapters.aws.session import AwsSession
    from awsarch.analysis.verdict import Verdict
    from awsarch.blueprint.load import Loaded
    from awsarch.blueprint.spec import Blueprint
    from awsarch.deploy.diff import Change
    from awsarch.deploy.plan import Plan
    from awsarch.model import Architecture
    from awsarch.usecases.live import Observed
    from awsarch.usecases.proofs import IntentProof
    from awsarch.usecases.verify import Verified

PathLike = str | os.PathLike[str]


def load(path: PathLike) -> Loaded:
    """The blueprint at `path`, read and validated; `.blueprint` is the typed blueprint,
    `.document` maps any part of it to FILE:LINE:COL. Raises InputError, located."""
    from awsarch.blueprint.load import load_file

    return load_file(os.fspath(path))


def expand(blueprint: Loaded | Blueprint, zones: Sequence[str] | None = None) -> Architecture:
    """The architecture a blueprint describes (the desired one), every resource of it.

    `zones` are the availability zone names to spread over (an account's own, from
    `account_zones(session)`); by default the region's first zones by name. A loaded blueprint
    that asks for more zones than `zones` holds is an InputError at its `network.azs` line.
    """
    from awsarch.blueprint.expand import expand as expand_blueprint
    from awsarch.blueprint.load import Loaded

    if isinstance(blueprint, Loaded):
        if zones is not None:
            from awsarch.usecases.live import expand_in

            return expand_in(blueprint, tuple(zones))
        blueprint = blueprint.blueprint
    return expand_blueprint(blueprint, None if zones is None else tuple(zones))


def check(
    path: PathLike,
    *,
    parameters: Mapping[str, str] | None = None,
    intents: PathLike | None = None,
) -> Verified:
    """What `awsarch check PATH` finds: every rule run and every intent proved on a blueprint
    (or a CloudFormation template, with its `parameters` and an `intents` file).

    `.findings` (errors first; `.failed` when any is an error), `.proofs`, `.architecture`, and
    `.locate(finding.path)` for FILE:LINE:COL. A problem in the architecture is a finding, never
    an exception; a problem in the file is an InputError.
    """
    from awsarch.cfn.verify import verify_path

    pairs = tuple(f"{key}={value}" for key, value in (parameters or {}).items())
    return verify_path(os.fspath(path), pairs, None if intents is None else os.fspath(intents))


def reach(
    architecture: Architecture,
    source: str,
    destination: str,
    *,
    port: int | None = None,
    protocol: str | None = None,
) -> Verdict:
    """Whether traffic from `source` to `destination` (endpoint names: `internet`, `web`,
    `main`, a tier, an id) gets through, hop by hop, in every placement.

    `port` asks about one port (tcp unless `protocol` says; for icmp it is the type); without
    it, which protocols and ports get through. `.verdict` is reachable, unreachable, partial or
    unknown; `.paths` hold each placement's hops. Raises UnknownEndpointError for a name that
    matches nothing.
    """
    from awsarch.analysis.reach import reach as reach_endpoints
    from awsarch.analysis.sets import ASKED_PROTOCOLS, services_asked
    from awsarch.errors import InputError

    if protocol is not None and protocol not in ASKED_PROTOCOLS:
        raise InputError(f"unknown protocol {protocol!r} — use one of {', '.join(ASKED_PROTOCOLS)}")
    if port is not None and (type(port) is not int or not 0 <= port <= 65535):
        raise InputError(f"port {port!r} is not a port — give a whole number from 0 to 65535")
    services = services_asked(protocol, port)
    return reach_endpoints(architecture, source, destination, services)


def prove(architecture: Architecture, intents: str | Sequence[str]) -> tuple[IntentProof, ...]:
    """Each intent (`web -> main:3306`, `internet -/-> main`, `web cannot iam:*`) proved on the
    architecture: `.holds`, a one-line `.summary`, and the `.evidence` when it does not hold.
    Raises BadIntent (an InputError, `.index` says which) for one that cannot be read."""
    from awsarch.usecases.proofs import prove_all

    texts = [intents] if isinstance(intents, str) else list(intents)
    return tuple(prove_all(architecture, texts))


def account_zones(session: AwsSession) -> tuple[str, ...]:
    """The availability zones of the session's account and region, by name: what to `expand`
    a blueprint in before comparing it with what is live (zone names differ by account)."""
    from awsarch.adapters.aws.zones import account_zones as zones

    return zones(session)


def observe(target: AwsSession | str, stack: str = "", *, region: str | None = None) -> Observed:
    """What is live at `target` (a session, or an endpoint URL such as the emulator's, with
    `region` or the standard configuration's): `.model` as AWS has it, `.view` with the
    `stack`'s resources under their blueprint names, `.owned` what the stack owns."""
    from awsarch.adapters.aws.session import AwsSession
    from awsarch.usecases.live import observe as observe_target

    session = (
        target if isinstance(target, AwsSession) else AwsSession(endpoint_url=target, region=region)
    )
    return observe_target(session, stack=stack)


def diff(desired: Architecture, observed: Observed | Architecture) -> list[Change]:
    """What turns the observed architecture into the desired one: each change names the
    resource, create, update, replace or delete, and the fields that differ. From an
    `Observed`, a stack's duplicates (a resource tagged twice) are deleted too."""
    from awsarch.usecases.live import Observed, changes_for

    if isinstance(observed, Observed):
        return changes_for(desired, observed)
    from awsarch.deploy.diff import diff as diff_models

    return diff_models(desired, observed)


def plan(changes: Iterable[Change], *, stack: str, timestamp: str | None = None) -> Plan:
    """The changes as ordered actions, each after what it depends on; `.totals()` counts
    resources by what happens to them, `.destroys_data()` lists what loses data. `timestamp`
    names final snapshots (default: now, as `up` names them). Raises PlanRefused for a change
    AWS cannot make."""
    from awsarch.deploy.plan import make_plan
    from awsarch.usecases.pace import timestamp as now  # `up`'s snapshot names, one source

    return make_plan(changes, stack=stack, timestamp=timestamp or now())


def apply(
    plan: Plan,
    session: AwsSession,
    *,
    stack: str,
    observed: Observed | None = None,
    parallel: int = 8,
    on_event: Callable[[Event], None] | None = None,
) -> ApplyResult:
    """Run the plan's actions against the session's target, `parallel` at a time along the
    dependency graph, waiting for what AWS makes asynchronously.

    `observed` (what the plan was made from) tells updates and deletions which AWS ids to act
    on. Raises ApplyError after the first failure (the running actions finish); applying again
    resumes. Unlike `awsarch up` this takes no stack lock and never turns a database's deletion
    protection off: run it where no other run changes the stack.
    """
    from awsarch.adapters.aws.apply import apply_plan
    from awsarch.usecases.pace import apply_context, is_emulator

    context = apply_context(
        session, stack=stack, observed=observed, emulator=is_emulator(session.endpoint_url)
    )
    return apply_plan(plan, context, on_event=on_event or _ignore, max_workers=parallel)


def _ignore(event: Event) -> None:
    """No progress display: a library prints nothing."""
