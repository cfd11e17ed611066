"""`up`, `down` and `plan` with `--engine cloudformation`: the blueprint synthesized, deployed
through a change set, and proved on what is live as the direct engine proves it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from awsarch.cli.stack import blueprint_identity, confirm, refuse_failed, session_for, stack_locked
from awsarch.cli.target import Target
from awsarch.errors import FindingsError, InputError, ToolError
from awsarch.render.words import plural
from awsarch.usecases.pace import AWS_WAITER_DELAY, EMULATOR_WAITER_DELAY, timestamp

if TYPE_CHECKING:
    from awsarch.adapters.aws.session import AwsSession
    from awsarch.usecases.verify import Verified

ENGINE_OPTION = click.option(
    "--engine",
    type=click.Choice(["direct", "cloudformation"]),
    default="direct",
    show_default=True,
    help="direct: awsarch calls the APIs; cloudformation: a change set of the synthesized"
    " template.",
)


def _delay(target: Target) -> float:
    return EMULATOR_WAITER_DELAY if target.is_emulator else AWS_WAITER_DELAY


def _template(verified: Verified) -> tuple[str, dict[str, str]]:
    """The template of the blueprint expanded in the account's zones, and the parameters that pin
    those zones (the AMI parameter keeps its default: the public SSM parameter)."""
    from awsarch.cfn.resources_network import ZONES_PARAMETER
    from awsarch.cfn.synth import dump, synthesize

    arch = verified.architecture
    template = synthesize(arch, verified.loaded.blueprint.intents)
    parameters = {}
    if ZONES_PARAMETER in template.get("Parameters", {}):
        parameters[ZONES_PARAMETER] = ",".join(sorted({s.az for s in arch.subnets}))
    return dump(template), parameters


def _prepare(blueprint: str, target: Target) -> tuple[Verified, AwsSession]:
    from awsarch.usecases.live import verify_in_account
    from awsarch.usecases.verify import verify_file

    verified = verify_file(blueprint)
    refuse_failed(verified, blueprint)
    bp = verified.loaded.blueprint
    session = session_for(target, bp.region)
    click.echo(f"stack {bp.stack} (CloudFormation) → {target.describe(session)}")
    return verify_in_account(verified.loaded, session), session


@contextmanager
def _locked(session: AwsSession, blueprint: str, stack: str, command: str) -> Iterator[None]:
    """The direct engine's stack lock, so one run acts at a time whichever its engine; a stack
    the direct engine owns (its owner record) is refused before anything is changed."""
    from awsarch.adapters.aws.lock import read_owner

    with stack_locked(session, stack, command=command, blueprint=blueprint_identity(blueprint)):
        owner = read_owner(session, stack)
        if owner is not None:
            raise InputError(
                f"stack {stack} was deployed by the direct engine (blueprint"
                f" {owner.describe()}) — nothing was changed; use `awsarch {command.split()[0]}"
                " --engine direct`"
            )
        yield


def _change_set(verified: Verified, session: AwsSession, target: Target) -> tuple[str, Any]:
    from awsarch.cfn import stacks
    from awsarch.cfn.changes import change_lines, data_warnings, totals_line

    stack = verified.loaded.blueprint.stack
    body, parameters = _template(verified)
    name = f"awsarch-{timestamp()}"
    description = stacks.change_set(
        session, stack, body, parameters, name=name, delay=_delay(target)
    )
    if description is None:
        click.echo("no changes: the stack already matches the synthesized template")
        return name, None
    click.echo(f"change set {name} ({plural(len(description['Changes']), 'change')}):")
    for line in [*change_lines(description), totals_line(description), *data_warnings(description)]:
        click.echo(line)
    return name, description


def plan(blueprint: str, target: Target) -> None:
    """The change set `up --engine cloudformation` would execute; deleted again."""
    from awsarch.cfn import stacks

    verified, session = _prepare(blueprint, target)
    stack = verified.loaded.blueprint.stack
    with _locked(session, blueprint, stack, "plan --engine cloudformation"):
        name, description = _change_set(verified, session, target)
        if description is not None:
            stacks.delete_change_set(session, stack, name)


def up(blueprint: str, target: Target, *, yes: bool) -> None:
    """Change set, question, execution with its events, termination protection, outputs, proof."""
    from awsarch.cfn import stacks
    from awsarch.cli.audit import report_live

    verified, session = _prepare(blueprint, target)
    stack = verified.loaded.blueprint.stack
    with _locked(session, blueprint, stack, "up --engine cloudformation"):
        name, description = _change_set(verified, session, target)
        if description is not None:
            try:
                confirm(f"execute these {plural(len(description['Changes']), 'change')}?", yes=yes)
            except BaseException:
                stacks.delete_change_set(session, stack, name)
                raise
            _execute(session, stack, name, target)
        stacks.protect(session, stack, True)
        click.echo(f"termination protection on for stack {stack}")
    _outputs(session, stack)
    click.echo("proving the blueprint again, on what is live:")
    if not report_live(verified, session):
        raise FindingsError()


def _execute(session: AwsSession, stack: str, name: str, target: Target) -> None:
    from awsarch.cfn import stacks
    from awsarch.cfn.changes import event_line, failed_events, rolled_back

    ended = stacks.execute(
        session, stack, name, on_event=lambda e: click.echo(event_line(e)), delay=_delay(target)
    )
    status = ended["StackStatus"]
    if rolled_back(status):
        click.echo("what failed:", err=True)
        for event in failed_events(stacks.events(session, stack)):
            click.echo(event_line(event), err=True)
        raise ToolError(f"stack {stack} ended {status} — fix what failed (above) and run again")
    click.echo(f"stack {stack}: {status}")


def _outputs(session: AwsSession, stack: str) -> None:
    from awsarch.cfn import stacks

    live = stacks.live_stack(session, stack) or {}
    for output in live.get("Outputs", []):
        click.echo(f"  {output['OutputKey']} = {output['OutputValue']}")


def down(blueprint: str, target: Target, *, yes: bool) -> None:
    """Termination protection off only after the question, then DeleteStack and its waiter."""
    from awsarch.blueprint.load import load_file

    bp = load_file(blueprint).blueprint
    session = session_for(target, bp.region)
    click.echo(f"stack {bp.stack} (CloudFormation) → {target.describe(session)}")
    with _locked(session, blueprint, bp.stack, "down --engine cloudformation"):
        owned = _delete(session, bp.stack, target, yes=yes)
    if owned is None:
        return
    databases = [r for r in owned if r["ResourceType"] == "AWS::RDS::DBInstance"]
    click.echo(f"deleted stack {bp.stack} and its {plural(len(owned), 'resource')}")
    for db in databases:
        click.echo(
            f"final snapshot of {db['LogicalResourceId']}: made by CloudFormation"
            " (DeletionPolicy: Snapshot); list it with `aws rds describe-db-snapshots"
            f" --db-instance-identifier {db.get('PhysicalResourceId', '')}`"
        )


def _delete(
    session: AwsSession, stack: str, target: Target, *, yes: bool
) -> list[dict[str, Any]] | None:
    """The stack's resources listed, the question, the resources' deletion protection and the
    stack's termination protection off, DeleteStack; what was deleted (None: no stack)."""
    from awsarch.cfn import stacks

    if stacks.live_stack(session, stack) is None:
        click.echo(f"nothing to delete: no CloudFormation stack {stack} here")
        return None
    owned = stacks.resources(session, stack)
    for resource in owned:
        click.echo(f"  - {resource['LogicalResourceId']} ({resource['ResourceType']})")
    databases = [r for r in owned if r["ResourceType"] == "AWS::RDS::DBInstance"]
    from awsarch.cli.down import ask_to_delete

    ask_to_delete(stack, len(owned), bool(databases), yes=yes, database_count=len(databases))
    from awsarch.cfn.unprotect import lift_deletion_protection

    for lifted in lift_deletion_protection(session, owned):
        click.echo(f"deletion protection off for {lifted} (down only)")
    stacks.protect(session, stack, False)
    stacks.delete(session, stack, delay=_delay(target))
    return owned
