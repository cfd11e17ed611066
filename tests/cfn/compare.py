"""Two models compared resource by resource and field by field, with a diff people can read."""

from __future__ import annotations

from typing import Any

from awsarch.model import Architecture
from awsarch.model.serialize import resource_to_dict

NOT_COMPARED = ("origins", "logical_ids", "aws_prefix_lists", "account")
"""Architecture fields outside the comparison, on purpose: `origins` are where a resource was
written (a blueprint path, or the template's `Resources.<LogicalId>`), never the resource itself;
`logical_ids`, `aws_prefix_lists` and `account` are read from a live account, not from a
blueprint or a template. (They are also `compare=False` on the model.)"""


MEMBERS = """An Auto Scaling group's instances are compared like every other instance, by id and
field: no template holds them (the group launches them once deployed), so template-in reads them
as the blueprint expands them — `DesiredCapacity` members `instance/<group>-<n>` from the group's
launch template, round-robin over its subnets in the order written (cfn/ingest_balancing.py).
What is compared is therefore synth's launch template (groups, public address, IMDSv2, root
encryption, profile, user data), the group's subnets and its desired capacity, not live ids."""


def differences(expected: Architecture, actual: Architecture) -> list[str]:
    """What differs, one line each: a resource on one side only, or a field's two values.
    Resources are matched by id; the fields in NOT_COMPARED are left out."""
    found = [
        f"{name}: {getattr(expected, name)!r} != {getattr(actual, name)!r}"
        for name in ("stack", "region")
        if getattr(expected, name) != getattr(actual, name)
    ]
    want = {r.id: _normal(resource_to_dict(r)) for r in expected.resources()}
    got = {r.id: _normal(resource_to_dict(r)) for r in actual.resources()}
    found += [
        f"{rid}: only in the expected model ({want[rid]['type']})"
        for rid in want.keys() - got.keys()
    ]
    found += [
        f"{rid}: only in the actual model ({got[rid]['type']})" for rid in got.keys() - want.keys()
    ]
    for rid in sorted(want.keys() & got.keys()):
        found += [f"{rid}.{line}" for line in _fields(want[rid], got[rid])]
    return sorted(found)


def _normal(data: dict[str, Any]) -> dict[str, Any]:
    """A principal's policies by name: IAM evaluates them as a set, and a template writes them
    in three places (managed ARNs, inline `Policies`, policy resources of their own)."""
    for key in ("policies", "inline_policies"):
        if key in data:
            data[key] = sorted(data[key], key=lambda p: p["name"])
    return data


def _fields(want: dict[str, Any], got: dict[str, Any]) -> list[str]:
    return [
        f"{key}: expected {want.get(key)!r}, got {got.get(key)!r}"
        for key in sorted(want.keys() | got.keys())
        if want.get(key) != got.get(key)
    ]
