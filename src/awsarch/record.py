"""`@record`: a frozen, keyword-only dataclass that costs one compiled function, not six.

Python 3.11's `@dataclass(frozen=True, kw_only=True)` compiles `__init__`, `__repr__`,
`__eq__`, `__hash__`, `__setattr__` and `__delattr__` separately for every class, one `exec`
each: at about a hundred model classes that was half of `awsarch check`'s start-up. A record
lets `dataclasses` process the fields (so `dataclasses.fields`, `replace` and `asdict` work),
compiles `__init__` alone, and shares one `__repr__`, `__eq__`, `__hash__`, `__setattr__` and
`__delattr__` among all records. It behaves as the frozen dataclass it replaces: the same
constructor, the same repr, equality and hash over the `compare=True` fields in order (the same
hash values, so set and dict orders do not move), and assignment raises `FrozenInstanceError`.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, dataclass_transform

_T = TypeVar("_T")
_FACTORY = object()
"""The default of a parameter whose field has a default factory (as dataclasses do)."""


@dataclass_transform(
    frozen_default=True, kw_only_default=True, field_specifiers=(dataclasses.field,)
)
def record(cls: type[_T]) -> type[_T]:
    """Make `cls` a frozen, keyword-only dataclass (see the module docstring)."""
    if cls.__doc__ is None:  # dataclasses would otherwise build one with inspect.signature
        cls.__doc__ = cls.__name__
    dataclasses.dataclass(init=False, repr=False, eq=False, kw_only=True)(cls)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    namespace: dict[str, Any] = {
        **_compiled(cls, fields),
        "__repr__": _repr,
        "__setattr__": _frozen,
        "__delattr__": _frozen,
        "_record_shown": tuple(f.name for f in fields if f.repr),
    }
    own = cls.__dict__
    explicit_hash = own.get("__hash__", None) is not None
    for name, value in namespace.items():
        if name not in own or (name == "__hash__" and not explicit_hash):
            setattr(cls, name, value)  # methods the class defines itself are kept
    return cls


def _compiled(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> dict[str, Any]:
    """`__init__`, `__eq__` and `__hash__`, compiled together in one `exec`: the comparisons stay
    as fast as the generated dataclass ones (they are hot in the reachability engine)."""
    scope: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    parameters, body = [], []
    for f in fields:
        value = f.name
        if f.default is not dataclasses.MISSING:
            scope[f"_default_{f.name}"] = f.default
            default = f"_default_{f.name}"
        elif f.default_factory is not dataclasses.MISSING:
            scope[f"_factory_{f.name}"] = f.default_factory
            default = "_FACTORY"
            value = f"_factory_{f.name}() if {f.name} is _FACTORY else {f.name}"
        else:
            default = ""
        if not f.init:
            if not default:
                continue
            value = f"_factory_{f.name}()" if default == "_FACTORY" else default
        elif default:
            parameters.append(f"{f.name}={default}")
        else:
            parameters.append(f.name)
        body.append(f"    _set(self, {f.name!r}, {value})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    signature = f"self, *, {', '.join(parameters)}" if parameters else "self"
    compared = [f.name for f in fields if f.compare]
    hashed = _tuple("self", [f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    source = "\n".join(
        [
            f"def __init__({signature}):",
            *(body or ["    pass"]),
            "def __eq__(self, other):",
            "    if other.__class__ is not self.__class__:",
            "        return NotImplemented",
            f"    return {_tuple('self', compared)} == {_tuple('other', compared)}",
            "def __hash__(self):",
            f"    return hash({hashed})",
        ]
    )
    exec(source, scope)  # the source is built above from field names only
    compiled = {name: scope[name] for name in ("__init__", "__eq__", "__hash__")}
    for name, function in compiled.items():
        function.__qualname__ = f"{cls.__qualname__}.{name}"
    compiled["__init__"].__annotations__ = {f.name: f.type for f in fields if f.init}
    return compiled


def _tuple(owner: str, names: list[str]) -> str:
    """The source of the tuple of these attributes, as the dataclass methods build it."""
    return "(" + "".join(f"{owner}.{name}," for name in names) + ")"


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_shown)
    return f"{self.__class__.__qualname__}({shown})"


def _frozen(self: Any, name: str, *_: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
