"""Expansion of the blueprint's IAM: each server group's instance role, and the operators."""

from __future__ import annotations

import dataclasses

from awsarch.blueprint.spec import Blueprint, OperatorGroupSpec, ServerSpec
from awsarch.model import Architecture, Group, Policy, Role, Statement, User

SSM_CORE_POLICY = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"


def secret_reference(database: str) -> str:
    """The database's master secret, resolved to its ARN once RDS has created it."""
    return f"secret-of:db/{database}"


def instance_role(stack: str, server: ServerSpec) -> Role:
    """The role an instance assumes instead of holding keys: Session Manager, its database
    secrets, and any `allow` statements the blueprint adds."""
    policies = []
    if server.role.session_manager:
        policies.append(Policy(name="AmazonSSMManagedInstanceCore", arn=SSM_CORE_POLICY))
    if server.role.read_secrets:
        secrets = tuple(secret_reference(name) for name in server.role.read_secrets)
        policies.append(
            Policy(
                name="read-database-secrets",
                statements=(
                    Statement(
                        effect="Allow",
                        actions=("secretsmanager:GetSecretValue",),
                        resources=secrets,
                        sid="ReadDatabaseSecret",
                    ),
                ),
            )
        )
    if server.role.allow:
        policies.append(
            Policy(
                name="custom",
                statements=tuple(
                    Statement(effect="Allow", actions=s.actions, resources=s.resources)
                    for s in server.role.allow
                ),
            )
        )
    return Role(
        id=f"role/{server.name}",
        name=f"{stack}-{server.name}",
        trusted_service="ec2.amazonaws.com",
        policies=tuple(policies),
    )


def with_operators(bp: Blueprint, arch: Architecture) -> Architecture:
    """`operators:` as IAM groups (`group/<name>`) and users (`user/<name>`), named
    `<stack>-<name>`: users get no inline policy, no access key and no password."""
    ops = bp.operators
    if not ops.groups and not ops.users:
        return arch
    groups = tuple(_operator_group(bp, arch, g) for g in ops.groups)
    users = tuple(
        User(
            id=f"user/{u.name}",
            name=f"{bp.stack}-{u.name}",
            groups=tuple(f"group/{g}" for g in sorted(u.groups)),
        )
        for u in ops.users
    )
    origins = [(g.id, ("operators", "groups", g.id.split("/", 1)[1])) for g in groups]
    origins += [(u.id, ("operators", "users", u.id.split("/", 1)[1])) for u in users]
    return dataclasses.replace(arch, groups=groups, users=users, origins=(*arch.origins, *origins))


def _operator_group(bp: Blueprint, arch: Architecture, spec: OperatorGroupSpec) -> Group:
    # The deployer's policy knows every API call the engine makes: only operators need it.
    from awsarch.deploy.permissions import (
        deployer_policy,
        require_mfa_policy,
        split_policy,
        viewer_policy,
    )
    from awsarch.deploy.policy_json import to_model

    if spec.permissions == "deployer":
        document = deployer_policy(arch, operators=True)
    else:
        document = viewer_policy(bp.stack, bp.region)
    pieces = split_policy(document)
    names = (
        [spec.permissions]
        if len(pieces) == 1
        else [f"{spec.permissions}-{n}" for n in range(1, len(pieces) + 1)]
    )
    policies = [to_model(name, piece) for name, piece in zip(names, pieces, strict=True)]
    if spec.require_mfa:
        policies.append(to_model("require-mfa", require_mfa_policy()))
    return Group(
        id=f"group/{spec.name}",
        name=f"{bp.stack}-{spec.name}",
        policies=tuple(sorted(policies, key=lambda p: p.name)),
    )
