"""Read YAML (and JSON) that people wrote without letting the file hurt awsarch.

One bounded reader for blueprints, intents files and CloudFormation templates: regular files
only (a FIFO or a device is refused before it is read, so nothing blocks or reads without end),
a size limit, and a composer that counts nodes, depth and alias expansion as the parser's events
arrive (a 442-byte "billion laughs" is refused after a few thousand nodes, not after 12 GB).
Every problem is one InputError at FILE:LINE:COL that says what to do.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from awsarch.errors import InputError

try:  # the C parser is several times faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 4 * 1024 * 1024
"""Four times CloudFormation's own 1 MB template limit (https://docs.aws.amazon.com/
AWSCloudFormation/latest/UserGuide/cloudformation-limits.html); a blueprint is a few KB."""
MAX_NODES = 200_000
"""Nodes after alias expansion: a 3,000-resource template has about 125,000."""
MAX_DEPTH = 100
"""Nesting, aliases included: a template's deepest policy condition is about 12."""

MERGE = "tag:yaml.org,2002:merge"
_SCALARS = ("null", "bool", "int", "float", "binary", "timestamp", "str")
_AS_TEXT = ("tag:yaml.org,2002:value", MERGE)  # `=` and `<<` where no mapping key is meant
_KINDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "timestamp": "a date",
    "binary": "base64 data",
    "null": "null",
}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


MAX_MESSAGE = 480
"""Characters of a message: a 4 MB value quoted in it is cut in the middle."""


def one_line(text: str) -> str:
    """Text safe to print on one line: newlines and control characters escaped as in Python,
    at most MAX_MESSAGE characters (the start and the end, which holds the fix, are kept)."""
    if not all(ch.isprintable() or ch == " " for ch in text):
        text = "".join(_escape(ch) for ch in text)
    if len(text) > MAX_MESSAGE:
        text = f"{text[: MAX_MESSAGE * 2 // 3]} … {text[-MAX_MESSAGE // 3 :]}"
    return text


def _escape(ch: str) -> str:
    if ch.isprintable() or ch == " " or unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"):
        return ch
    return repr(ch)[1:-1] if ch in "\n\r\t" else f"\\u{ord(ch):04x}"


def read_file(path: str, *, fix: str) -> str:
    """The UTF-8 text of a regular file of at most MAX_BYTES; `fix` says what to name instead.

    Opened without blocking and checked with fstat before any read, so a FIFO, a directory or
    /dev/zero is refused at once."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file — {fix}") from None
    except OSError as exc:
        why = one_line(exc.strerror or exc.__class__.__name__)
        raise InputError(f"{path}: cannot open it ({why}) — {fix}") from None
    try:
        return decode(_read_regular(fd, path, fix), file=path)
    finally:
        os.close(fd)


def _read_regular(fd: int, path: str, fix: str) -> bytes:
    mode = os.fstat(fd)
    if not stat.S_ISREG(mode.st_mode):
        raise InputError(f"{path}: is {_file_kind(mode.st_mode)}, not a regular file — {fix}")
    if mode.st_size > MAX_BYTES:
        raise _too_big(path)
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_BYTES:  # a file that grows while read still stops at the limit
        try:
            chunk = os.read(fd, 1 << 20)
        except OSError as exc:
            why = one_line(exc.strerror or exc.__class__.__name__)
            raise InputError(f"{path}: cannot read it ({why}) — {fix}") from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise _too_big(path)


def _too_big(path: str) -> InputError:
    return InputError(
        f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB — a blueprint or template is"
        " far smaller; name the right file, or split the template into nested stacks"
    )


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def decode(data: bytes, *, file: str) -> str:
    """UTF-8 text; an undecodable byte is a located error."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data[: exc.start].decode("utf-8", "replace"))
        raise InputError(
            f"byte 0x{data[exc.start]:02x} is not UTF-8 text — save the file as UTF-8",
            file=file,
            line=line,
            column=column,
        ) from None


def _position(before: str) -> tuple[int, int]:
    """(line, column), 1-based, of the character that follows `before`."""
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def compose(text: str, *, file: str, invalid: str = "invalid YAML") -> yaml.Node | None:
    """The one YAML document in text as nodes (None when empty), within the limits.

    Aliases share their anchor's node, as PyYAML's own composer does; consumers expand them,
    so the expansion is what the limits count."""
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line, column = _position(text[: exc.start])
        raise InputError(
            f"character U+{ord(text[exc.start]):04X} is not valid text — remove it",
            file=file,
            line=line,
            column=column,
        ) from None
    loader = _Loader(encoded)
    try:
        return _Composer(loader, file).document()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, file, invalid) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, encoded, file) from None
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.MarkedYAMLError, file: str, invalid: str) -> InputError:
    """Point at where the broken construct began (an unclosed bracket's line), else the problem."""
    mark = exc.context_mark or exc.problem_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "syntax error"
    if exc.context and exc.problem_mark and exc.context_mark:
        problem = f"{exc.context}, {problem} at line {exc.problem_mark.line + 1}"
    return InputError(
        f"{invalid}: {one_line(problem)} — fix the syntax (indentation, brackets, quotes, colons)",
        file=file,
        line=line,
        column=column,
    )


def _reader_error(exc: yaml.reader.ReaderError, encoded: bytes, file: str) -> InputError:
    line, column = _position(encoded[: exc.position].decode("utf-8", "replace"))
    char = exc.character if isinstance(exc.character, int) else 0
    return InputError(
        f"control character U+{char:04X} is not allowed in YAML — remove it, or write it"
        f' escaped inside double quotes ("\\x{char:02x}")',
        file=file,
        line=line,
        column=column,
    )


def located(file: str, node: yaml.Node, message: str) -> InputError:
    mark = node.start_mark
    return InputError(one_line(message), file=file, line=mark.line + 1, column=mark.column + 1)


def scalar(node: yaml.Node, file: str) -> Any:
    """A scalar's Python value by YAML 1.1's safe rules; a value its tag cannot read (a date
    like 2024-13-01, `!!float nope`, a 5,000-digit number) is a located error."""
    if not isinstance(node, yaml.ScalarNode):
        return f"<{type(node).__name__}>"
    tag = str(node.tag or "")
    if tag in _AS_TEXT:
        return str(node.value)
    short = tag.removeprefix("tag:yaml.org,2002:")
    if short not in _SCALARS or short == tag:
        raise located(file, node, f"unknown tag {tag!r} on a value — remove it, or quote the text")
    try:
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, yaml.YAMLError) as exc:
        raise located(file, node, _unreadable(node, short, exc)) from None


def _unreadable(node: yaml.ScalarNode, short: str, exc: Exception) -> str:
    value = str(node.value)
    shown = repr(value if len(value) <= 40 else f"{value[:20]}…{value[-10:]}")
    why = str(exc) if isinstance(exc, ValueError) else ""
    if "digits" in why:
        why = f"{len(value)} digits; awsarch reads at most 4,300"
    elif len(why) > 80 or not why:
        why = ""
    reason = f" ({why})" if why else ""
    kind = _KINDS.get(short, short)
    return (
        f"{shown} does not read as {kind}{reason} — write {kind}, or quote the value"
        " (without a tag) to keep it as text"
    )


def entries(node: yaml.MappingNode, file: str) -> list[tuple[Any, yaml.Node, yaml.Node]]:
    """(key, key node, value node) of a mapping, its merge keys (`<<: *base`, `<<: [*a, *b]`)
    expanded as YAML's merge type says: merged keys first, an earlier source winning over a
    later one, and a key written in the mapping itself winning over all
    (https://yaml.org/type/merge.html). A key written twice is a located error."""
    merged: dict[Any, tuple[Any, yaml.Node, yaml.Node]] = {}
    own: dict[Any, tuple[Any, yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        if key_node.tag == MERGE:
            for source in _merge_sources(value_node, file):
                for entry in entries(source, file):
                    merged.setdefault(_hashable(entry[0]), entry)
            continue
        key = scalar(key_node, file)
        if _hashable(key) in own:
            raise located(file, key_node, f"'{key}' appears twice — keep one of them")
        own[_hashable(key)] = (key, key_node, value_node)
    return list((merged | own).values())


def _hashable(key: Any) -> Any:
    return key if isinstance(key, str | int | bool | type(None)) else repr(key)


def _merge_sources(node: yaml.Node, file: str) -> list[yaml.MappingNode]:
    sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for source in sources:
        if not isinstance(source, yaml.MappingNode):
            raise located(
                file,
                source,
                "`<<` merges a mapping or a list of mappings — write `<<: *anchor` where"
                " `&anchor` names a mapping",
            )
    return list(sources)


@dataclass
class _Open:
    """A collection whose end event has not come yet."""

    node: yaml.CollectionNode
    anchor: str | None
    first: int
    """The expansion count when it opened: its own size is the count at its end minus this."""
    height: int = 1
    key: yaml.Node | None = None


@dataclass
class _Composer:
    """Nodes from the parser's events, like PyYAML's composer, but counting as it goes."""

    loader: Any
    file: str
    anchors: dict[str, tuple[yaml.Node, int, int]] = field(default_factory=dict)
    """anchor → (node, expanded size, height)."""
    opened: set[str] = field(default_factory=set)
    expanded: int = 0

    def document(self) -> yaml.Node | None:
        self.loader.get_event()  # stream start
        if self.loader.check_event(yaml.StreamEndEvent):
            return None
        self.loader.get_event()  # document start
        root = self._tree()
        self.loader.get_event()  # document end
        if not self.loader.check_event(yaml.StreamEndEvent):
            mark = self.loader.peek_event().start_mark
            raise InputError(
                "a second YAML document (after `---`) — keep one document in the file",
                file=self.file,
                line=mark.line + 1,
                column=mark.column + 1,
            )
        return root

    def _tree(self) -> yaml.Node:
        stack: list[_Open] = []
        while True:
            event = self.loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append(self._open(event, len(stack)))
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                done = self._close(stack.pop(), event)
            elif isinstance(event, yaml.AliasEvent):
                done = self._alias(event, len(stack))
            else:
                done = self._scalar(event)
            if not stack:
                return done[0]
            _attach(stack[-1], done)

    def _count(self, size: int, event: yaml.Event) -> None:
        self.expanded += size
        if self.expanded > MAX_NODES:
            raise self._error(
                event,
                f"the document expands to more than {MAX_NODES:,} values (aliases included)"
                " — write fewer aliases, or split the file",
            )

    def _error(self, event: yaml.Event, message: str) -> InputError:
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return InputError(message, file=self.file, line=line, column=column)

    def _open(self, event: Any, depth: int) -> _Open:
        if depth + 1 > MAX_DEPTH:
            raise self._error(
                event, f"nested more than {MAX_DEPTH} levels deep — flatten the structure"
            )
        self._count(1, event)
        kind = yaml.MappingNode if isinstance(event, yaml.MappingStartEvent) else yaml.SequenceNode
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(kind, None, event.implicit)
        node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
        if event.anchor is not None:
            self.opened.add(event.anchor)
        return _Open(node=node, anchor=event.anchor, first=self.expanded - 1)

    def _close(self, frame: _Open, event: yaml.Event) -> tuple[yaml.Node, int]:
        frame.node.end_mark = event.end_mark
        if frame.anchor is not None:
            self.opened.discard(frame.anchor)
            size = self.expanded - frame.first
            self.anchors[frame.anchor] = (frame.node, size, frame.height)
        return frame.node, frame.height

    def _scalar(self, event: Any) -> tuple[yaml.Node, int]:
        self._count(1, event)
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        if event.anchor is not None:
            self.anchors[event.anchor] = (node, 1, 1)
        return node, 1

    def _alias(self, event: Any, depth: int) -> tuple[yaml.Node, int]:
        name = event.anchor
        if name in self.opened:
            raise self._error(
                event, f"*{name} is inside the &{name} it names (a loop) — refer to it from outside"
            )
        if name not in self.anchors:
            raise self._error(event, f"no anchor &{name} before *{name} — define &{name} first")
        node, size, height = self.anchors[name]
        if depth + height > MAX_DEPTH:
            raise self._error(
                event, f"*{name} nests more than {MAX_DEPTH} levels deep — flatten the structure"
            )
        self._count(size, event)
        return node, height


def _attach(parent: _Open, done: tuple[yaml.Node, int]) -> None:
    node, height = done
    parent.height = max(parent.height, height + 1)
    if isinstance(parent.node, yaml.SequenceNode):
        parent.node.value.append(node)
    elif parent.key is None:
        parent.key = node
    else:
        parent.node.value.append((parent.key, node))
        parent.key = None
