"""`awsarch iam`: the IAM policies a blueprint needs, printed for people to review and attach."""

from __future__ import annotations

import json

import click

from awsarch.cli.options import BLUEPRINT_ARG


@click.group("iam")
def group() -> None:
    """IAM policies for the people who run awsarch."""


@group.command("deployer-policy")
@BLUEPRINT_ARG
def deployer_policy_command(blueprint: str) -> None:
    """Print, as JSON, the smallest IAM policy that lets a user run `up` and `down` for FILE."""
    from awsarch.blueprint.expand import expand
    from awsarch.blueprint.load import load_file
    from awsarch.deploy.permissions import deployer_policy

    architecture = expand(load_file(blueprint).blueprint)
    click.echo(json.dumps(deployer_policy(architecture), indent=2))
