"""IAM: policies, the instance role and its profile, people as users in groups."""

from __future__ import annotations

from typing import Literal

from awsarch.record import record

Effect = Literal["Allow", "Deny"]


@record
class Condition:
    """One `Condition` test: an operator (`BoolIfExists`), a key and its values."""

    operator: str
    key: str
    values: tuple[str, ...]


@record
class Statement:
    """One statement of a policy: its effect, actions, resources and conditions."""

    effect: Effect
    actions: tuple[str, ...]
    resources: tuple[str, ...] = ("*",)
    sid: str = ""
    not_action: bool = False
    """True: `actions` is a NotAction list (the statement applies to every other action)."""
    conditions: tuple[Condition, ...] = ()


@record
class Policy:
    """A named policy: inline, or managed when `arn` is set."""

    name: str
    statements: tuple[Statement, ...] = ()
    arn: str = ""
    """Set for a managed policy (`arn:aws:iam::aws:policy/…`); its statements may be unknown."""


@record
class Role:
    """An IAM role and the policies that give it permissions."""

    id: str
    name: str
    trusted_service: str
    policies: tuple[Policy, ...] = ()


@record
class InstanceProfile:
    """What lets an instance assume a role."""

    id: str
    name: str
    role_name: str


@record
class Group:
    """An IAM group: its members get its policies."""

    id: str
    name: str
    policies: tuple[Policy, ...] = ()
    """Inline policies (awsarch writes each operator group's permissions inline)."""


@record
class User:
    """An IAM user: its own policies and those of its groups."""

    id: str
    name: str
    groups: tuple[str, ...] = ()
    """The ids of the groups it belongs to (`group/deployers` in a blueprint's model)."""
    inline_policies: tuple[Policy, ...] = ()
