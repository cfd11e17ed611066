"""The seed blueprint shipped with awsarch: the classic secure architecture."""

from __future__ import annotations

from importlib.resources import files


def seed_text() -> str:
    return files("awsarch.blueprint").joinpath("seed.yaml").read_text(encoding="utf-8")


def three_tier_text() -> str:
    """Load balancer → app servers in private subnets → MySQL (`awsarch init --three-tier`)."""
    return files("awsarch.blueprint").joinpath("three_tier.yaml").read_text(encoding="utf-8")
