"""Proofs are byte for byte what they were before the engine was made fast.

The snapshots under `snapshots/` were written by the engine before its caches existed: the seed
and the three-tier blueprint, their whole matrix and a few full verdicts (every path, every hop,
every reason). Regenerate them only for an intended change of a verdict:
`.venv/bin/python -m tests.analysis.test_equivalence`.
"""

from __future__ import annotations

import gc
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from awsarch.analysis import (
    Network,
    endpoints,
    format_text,
    matrix,
    matrix_to_json,
    reach,
    reach_endpoints,
    to_json,
)
from awsarch.analysis.sets import Services
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text
from awsarch.model import Architecture, PortRange

from ..blueprint.golden import THREE_TIER

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
CASES = {"seed": seed_text(), "three_tier": THREE_TIER}
QUESTIONS: dict[str, list[tuple[str, str, str | None]]] = {
    "seed": [
        ("internet", "web", None),
        ("internet", "main", None),
        ("web", "main", "tcp/3306"),
        ("private", "internet", "tcp/443"),
        ("public", "private", None),
        ("instance/web-1", "db/main", None),
        ("main", "internet", "udp/53"),
    ],
    "three_tier": [
        ("internet", "web", "tcp/443"),
        ("internet", "orders", None),
        ("app", "orders", None),
        ("web", "orders", "tcp/5432"),
        ("app", "internet", None),
        ("data", "internet", None),
        ("web", "app", None),
    ],
}


@cache
def architecture(case: str) -> Architecture:
    return expand(load_text(CASES[case], file=f"{case}.yaml").blueprint)


def services(text: str | None) -> Services | None:
    if text is None:
        return None
    protocol, _, port = text.partition("/")
    return Services.of(protocol, PortRange.single(int(port)))


def answers(case: str) -> dict[str, Any]:
    """What the engine says about the case, in the form the snapshots keep."""
    arch = architecture(case)
    asked = {
        f"{src} -> {dst} ({port or 'any'})": to_json(reach(arch, src, dst, services(port)))
        for src, dst, port in QUESTIONS[case]
    }
    return {"matrix": matrix_to_json(matrix(arch)), "reach": asked}


def snapshot_text(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


@pytest.mark.parametrize("case", sorted(CASES))
def test_verdicts_match_the_snapshot(case: str) -> None:
    """Every matrix cell and every asked verdict, with its hops and reasons, is unchanged."""
    expected = (SNAPSHOTS / f"{case}.json").read_text(encoding="utf-8")
    assert snapshot_text(answers(case)) == expected


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_shared_network_answers_as_fresh_ones(case: str) -> None:
    """Answers cached by one Network for earlier questions never leak into later ones."""
    arch = architecture(case)
    shared = Network(arch)
    found = endpoints(arch)
    asked = [None, Services.of("tcp", PortRange.single(443)), Services.of("udp")]
    for query in asked:
        for src in found:
            for dst in found:
                if src.name == dst.name:
                    continue
                cached = reach_endpoints(shared, src, dst, query)
                fresh = reach_endpoints(Network(arch), src, dst, query)
                assert to_json(cached) == to_json(fresh)
                assert format_text(cached) == format_text(fresh)


def test_matrix_restores_the_cycle_collector() -> None:
    """Building a matrix leaves Python's garbage collector as it found it."""
    assert gc.isenabled()
    matrix(architecture("seed"))
    assert gc.isenabled()
    gc.disable()
    try:
        matrix(architecture("seed"))
        assert not gc.isenabled()
    finally:
        gc.enable()


if __name__ == "__main__":
    SNAPSHOTS.mkdir(exist_ok=True)
    for name in CASES:
        (SNAPSHOTS / f"{name}.json").write_text(snapshot_text(answers(name)), encoding="utf-8")
