"""Scale: interfaces that behave the same are proved once, so cost follows classes, not count.

Timings are printed (run with `-s` to see them), never asserted.
"""

from __future__ import annotations

import time
from functools import cache

from awsarch.analysis import Network, matrix, parse_intent, prove, reach, resolve
from awsarch.analysis.endpoints import instance_placement
from awsarch.analysis.reach import evaluate_pair
from awsarch.analysis.sets import Services
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.model import Architecture

from .build import seed

BIG = """
stack: big
region: us-east-1
network:
  cidr: 10.20.0.0/16
  azs: 3
  nat: per-az
  tiers: {public: public, app: private, data: isolated}
servers:
  web: {count: 50, tier: public, public_ports: [443]}
  app: {count: 100, tier: app}
  worker: {count: 50, tier: app}
databases:
  orders: {engine: postgres, version: "16.4", tier: data, allow_from: [app]}
"""
SEED_INTENTS = [
    "internet -> web:443",
    "internet -/-> main",
    "web -> main:3306",
    "private -> internet:443",
]


@cache
def big() -> Architecture:
    return expand(load_text(BIG, file="big.yaml").blueprint)


def test_instances_group_into_classes() -> None:
    """100 app servers over 3 subnets are 3 classes; every member is still named."""
    arch = big()
    assert len(arch.instances) == 200
    app = resolve(arch, "app")
    assert len(app.placements) == 3
    assert sum(len(p.members) for p in app.placements) == 100


def test_classes_give_the_same_answer_as_each_instance() -> None:
    """Proving per class equals proving per instance, instance by instance."""
    arch = big()
    net = Network(arch)
    verdict = reach(arch, "app", "orders")
    one_by_one = Services.none()
    for instance in (i for i in arch.instances if i.group == "app"):
        for db in resolve(arch, "orders").placements:
            one_by_one |= evaluate_pair(
                net, instance_placement(instance), db, Services.every()
            ).allowed
    assert verdict.reachable == one_by_one
    assert verdict.reachable.to_text() == ["tcp/5432"]
    assert reach(arch, "web", "orders").verdict == "unreachable"


def test_print_timings() -> None:
    """Measure, do not assert: the seed's intents and a 200-instance matrix."""
    started = time.perf_counter()
    results = [prove(seed(), parse_intent(line)) for line in SEED_INTENTS]
    seed_seconds = time.perf_counter() - started
    assert all(r.holds for r in results)
    started = time.perf_counter()
    m = matrix(big())
    big_seconds = time.perf_counter() - started
    started = time.perf_counter()
    prove(big(), parse_intent("app -> orders:5432"))
    intent_seconds = time.perf_counter() - started
    print(
        f"\nseed: 4 intents in {seed_seconds * 1000:.1f} ms; "
        f"200 instances: matrix of {len(m.cells)} cells in {big_seconds * 1000:.1f} ms, "
        f"one intent in {intent_seconds * 1000:.1f} ms"
    )
