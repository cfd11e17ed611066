"""Read a CloudFormation template (JSON or YAML with the short-form tags) keeping positions.

The only I/O of the package: `read_template` reads one file; everything else is pure. Short
forms (`!Ref X`, `!GetAtt A.B`, `!Sub …`) become their long forms (`{"Ref": "X"}`,
`{"Fn::GetAtt": ["A", "B"]}`) as CloudFormation itself reads them
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

import yaml

from awsarch.blueprint import reader
from awsarch.blueprint.document import Document
from awsarch.errors import InputError
from awsarch.model import Path
from awsarch.record import record

Position = tuple[int, int]
_SNIFF = re.compile(r"AWSTemplateFormatVersion|[\"']?Type[\"']?\s*:\s*[\"']?AWS::")
_SHORT = {"Ref": "Ref", "Condition": "Condition"}


@record
class TemplateDocument(Document):
    """A template's document; `aliases` send the model's attribute paths (a blueprint's words,
    e.g. `("Resources", "Db", "multi_az")`) to the template's own property paths, and paths
    under `("intents", i)` to where the intents were written (`intents_file` when another)."""

    aliases: dict[Path, Path] = field(default_factory=dict)
    intents_file: Document | None = None
    intents_at: Path = ()

    def position(self, path: Path, *, key: bool = False) -> Position:
        if path[:1] == ("intents",) and self.intents_file is None:
            path = (*self.intents_at, *path[1:])
        path = self.aliases.get(path, path)
        resource = len(path) == 2 and path[0] == "Resources"  # its logical id's line
        return super().position(path, key=key or resource)

    def where(self, path: Path) -> tuple[str, int, int]:
        if path[:1] == ("intents",) and self.intents_file is not None:
            return self.intents_file.where((*self.intents_at, *path[1:]))
        return super().where(path)


def looks_like_template(text: str) -> bool:
    """A template by content: `AWSTemplateFormatVersion`, or a resource `Type: AWS::…`."""
    return _SNIFF.search(text) is not None


def is_template_file(path: str) -> bool:
    """Whether the file at path is a CloudFormation template (False when unreadable: the
    blueprint reader then says why)."""
    try:
        return looks_like_template(reader.read_file(path, fix=""))
    except InputError:
        return False


def read_text(path: str, what: str = "template") -> str:
    return reader.read_file(path, fix=f"give the path of the {what}")


def parse_template(text: str, *, file: str) -> Document:
    """Parse JSON or YAML, short-form tags included, within the reader's limits; any problem
    is one located line."""
    try:
        root = reader.compose(text, file=file, invalid="not valid JSON or YAML")
    except InputError:
        if text.lstrip().startswith("{") and "\t" in text:  # JSON indented with tabs
            return parse_template(text.replace("\t", " "), file=file)
        raise
    values: dict[Path, Position] = {}
    keys: dict[Path, Position] = {}
    data = None if root is None else _convert(root, (), values, keys, file)
    values.setdefault((), (1, 1))
    return Document(file=file, data=data, values=values, keys=keys)


def _mark(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(
    node: yaml.Node, path: Path, values: dict[Path, Position], keys: dict[Path, Position], file: str
) -> Any:
    values[path] = _mark(node)
    tag = node.tag or ""
    if tag.startswith("!") and not tag.startswith("!!"):
        return _short_form(node, tag[1:], path, values, keys, file)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for raw, key_node, value_node in reader.entries(node, file):
            key = str(raw)
            if key in result:
                raise reader.located(file, key_node, f"'{key}' appears twice — keep one of them")
            keys[(*path, key)] = _mark(key_node)
            result[key] = _convert(value_node, (*path, key), values, keys, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), values, keys, file) for i, item in enumerate(node.value)]
    return reader.scalar(node, file)


def _short_form(
    node: yaml.Node,
    name: str,
    path: Path,
    values: dict[Path, Position],
    keys: dict[Path, Position],
    file: str,
) -> dict[str, Any]:
    """`!Ref X` → {"Ref": X}; `!GetAtt A.B` → {"Fn::GetAtt": [A, B]}; `!Fn` → {"Fn::Fn": …}."""
    long = _SHORT.get(name, f"Fn::{name}")
    inner = (*path, long)
    keys[inner] = _mark(node)
    values[inner] = _mark(node)
    if isinstance(node, yaml.ScalarNode):
        text = str(node.value)
        if long == "Fn::GetAtt":
            resource, _, attribute = text.partition(".")
            return {long: [resource, attribute]}
        return {long: text}
    plain = _untagged(node)
    return {long: _convert(plain, inner, values, keys, file)}


def _untagged(node: yaml.Node) -> yaml.Node:
    if isinstance(node, yaml.SequenceNode):
        return yaml.SequenceNode(
            "tag:yaml.org,2002:seq", node.value, node.start_mark, node.end_mark
        )
    if isinstance(node, yaml.MappingNode):
        return yaml.MappingNode("tag:yaml.org,2002:map", node.value, node.start_mark, node.end_mark)
    return node
