"""Small pure helpers for reading discovery's raw JSON (shared by the ingest modules)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Raw = Mapping[str, Any]


def tags_of(item: Raw, key: str = "Tags") -> dict[str, str]:
    """An AWS tag list (`[{Key, Value}]`) as a dict."""
    return {str(t["Key"]): str(t.get("Value", "")) for t in item.get(key) or ()}


def name_of(item: Raw, fallback: str, key: str = "Tags") -> str:
    """`awsarch:name` (the part after `kind/`), else the Name tag, else `fallback`."""
    tags = tags_of(item, key)
    if tags.get("awsarch:name"):
        return tags["awsarch:name"].split("/", 1)[-1]
    return tags.get("Name") or fallback


def items(section: Raw, key: str) -> list[Any]:
    """The list under `key` ([] when absent or null)."""
    return list(section.get(key) or ())


def sorted_items(section: Raw, key: str, id_field: str) -> list[Any]:
    """The list under `key`, sorted by id so the model is deterministic."""
    return sorted(items(section, key), key=lambda item: str(item.get(id_field, "")))


def as_list(value: Any) -> list[Any]:
    """A JSON policy value that may be one item or a list, as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
