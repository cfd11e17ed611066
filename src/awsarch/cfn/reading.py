"""What every ingest step shares: the template's resources by type, resolved properties, and
where each resource and property sits (for findings)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from awsarch.blueprint.document import Document
from awsarch.cfn.intrinsics import Resolver, Unknown
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

    def of_type(self, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(logical id, resolved properties) of every resource of this type, in order."""
        for logical_id, resource in self.resources.items():
            if resource.get("Type") == kind:
                yield logical_id, self.props(logical_id)

    def props(self, logical_id: str) -> dict[str, Any]:
        if logical_id not in self._props:
            raw = self.resources[logical_id].get("Properties") or {}
            resolved = self.resolver.value(raw, self.path(logical_id))
            self._props[logical_id] = resolved if isinstance(resolved, dict) else {}
        return self._props[logical_id]

    def type_of(self, logical_id: str) -> str:
        return str((self.resources.get(logical_id) or {}).get("Type", ""))

    @staticmethod
    def path(logical_id: str, *prop: str | int) -> Path:
        return ("Resources", logical_id, "Properties", *prop)

    def origin(self, model_id: str, logical_id: str) -> None:
        self.origins.append((model_id, ("Resources", logical_id)))

    def alias(self, logical_id: str, attribute: str, *prop: str | int) -> None:
        """Findings on the model's `attribute` point at this property when it is written."""
        target = self.path(logical_id, *prop)
        if target in self.doc.values:
            self.aliases[("Resources", logical_id, attribute)] = target

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
