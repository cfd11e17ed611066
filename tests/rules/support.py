"""Helpers for rule tests: the seed architecture and ways to plant one violation in it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path as FilePath
from typing import Any

import awsarch.blueprint
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import Loaded, load_file
from awsarch.model import Architecture, Path
from awsarch.rules.base import Finding
from awsarch.rules.registry import rule_by_id

SEED = FilePath(awsarch.blueprint.__file__).parent / "seed.yaml"
THREE_TIER = FilePath(awsarch.blueprint.__file__).parent / "three_tier.yaml"
COLLECTIONS = tuple(
    f.name for f in dataclasses.fields(Architecture) if f.name not in ("stack", "region", "origins")
)

Plant = Callable[[Architecture], Architecture]


@cache
def seed_loaded() -> Loaded:
    return load_file(str(SEED))


def seed_arch() -> Architecture:
    return expand(seed_loaded().blueprint)


@cache
def three_tier_loaded() -> Loaded:
    return load_file(str(THREE_TIER))


def three_tier_arch() -> Architecture:
    """The load balancer, app servers in an Auto Scaling group, and MySQL."""
    return expand(three_tier_loaded().blueprint)


def swap(resource_id: str, **changes: Any) -> Plant:
    """A plant that replaces the resource's fields (dataclasses.replace) wherever it lives."""

    def plant(arch: Architecture) -> Architecture:
        for name in COLLECTIONS:
            items = getattr(arch, name)
            if any(item.id == resource_id for item in items):
                updated = tuple(
                    dataclasses.replace(item, **changes) if item.id == resource_id else item
                    for item in items
                )
                fields: dict[str, Any] = {name: updated}
                return dataclasses.replace(arch, **fields)
        raise KeyError(resource_id)

    return plant


def add(collection: str, *resources: Any) -> Plant:
    """A plant that adds resources to one of the architecture's collections."""

    def plant(arch: Architecture) -> Architecture:
        fields: dict[str, Any] = {collection: (*getattr(arch, collection), *resources)}
        return dataclasses.replace(arch, **fields)

    return plant


def both(*plants: Plant) -> Plant:
    def plant(arch: Architecture) -> Architecture:
        for step in plants:
            arch = step(arch)
        return arch

    return plant


def findings(rule_id: str, arch: Architecture) -> list[Finding]:
    return list(rule_by_id(rule_id).run(arch))


@dataclass(frozen=True, kw_only=True)
class Violation:
    """A planted violation and the finding it must produce."""

    name: str
    rule_id: str
    plant: Plant
    resource_id: str
    path: Path
    base: Callable[[], Architecture] = seed_arch
    """The architecture the plant changes: the seed, or the three tiers."""

    def __str__(self) -> str:
        return f"{self.rule_id}-{self.name}"


@dataclass(frozen=True, kw_only=True)
class Compliant:
    """A change to the seed that stays within the rule: it must produce no finding."""

    name: str
    rule_id: str
    plant: Plant
    base: Callable[[], Architecture] = seed_arch

    def __str__(self) -> str:
        return f"{self.rule_id}-{self.name}"


def assert_violation(case: Violation) -> None:
    found = findings(case.rule_id, case.plant(case.base()))
    assert found, f"{case.rule_id} found nothing"
    assert all(f.rule_id == case.rule_id for f in found)
    assert all(f.severity == rule_by_id(case.rule_id).severity for f in found)
    matching = [f for f in found if f.resource_id == case.resource_id]
    assert matching, [f.resource_id for f in found]
    assert all(f.path == case.path for f in matching), [f.path for f in matching]
    assert all(" — " in f.message for f in found), "a message says what to do after the dash"


def assert_compliant(case: Compliant) -> None:
    assert findings(case.rule_id, case.plant(case.base())) == []
