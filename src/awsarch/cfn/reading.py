"""What every ingest step shares: the template's resources by type, resolved properties, and
where each resource and property sits (for findings)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from awsarch.blueprint.document import Document
from awsarch.cfn.intrinsics import Resolver, Unknown
from awsarch.cfn.names import friendly, model_id
from awsarch.model import Path


@dataclass
class Reading:
    doc: Document
    resolver: Resolver
    resources: Mapping[str, Mapping[str, Any]]
    """The resources that exist (their Condition, if any, is true), by logical id."""
    origins: list[tuple[str, Path]] = field(default_factory=list)
    aliases: dict[Path, Path] = field(default_factory=dict)
    _props: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: dict[str, str] = field(default_factory=dict)
    _logical: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._ids = {lid: model_id(lid, res) for lid, res in self.resources.items()}
        taken = {lid for lid, mid in self._ids.items() if mid == lid}
        for lid, mid in list(self._ids.items()):
            if mid != lid and (mid in taken or mid in self.resources):
                self._ids[lid] = lid  # a name already claimed: this one keeps its logical id
            taken.add(self._ids[lid])
        self._logical = {mid: lid for lid, mid in self._ids.items()}

    def id(self, logical_id: str) -> str:
        """The model id of a resource (its `awsarch:name` when tagged, else its logical id)."""
        return self._ids.get(logical_id, logical_id)

    def logical(self, resource_id: str) -> str:
        """The logical id of a model id (a logical id stays what it is)."""
        return self._logical.get(resource_id, resource_id)

    def name(self, logical_id: str) -> str:
        """People's name: the `awsarch:name`'s name part (`public-a`), else the friendly id."""
        found = self.id(logical_id)
        return found.split("/", 1)[1] if found != logical_id else friendly(logical_id)

    def of_type(self, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(logical id, resolved properties) of every resource of this type, in order."""
        for logical_id, resource in self.resources.items():
            if resource.get("Type") == kind:
                yield logical_id, self.props(logical_id)

    def props(self, logical_id: str) -> dict[str, Any]:
        """Resolved properties, by logical id or model id."""
        logical_id = self.logical(logical_id)
        if logical_id not in self._props:
            raw = self.resources[logical_id].get("Properties") or {}
            resolved = self.resolver.value(raw, self.path(logical_id))
            self._props[logical_id] = resolved if isinstance(resolved, dict) else {}
        return self._props[logical_id]

    def type_of(self, logical_id: str) -> str:
        logical_id = self.logical(logical_id)
        return str((self.resources.get(logical_id) or {}).get("Type", ""))

    def path(self, logical_id: str, *prop: str | int) -> Path:
        return ("Resources", self.logical(logical_id), "Properties", *prop)

    def origin(self, resource_id: str, logical_id: str) -> None:
        self.origins.append((resource_id, ("Resources", self.logical(logical_id))))

    def alias(self, logical_id: str, attribute: str, *prop: str | int) -> None:
        """Findings on the model's `attribute` point at this property when it is written."""
        target = self.path(logical_id, *prop)
        if target in self.doc.values:
            self.aliases[("Resources", self.logical(logical_id), attribute)] = target

    def text(self, value: Any, logical_id: str, *prop: str | int) -> str:
        """A string the model needs; an unresolvable one is a located error naming the fix."""
        if isinstance(value, Unknown):
            raise self.doc.error(
                self.path(logical_id, *prop),
                f"{logical_id}.{'.'.join(str(p) for p in prop)} cannot be resolved offline"
                f" ({value.why}) — pass --parameter or write the value",
            )
        return "" if value is None else str(value)


def flag(value: Any, default: bool = False) -> bool:
    """A CloudFormation boolean (true, "true", "True"); Unknown or missing: the default."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return default


def number(value: Any, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def strings(value: Any) -> tuple[str, ...]:
    """A list property's known strings (Unknown entries cannot name a resource)."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    return tuple(str(v) for v in items if not isinstance(v, Unknown | dict | list))
