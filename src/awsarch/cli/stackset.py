"""`awsarch stackset`: the synthesized template to many accounts and regions (service-managed)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

import click

from awsarch.cli.options import BLUEPRINT_ARG, Group
from awsarch.cli.target import make_target, target_options
from awsarch.errors import InputError, ToolError

FINAL = ("SUCCEEDED", "FAILED", "STOPPED")
F = TypeVar("F", bound=Callable[..., Any])


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _where(action: str) -> Callable[[F], F]:
    """The targets and pace of a StackSet operation (its OperationPreferences:
    https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html)."""

    def decorate(function: F) -> F:
        return cast(F, _options(function, action))

    return decorate


def _options(function: Any, action: str) -> Any:
    for option in (
        click.option(
            "--failure-tolerance",
            type=click.IntRange(0),
            default=0,
            show_default=True,
            help="How many accounts per region may fail before the region's operation stops.",
        ),
        click.option(
            "--max-concurrent",
            type=click.IntRange(1),
            default=1,
            show_default=True,
            help="In how many accounts at a time the operation runs.",
        ),
        click.option("--regions", required=True, help=f"r1,r2: the regions to {action}."),
        click.option("--ou", "ous", default="", help="ou-…,ou-…: organizational units."),
        click.option("--accounts", default="", help="A,B: only these accounts of the OUs."),
    ):
        function = option(function)
    return function


@click.group("stackset", cls=Group)
def group() -> None:
    """Deploy the blueprint's template to many accounts and regions with a StackSet."""


def _context(blueprint: str, target_args: tuple[Any, ...]) -> tuple[Any, Any, tuple[str, ...]]:
    """The blueprint's model, a session in its region, and its intents (carried in the
    template's Metadata, so each stack's template proves itself)."""
    from awsarch.blueprint.expand import expand
    from awsarch.blueprint.load import load_file

    loaded = load_file(blueprint).blueprint
    arch = expand(loaded)
    session = make_target(*target_args).session_in(arch.region)
    return arch, session, loaded.intents


def _parameters(template: dict[str, Any], target_args: tuple[Any, ...]) -> dict[str, str]:
    """On the emulator, which runs no functions, the default group is left as AWS made it
    (the function that empties it could never answer); on AWS the template's default holds."""
    from awsarch.cfn.resources_default_group import PARAMETER

    if PARAMETER in template.get("Parameters", {}) and make_target(*target_args).is_emulator:
        click.echo(
            f"the emulator runs no functions: {PARAMETER}=false"
            " (the default group keeps AWS's rules)"
        )
        return {PARAMETER: "false"}
    return {}


def _check_targets(accounts: list[str], ous: list[str]) -> None:
    if not ous:
        raise InputError(
            "a service-managed StackSet deploys to organizational units: pass --ou ou-…"
            " (with --accounts to choose accounts within them)"
        )


@group.command("deploy")
@BLUEPRINT_ARG
@_where("deploy in")
@click.option("--auto-deploy", is_flag=True, help="Deploy to accounts that join the OUs later.")
@target_options
def deploy_command(
    blueprint: str,
    accounts: str,
    ous: str,
    regions: str,
    max_concurrent: int,
    failure_tolerance: int,
    auto_deploy: bool,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Create or update the StackSet of FILE's template and its stack instances."""
    from awsarch.cfn import stacksets
    from awsarch.cfn.synth import dump, synthesize

    _check_targets(_split(accounts), _split(ous))
    arch, session, intents = _context(blueprint, (endpoint_url, region, profile))
    template = synthesize(arch, intents)
    named = stacksets.named_iam(template)
    if len(_split(regions)) > 1 and named:
        raise InputError(
            f"the template names IAM resources ({', '.join(named[:3])}…) and IAM names are"
            " global to an account, so one account cannot take several regions — deploy one"
            " region per StackSet, from blueprints whose `stack:` differs"
        )
    parameters = _parameters(template, (endpoint_url, region, profile))
    done = stacksets.put(session, arch.stack, dump(template), parameters, auto_deploy)
    click.echo(f"StackSet {arch.stack} {done} (SERVICE_MANAGED, auto-deployment {auto_deploy})")
    target = stacksets.targets(_split(accounts), _split(ous))
    prefs = stacksets.preferences(max_concurrent, failure_tolerance)
    operation = stacksets.create_instances(session, arch.stack, target, _split(regions), prefs)
    _finish(session, arch.stack, operation)


@group.command("delete")
@BLUEPRINT_ARG
@_where("delete its stack instances from")
@click.option("--yes", is_flag=True, help="Delete without asking (the databases too).")
@target_options
def delete_command(
    blueprint: str,
    yes: bool,
    accounts: str,
    ous: str,
    regions: str,
    max_concurrent: int,
    failure_tolerance: int,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Delete the stack instances (their stacks too; each database leaves its final snapshot),
    then the StackSet, after the question `down` asks. Deletion protection is lifted first, by
    the template's parameter."""
    from awsarch.cfn import stacksets
    from awsarch.cfn.builder import PROTECTION
    from awsarch.cfn.synth import synthesize
    from awsarch.cli.down import ask_to_delete

    _check_targets(_split(accounts), _split(ous))
    arch, session, _ = _context(blueprint, (endpoint_url, region, profile))
    chosen, only = set(_split(regions)), set(_split(accounts))
    doomed = [
        i
        for i in stacksets.instances(session, arch.stack)
        if i["Region"] in chosen and (not only or i["Account"] in only)
    ]
    for instance in doomed:
        click.echo(f"  - {instance['Account']} {instance['Region']}")
    ask_to_delete(
        arch.stack,
        len(doomed),
        bool(arch.databases),
        yes=yes,
        what="stack instances",
        database_count=len(arch.databases) * len(doomed),
    )
    target = stacksets.targets(_split(accounts), _split(ous))
    prefs = stacksets.preferences(max_concurrent, failure_tolerance)
    if PROTECTION in synthesize(arch).get("Parameters", {}):
        click.echo(f"deletion protection off in every stack instance ({PROTECTION}=false)")
        lifted = stacksets.lift_protection(session, arch.stack, target, _split(regions), prefs)
        _finish(session, arch.stack, lifted)
    operation = stacksets.delete_instances(session, arch.stack, target, _split(regions), prefs)
    _finish(session, arch.stack, operation)
    stacksets.delete(session, arch.stack)
    click.echo(f"StackSet {arch.stack} deleted")


def _finish(session: Any, name: str, operation: str, sleep: Any = time.sleep) -> None:
    """Wait for the operation, then report every stack instance; a ToolError (exit 1) unless
    it succeeded."""
    from awsarch.cfn import stacksets

    status = stacksets.operation_status(session, name, operation)
    while status not in FINAL:
        sleep(5.0)
        status = stacksets.operation_status(session, name, operation)
    click.echo(f"operation {operation}: {status}")
    for instance in stacksets.instances(session, name):
        reason = instance.get("StatusReason") or ""
        click.echo(
            f"  {instance['Account']} {instance['Region']} {instance.get('Status')}"
            + (f": {reason}" if reason else "")
        )
    if status != "SUCCEEDED":
        raise ToolError(
            f"StackSet {name}: operation {operation} ended {status} — the stack instances above"
            " say why"
        )
