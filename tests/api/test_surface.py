"""`import awsarch` is the public API: every name it offers resolves, and importing it is free."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import awsarch

PROBE = """
import json, sys
before = set(sys.modules)
import awsarch
print(json.dumps(sorted(set(sys.modules) - before)))
"""


@pytest.mark.parametrize("name", awsarch.__all__)
def test_every_public_name_resolves(name: str) -> None:
    """Each name of `__all__` is a real function or class, found where the table says."""
    value = getattr(awsarch, name)
    assert callable(value)
    assert value.__name__ == name
    module, attribute = awsarch._HOME[name].split(":")
    assert getattr(importlib.import_module(module), attribute) is value


def test_the_table_and_all_agree_and_dir_lists_them() -> None:
    """`__all__`, the lazy table and `dir(awsarch)` name the same surface."""
    assert set(awsarch.__all__) == set(awsarch._HOME)
    assert len(awsarch.__all__) == len(set(awsarch.__all__))
    assert set(awsarch.__all__) <= set(dir(awsarch))


def test_an_unknown_name_is_an_attribute_error() -> None:
    """A typo fails as any module's missing attribute does (so `hasattr` and imports work)."""
    with pytest.raises(AttributeError, match="no attribute 'chek'"):
        awsarch.chek  # type: ignore[attr-defined]  # noqa: B018
    assert not hasattr(awsarch, "chek")


def test_the_verbs_errors_are_awsarch_errors() -> None:
    """One `except awsarch.AwsarchError` catches every error the API raises on purpose."""
    for name in awsarch.__all__:
        value = getattr(awsarch, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            assert issubclass(value, awsarch.AwsarchError), name


def test_import_awsarch_loads_only_awsarch() -> None:
    """`import awsarch` in a fresh interpreter loads that one module: no typing, no boto3, no
    blueprint reader, so `awsarch check` and every library user start as fast as before."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == ["awsarch"]


def test_a_submodule_of_the_same_package_still_imports() -> None:
    """`from awsarch.adapters import emulator` (a package, not an API name) is not shadowed."""
    result = subprocess.run(
        [sys.executable, "-c", "from awsarch import errors; print(errors.EXIT_INPUT)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "2"


def test_type_checkers_see_every_public_name_where_it_is_loaded_from() -> None:
    """The `if TYPE_CHECKING:` imports (what mypy and IDEs read) match the lazy table."""
    tree = ast.parse(Path(awsarch.__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    seen = {
        alias.name: f"{node.module}:{alias.name}"
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert seen == awsarch._HOME
