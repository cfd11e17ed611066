"""A record behaves as the `@dataclass(frozen=True, kw_only=True)` it replaces."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field
from typing import Any

import pytest

from awsarch.record import record


def _pair(**namespace: Any) -> tuple[type, type]:
    """The same class body made twice: once a frozen dataclass, once a record."""
    made = []
    for decorate in (dataclass(frozen=True, kw_only=True), record):
        body = {**namespace, "__annotations__": dict(namespace["__annotations__"])}
        made.append(decorate(type("Thing", (), body)))
    return made[0], made[1]


FIELDS: dict[str, Any] = {
    "__annotations__": {"name": str, "port": int, "tags": tuple, "notes": list, "seen": int},
    "port": 0,
    "tags": (),
    "notes": field(default_factory=list, compare=False),
    "seen": field(default=7, init=False, repr=False),
}


def test_same_repr_equality_and_hash() -> None:
    old, new = _pair(**FIELDS)
    for values in ({"name": "web"}, {"name": "db", "port": 3306, "tags": ("a", 1)}):
        a, b = old(**values), new(**values)
        assert repr(a).replace("Thing", "") == repr(b).replace("Thing", "")
        assert hash(a) == hash(b)  # the same tuple: set and dict orders do not move
        assert new(**values) == b and new(name="other") != b
    assert new(name="x", notes=["differs"]) == new(name="x")  # compare=False is honoured
    assert new(name="x") != old(name="x")  # another class is never equal


def test_frozen_keyword_only_and_defaults() -> None:
    _, new = _pair(**FIELDS)
    thing = new(name="web")
    with pytest.raises(dataclasses.FrozenInstanceError):
        thing.name = "other"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del thing.port
    with pytest.raises(TypeError):
        new("web")
    assert thing.notes == [] and thing.notes is not new(name="web").notes
    assert thing.seen == 7
    with pytest.raises(TypeError):
        new()


def test_dataclass_functions_work() -> None:
    _, new = _pair(**FIELDS)
    thing = new(name="web", port=80)
    assert [f.name for f in dataclasses.fields(thing)] == ["name", "port", "tags", "notes", "seen"]
    assert dataclasses.replace(thing, port=443) == new(name="web", port=443)
    assert dataclasses.asdict(thing)["port"] == 80
    assert copy.deepcopy(thing) == thing
    assert dataclasses.is_dataclass(thing)


def test_pickles() -> None:
    assert pickle.loads(pickle.dumps(Point(x=1, y=2))) == Point(x=1, y=2)


def test_post_init_inheritance_and_own_methods() -> None:
    assert Labelled(x=1, y=2, label="a").doubled == 2
    assert Labelled(x=1, y=2, label="a") != Point(x=1, y=2)
    assert str(Labelled(x=1, y=2, label="a")).startswith("Labelled(x=1, y=2, label='a'")
    assert repr(Named(name="kept")) == "Named<kept>"
    assert hash(Named(name="kept")) == 42


@record
class Point:
    x: int
    y: int


@record
class Labelled(Point):
    label: str
    doubled: int = field(default=0, init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "doubled", self.x * 2)


@record
class Named:
    name: str

    def __repr__(self) -> str:
        return f"Named<{self.name}>"

    def __hash__(self) -> int:
        return 42


def test_no_frozen_keyword_dataclass_left() -> None:
    """New classes use @record: a frozen keyword-only dataclass costs check's start-up ~0.5 ms."""
    import pathlib

    import awsarch

    source = pathlib.Path(awsarch.__file__).parent
    spelled = "@dataclass(frozen=True, kw_only=True)\n"
    offenders = [p.name for p in source.rglob("*.py") if spelled in p.read_text(encoding="utf-8")]
    assert offenders == [], f"use @record (awsarch/record.py) instead in {offenders}"
