"""The folders show the architecture, and the imports keep to it: the pure core never reaches
the adapters (AWS, the emulator) or the CLI, and the use cases never reach the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import awsarch

SOURCE = Path(awsarch.__file__).parent
CORE = ("model", "blueprint", "rules", "analysis", "deploy", "org")
FORBIDDEN = {
    **dict.fromkeys(CORE, ("awsarch.adapters", "awsarch.cli", "awsarch.usecases")),
    "render": ("awsarch.adapters", "awsarch.cli"),  # it draws the use cases' proofs
    "usecases": ("awsarch.cli",),
    "adapters": ("awsarch.cli",),
    "api.py": ("awsarch.cli",),  # the Python API stands beside the CLI, never on it
}
"""Package → the packages its modules must not import (at any depth, lazily or not)."""


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_keeps_to_its_layer(package: str) -> None:
    crossings = [
        f"{path.relative_to(SOURCE)} imports {name}"
        for path in sorted(
            (SOURCE / package).rglob("*.py") if "." not in package else [SOURCE / package]
        )
        for name in sorted(_imports(path))
        if name.startswith(FORBIDDEN[package])
    ]
    assert crossings == []
