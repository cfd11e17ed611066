"""Read a CloudFormation template (JSON or YAML with the short-form tags) keeping positions.

The only I/O of the package: `read_template` reads one file; everything else is pure. Short
forms (`!Ref X`, `!GetAtt A.B`, `!Sub …`) become their long forms (`{"Ref": "X"}`,
`{"Fn::GetAtt": ["A", "B"]}`) as CloudFormation itself reads them
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from awsarch.blueprint.document import Document
from awsarch.errors import InputError
from awsarch.model import Path

try:  # the C loader is several times faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Position = tuple[int, int]
_SNIFF = re.compile(r"AWSTemplateFormatVersion|[\"']?Type[\"']?\s*:\s*[\"']?AWS::")
_SHORT = {"Ref": "Ref", "Condition": "Condition"}


@dataclass(frozen=True, kw_only=True)
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
    """Whether the file at path is a CloudFormation template (False when unreadable)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return looks_like_template(handle.read())
    except (OSError, UnicodeDecodeError):
        return False


def read_text(path: str, what: str = "template") -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file — give the path of the {what}") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read it ({exc.__class__.__name__})") from None


def parse_template(text: str, *, file: str) -> Document:
    """Parse JSON or YAML, short-form tags included; a syntax error is one located line."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        if text.lstrip().startswith("{") and "\t" in text:  # JSON indented with tabs
            return parse_template(text.replace("\t", " "), file=file)
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise InputError(
            f"not valid JSON or YAML: {exc.problem or 'syntax error'} — fix the syntax",
            file=file,
            line=line,
            column=column,
        ) from None
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
        for key_node, value_node in node.value:
            key = str(_scalar(key_node))
            if key in result:
                line, column = _mark(key_node)
                raise InputError(
                    f"'{key}' appears twice — keep one of them", file=file, line=line, column=column
                )
            keys[(*path, key)] = _mark(key_node)
            result[key] = _convert(value_node, (*path, key), values, keys, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), values, keys, file) for i, item in enumerate(node.value)]
    return _scalar(node)


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


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return f"<{type(node).__name__}>"
    return _CONSTRUCTOR.construct_object(node, deep=True)
