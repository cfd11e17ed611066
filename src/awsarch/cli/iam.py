"""`awsarch iam`: the IAM policies a blueprint needs, and the set-up that creates their users."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from awsarch.cli.options import BLUEPRINT_ARG, Group
from awsarch.cli.target import Target, make_target, target_options


@click.group("iam", cls=Group)
def group() -> None:
    """IAM policies for the people who run awsarch."""


def _architecture(blueprint: str) -> Any:
    from awsarch.blueprint.expand import expand
    from awsarch.blueprint.load import load_file

    return expand(load_file(blueprint).blueprint)


ENGINE = click.option(
    "--engine",
    type=click.Choice(["direct", "cloudformation"]),
    default="direct",
    show_default=True,
    help="cloudformation: also the change-set and stack calls of `--engine cloudformation`.",
)


def _deployer(architecture: Any, engine: str) -> dict[str, Any]:
    if engine == "cloudformation":
        from awsarch.deploy.permissions_cfn import cloudformation_deployer_policy

        return cloudformation_deployer_policy(architecture)
    from awsarch.deploy.permissions import deployer_policy

    return deployer_policy(architecture)


@group.command("deployer-policy")
@BLUEPRINT_ARG
@ENGINE
def deployer_policy_command(blueprint: str, engine: str) -> None:
    """Print, as JSON, the smallest IAM policy that lets a user run `up` and `down` for FILE."""
    from awsarch.deploy.permissions import MANAGED_POLICY_LIMIT, policy_size

    policy = _deployer(_architecture(blueprint), engine)
    click.echo(json.dumps(policy, indent=2))
    if policy_size(policy) > MANAGED_POLICY_LIMIT:
        click.echo(
            f"note: {policy_size(policy):,} characters, over the {MANAGED_POLICY_LIMIT:,} of one"
            " managed policy: `awsarch iam bootstrap` splits it into several",
            err=True,
        )


@group.command("viewer-policy")
@BLUEPRINT_ARG
def viewer_policy_command(blueprint: str) -> None:
    """Print, as JSON, the read-only IAM policy that lets a user run `audit` and `reach --live`."""
    from awsarch.deploy.permissions import viewer_policy

    architecture = _architecture(blueprint)
    click.echo(json.dumps(viewer_policy(architecture.stack, architecture.region), indent=2))


@group.command("bootstrap")
@BLUEPRINT_ARG
@click.option("--viewer", is_flag=True, help="Set up a viewer (audit, reach --live) instead.")
@click.option("--user", default=None, help="The IAM user (default awsarch-<stack>-deployer).")
@click.option(
    "--credentials-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Create an access key and write it to this AWS credentials file (mode 0600) as a"
    " profile named after the user. Without it, no access key is made.",
)
@ENGINE
@target_options
def bootstrap_command(
    blueprint: str,
    viewer: bool,
    engine: str,
    user: str | None,
    credentials_file: Path | None,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """With an administrator's credentials: create the IAM group holding FILE's deployer (or
    viewer) policy as managed policies, and a user in it. Run awsarch as that user afterwards."""
    from awsarch.adapters.aws.bootstrap import bootstrap
    from awsarch.deploy.permissions import MANAGED_POLICY_LIMIT, split_policy, viewer_policy

    architecture = _architecture(blueprint)
    kind = "viewer" if viewer else "deployer"
    document = (
        viewer_policy(architecture.stack, architecture.region)
        if viewer
        else _deployer(architecture, engine)
    )
    target: Target = make_target(endpoint_url, region, profile)
    session = target.session_in(architecture.region)
    done = bootstrap(
        session,
        stack=architecture.stack,
        kind=kind,
        documents=split_policy(document),
        user=user or f"awsarch-{architecture.stack}-{kind}",
        credentials_file=credentials_file,
    )
    click.echo(f"group {done.group} ({target.describe(session)}):")
    for arn, size in done.policies:
        click.echo(f"  managed policy {arn}: {size:,} of {MANAGED_POLICY_LIMIT:,} characters")
    click.echo(f"user {done.user} in {done.group}")
    if done.profile:
        click.echo(
            f"access key written to {credentials_file} as profile {done.profile}"
            " (AWS may take a few seconds to accept a new key everywhere)"
        )
    else:
        click.echo("no access key made (add --credentials-file to make one)")
