"""Read a YAML document into plain values while keeping where every key and value stands.

Positions let every later error and finding point at FILE:LINE:COL in the user's file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from awsarch.errors import InputError
from awsarch.model import Path

try:  # the C loader is several times faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True, kw_only=True)
class Document:
    """A parsed YAML file: its data and the 1-based (line, column) of each path."""

    file: str
    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The position of the value (or key) at path; for a key the user left out (a
        default), the key of its nearest written ancestor, e.g. the `main:` line."""
        exact = (self.keys if key else self.values).get(path)
        if exact is not None:
            return exact
        while path:
            path = path[:-1]
            if path in self.keys:
                return self.keys[path]
        return self.values.get((), (1, 1))

    def where(self, path: Path) -> tuple[str, int, int]:
        """(file, line, column) of the value at path, for findings and intents."""
        line, column = self.position(path)
        return self.file, line, column

    def error(self, path: Path, message: str, *, key: bool = False) -> InputError:
        line, column = self.position(path, key=key)
        return InputError(message, file=self.file, line=line, column=column)


def parse(text: str, *, file: str) -> Document:
    """Parse YAML text; a syntax error becomes an InputError at its line."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, file) from exc
    values: dict[Path, tuple[int, int]] = {}
    keys: dict[Path, tuple[int, int]] = {}
    if root is None:
        return Document(file=file, data=None, values={(): (1, 1)})
    data = _convert(root, (), values, keys, file)
    return Document(file=file, data=data, values=values, keys=keys)


def _syntax_error(exc: yaml.MarkedYAMLError, file: str) -> InputError:
    """Point at where the broken construct began (an unclosed bracket's line), else the problem."""
    mark = exc.context_mark or exc.problem_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if exc.context and exc.problem_mark and exc.context_mark:
        problem = f"{exc.context}, {problem} at line {exc.problem_mark.line + 1}"
    return InputError(
        f"invalid YAML: {problem} — fix the syntax (indentation, brackets, quotes, colons)",
        file=file,
        line=line,
        column=column,
    )


def _convert(
    node: yaml.Node,
    path: Path,
    values: dict[Path, tuple[int, int]],
    keys: dict[Path, tuple[int, int]],
    file: str,
) -> Any:
    values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in result:
                raise InputError(
                    f"'{key}' appears twice — keep one of them",
                    file=file,
                    line=where[0],
                    column=where[1],
                )
            keys[(*path, key)] = where
            result[key] = _convert(value_node, (*path, key), values, keys, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), values, keys, file) for i, item in enumerate(node.value)]
    return _scalar(node)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.Node) -> Any:
    """A scalar's Python value by YAML 1.1's safe rules (ints, bools, strings, nulls)."""
    if not isinstance(node, yaml.ScalarNode):
        return f"<{type(node).__name__}>"
    return _CONSTRUCTOR.construct_object(node, deep=True)
