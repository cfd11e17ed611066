"""The blueprints whose expanded models are kept as golden files."""

from __future__ import annotations

from typing import Any

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text
from awsarch.model.serialize import architecture_to_dict

THREE_TIER = """
stack: shop
region: us-east-1
network:
  cidr: 10.20.0.0/16
  azs: 3
  nat: per-az
  tiers: {public: public, app: private, data: isolated}
servers:
  web: {count: 3, tier: public, public_ports: [443]}
  app: {count: 3, tier: app, role: {read_secrets: [orders]}}
databases:
  orders: {engine: postgres, version: "16.4", tier: data, allow_from: [app]}
"""

GOLDEN_CASES = {"seed": seed_text(), "three_tier_per_az_nat": THREE_TIER}


def expanded_json(text: str) -> dict[str, Any]:
    return architecture_to_dict(expand(load_text(text, file="golden.yaml").blueprint))
