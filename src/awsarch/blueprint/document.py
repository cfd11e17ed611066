"""Read a YAML document into plain values while keeping where every key and value stands.

Positions let every later error and finding point at FILE:LINE:COL in the user's file.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

import yaml

from awsarch.blueprint import reader
from awsarch.errors import InputError
from awsarch.model import Path
from awsarch.record import record


@record
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
        return InputError(reader.one_line(message), file=self.file, line=line, column=column)


def parse(text: str, *, file: str) -> Document:
    """Parse YAML text within the reader's limits; any problem is an InputError at its line."""
    root = reader.compose(text, file=file)
    if root is None:
        return Document(file=file, data=None, values={(): (1, 1)})
    values: dict[Path, tuple[int, int]] = {}
    keys: dict[Path, tuple[int, int]] = {}
    data = _convert(root, (), values, keys, file)
    return Document(file=file, data=data, values=values, keys=keys)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(
    node: yaml.Node,
    path: Path,
    values: dict[Path, tuple[int, int]],
    keys: dict[Path, tuple[int, int]],
    file: str,
) -> Any:
    values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key, key_node, value_node in reader.entries(node, file):
            keys[(*path, key)] = _mark(key_node)
            result[key] = _convert(value_node, (*path, key), values, keys, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), values, keys, file) for i, item in enumerate(node.value)]
    return reader.scalar(node, file)
