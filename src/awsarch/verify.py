"""Verify a blueprint: load, expand, run every rule (and, later, prove every intent).

Pure apart from reading the file; shared by `check`, `plan` and `up` so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from awsarch.blueprint.document import Document
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import Loaded, load_file
from awsarch.model import Architecture, Path
from awsarch.rules.base import Finding
from awsarch.rules.registry import ALL_RULES, run_rules


@dataclass(frozen=True, kw_only=True)
class Verified:
    loaded: Loaded
    architecture: Architecture
    findings: tuple[Finding, ...]

    @property
    def document(self) -> Document:
        return self.loaded.document

    @property
    def rule_count(self) -> int:
        return len(ALL_RULES)

    @property
    def resource_count(self) -> int:
        return sum(1 for _ in self.architecture.resources())

    def locate(self, path: Path) -> str:
        line, column = self.document.position(path)
        return f"{self.document.file}:{line}:{column}"


def verify_file(path: str) -> Verified:
    loaded = load_file(path)
    architecture = expand(loaded.blueprint)
    return Verified(
        loaded=loaded, architecture=architecture, findings=tuple(run_rules(architecture))
    )
