"""The model as plain JSON-ready data: golden files, drift reports and `--format json`."""

from __future__ import annotations

import dataclasses
from typing import Any

from awsarch.model.architecture import Architecture


def resource_to_dict(resource: Any) -> dict[str, Any]:
    """A resource's fields as JSON-ready data, with its type first."""
    data = dataclasses.asdict(resource)
    return {"type": type(resource).__name__, **_jsonable(data)}


def architecture_to_dict(arch: Architecture) -> dict[str, Any]:
    return {
        "stack": arch.stack,
        "region": arch.region,
        "resources": [resource_to_dict(r) for r in arch.resources()],
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
