"""Architectures the diagram tests draw: the seed, the three-tier fixture, the three-tier
blueprint (load balancer, Auto Scaling group) over 2 or more zones, and generated grids."""

from __future__ import annotations

import re
from pathlib import Path

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_file, load_text
from awsarch.model import Architecture

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
SEED = ROOT / "src" / "awsarch" / "blueprint" / "seed.yaml"
THREE_TIER = Path(__file__).resolve().parent / "fixtures" / "three_tier.yaml"
BLUEPRINT = ROOT / "src" / "awsarch" / "blueprint" / "three_tier.yaml"
TIER_KINDS = (("public", "public"), ("private", "private"), ("data", "isolated"))


def seed() -> Architecture:
    return expand(load_file(str(SEED)).blueprint)


def three_tier() -> Architecture:
    return expand(load_file(str(THREE_TIER)).blueprint)


def balanced(azs: int = 2) -> Architecture:
    """`awsarch init --three-tier`'s blueprint as shipped (2 zones), or with `azs:` changed."""
    text, count = re.subn(
        r"^(\s*azs:)\s*\d+", rf"\g<1> {azs}", BLUEPRINT.read_text(encoding="utf-8"), flags=re.M
    )
    assert count == 1, "the blueprint has one azs: line"
    return expand(load_text(text, file=str(BLUEPRINT)).blueprint)


CASES = {
    "seed": seed,
    "three_az_three_tier": three_tier,
    "three_tier_blueprint_2az": balanced,
    "three_tier_blueprint_3az": lambda: balanced(3),
}
"""Golden file stem → the architecture it draws."""


def grid(azs: int, tiers: int) -> Architecture:
    """us-east-1 over `azs` AZs with the first `tiers` tiers, a web per AZ, NAT per AZ, a DB."""
    chosen = TIER_KINDS[:tiers]
    tier_lines = "".join(f"    {name}: {kind}\n" for name, kind in chosen)
    text = (
        "stack: grid\nregion: us-east-1\nnetwork:\n  cidr: 10.0.0.0/16\n"
        f"  azs: {azs}\n  nat: {'per-az' if tiers > 1 else 'none'}\n  tiers:\n{tier_lines}"
        f"servers:\n  web:\n    count: {azs}\n    tier: public\n    public_ports: [80, 443]\n"
        "databases:\n  main:\n    engine: mysql\n"
        f"    tier: {chosen[-1][0]}\n    multi_az: {'true' if azs > 1 else 'false'}\n"
        "    allow_from: [web]\n"
    )
    return expand(load_text(text, file="grid.yaml").blueprint)


def bench_blueprint(groups: int, count: int, *, azs: int = 6) -> Architecture:
    """The shape of bench/reach_bench.py's blueprints: `groups` server groups of `count`
    instances over `azs` zones, public and private in turn, a database per four groups
    admitting two of them."""
    servers = "".join(
        f"  g{g}: {{count: {count}, tier: {'public' if g % 2 == 0 else 'private'},"
        f" public_ports: {'[443]' if g % 2 == 0 else '[]'}}}\n"
        for g in range(groups)
    )
    databases = ""
    for d in range(max(groups // 4, 1)):
        names = ", ".join(f"g{g}" for g in (4 * d + 1, 4 * d + 3) if g < groups)
        databases += f"  db{d}: {{tier: private, allow_from: [{names}]}}\n"
    text = (
        "stack: bench\nregion: us-east-1\nnetwork:\n"
        f"  {{cidr: 10.0.0.0/16, azs: {azs}, nat: per-az,"
        " tiers: {public: public, private: private}}\n"
        f"servers:\n{servers}databases:\n{databases}"
    )
    return expand(load_text(text, file="bench.yaml").blueprint)
