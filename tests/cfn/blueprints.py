"""Blueprints synth is tried on: the seed and the shapes people grow it into."""

from __future__ import annotations

from pathlib import Path

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text
from awsarch.model import Architecture

ROOT = Path(__file__).resolve().parent.parent.parent

THREE_AZ = seed_text().replace("azs: 2 ", "azs: 3 ")
PER_AZ = THREE_AZ.replace("nat: single ", "nat: per-az ")
THREE_TIER = """
stack: shop
region: us-east-1
network:
  cidr: 10.30.0.0/16
  azs: 3
  nat: per-az
  tiers:
    public: public
    app: private
    data: isolated
servers:
  web:
    count: 3
    tier: public
    public_ports: [80, 443]
    role: none
  app:
    count: 2
    type: t4g.small
    tier: app
    user_data: |
      #!/bin/bash
      dnf install -y nginx
    role:
      read_secrets: [main]
      allow:
        - actions: [s3:GetObject]
          resources: ["arn:aws:s3:::shop-assets/*"]
databases:
  main:
    engine: postgres
    version: "17.5"
    multi_az: false
    tier: data
    allow_from: [app]
    backup_days: 14
operators:
  groups:
    deployers: deployer
    viewers: viewer
  users:
    alice: [deployers]
"""
CLOUDFRONT = "com.amazonaws.global.cloudfront.origin-facing"
PREFIX_LISTS = (
    seed_text()
    .replace(
        "servers:\n", "prefix_lists:\n  office: [203.0.113.0/24, 198.51.100.0/24]\n\nservers:\n", 1
    )
    .replace(
        "    public_ports: [80, 443]",
        f"    allow: [{{ports: [22], from: office}}, {{ports: [80], from: {CLOUDFRONT}}}]\n"
        "    public_ports: [443]",
        1,
    )
)
BLUEPRINTS = {
    "seed": seed_text(),
    "three-az": THREE_AZ,
    "nat-per-az": PER_AZ,
    "three-tier": THREE_TIER,
    "render-fixture": (ROOT / "tests/render/fixtures/three_tier.yaml").read_text(),
    "prefix-lists": PREFIX_LISTS,
    "alb-three-tier": (ROOT / "src/awsarch/blueprint/three_tier.yaml").read_text(),
}


def architecture(text: str) -> Architecture:
    return expand(load_text(text, file="blueprint.yaml").blueprint)


GOLDEN_TEMPLATES = ("seed", "three-tier", "alb-three-tier")
"""Blueprints whose templates are kept as reviewed golden files (regenerate: make golden)."""


def golden_text(name: str) -> str:
    from awsarch.cfn.synth import dump, synthesize

    return dump(synthesize(architecture(BLUEPRINTS[name])))
