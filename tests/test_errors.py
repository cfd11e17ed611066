"""The exception tree drawn in `awsarch.errors` is every exception class awsarch defines, each
under its real parent, with its exit code; one base catches them all, and no two share a name."""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

import pytest

import awsarch
from awsarch import errors
from awsarch.errors import AwsarchError

SKIPPED = ("awsarch.__main__",)
"""Modules that act when imported (`python -m awsarch` runs the CLI)."""
TREE_LINE = re.compile(r"^    (?P<prefix>[│├└─ ]*)(?P<name>[A-Z]\w*)\s+(?P<meaning>.*)$")
EXIT = re.compile(r"\(exit (\d+)\)")


def _modules() -> list[ModuleType]:
    """Every module of awsarch, imported (so every class it defines exists)."""
    names = [
        info.name
        for info in pkgutil.walk_packages(awsarch.__path__, "awsarch.")
        if info.name not in SKIPPED
    ]
    return [importlib.import_module(name) for name in names]


def _exception_classes() -> list[type[BaseException]]:
    """Every exception class defined at the top level of an awsarch module."""
    found: list[type[BaseException]] = []
    for module in _modules():
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def _tree() -> dict[str, tuple[str, str]]:
    """The docstring's tree: class name → (parent name, the line's meaning)."""
    tree: dict[str, tuple[str, str]] = {}
    parents: list[str] = []
    for line in (errors.__doc__ or "").splitlines():
        match = TREE_LINE.match(line)
        if match is None:
            continue
        depth = len(match["prefix"]) // 4
        del parents[depth:]
        name = match["name"]
        assert name not in tree, f"{name} is drawn twice"
        tree[name] = (parents[-1] if parents else "", match["meaning"])
        parents.append(name)
    return tree


CLASSES = _exception_classes()


def test_every_exception_awsarch_defines_derives_from_awsarch_error() -> None:
    """One `except AwsarchError` catches every error awsarch raises on purpose."""
    strays = [f"{c.__module__}.{c.__name__}" for c in CLASSES if not issubclass(c, AwsarchError)]
    assert strays == []


def test_no_two_exception_classes_share_a_name() -> None:
    """A name in a traceback or an `except` clause means one class."""
    names = [c.__name__ for c in CLASSES]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_tree_draws_each_class_under_its_parent_with_its_exit_code(
    cls: type[BaseException],
) -> None:
    """The drawing in errors.py says where each class sits, what it means and its exit code."""
    tree = _tree()
    assert cls.__name__ in tree, f"{cls.__name__} ({cls.__module__}) is missing from errors.py"
    parent, meaning = tree[cls.__name__]
    bases = [b for b in cls.__bases__ if issubclass(b, AwsarchError)]
    assert parent == (bases[0].__name__ if bases else "")
    assert EXIT.sub("", meaning).strip(), f"{cls.__name__}'s line says nothing of its meaning"
    code = EXIT.search(meaning)
    if code is None:  # a base that only groups classes with codes of their own may omit it
        assert "exit_code" not in vars(cls), f"{cls.__name__}'s line names no (exit N)"
    else:
        assert int(code[1]) == getattr(cls, "exit_code", None)


def test_the_tree_draws_no_class_that_does_not_exist() -> None:
    """A class renamed or removed leaves no stale line behind."""
    assert set(_tree()) == {c.__name__ for c in CLASSES}
