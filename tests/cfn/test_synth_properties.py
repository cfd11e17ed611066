"""Hypothesis: whatever small blueprint a user writes, its template is cfn-lint clean."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsarch.cfn.lint import lint
from awsarch.cfn.synth import dump, synthesize

from .blueprints import architecture

VERSIONS = {"mysql": ["8.0", "8.0.42"], "postgres": ["16", "17.5"], "mariadb": ["10.11"]}


@st.composite
def blueprints(draw: st.DrawFn) -> dict[str, Any]:
    tiers = {"public": "public"}
    for name, kind in (("private", "private"), ("data", "isolated")):
        if draw(st.booleans()):
            tiers[name] = kind
    servers = {}
    for name in draw(st.lists(st.sampled_from(["web", "app"]), min_size=1, unique=True)):
        servers[name] = {
            "count": draw(st.integers(0, 3)),
            "type": draw(st.sampled_from(["t3.micro", "t4g.small", "m7g.large"])),
            "tier": draw(st.sampled_from(sorted(tiers))),
            "public_ports": draw(st.lists(st.sampled_from([22, 80, 443, 8080]), unique=True)),
            "imdsv2": draw(st.booleans()),
            "encrypted_root": draw(st.booleans()),
            "user_data": draw(st.sampled_from(["", "#!/bin/sh\necho hello\n"])),
        }
    data: dict[str, Any] = {
        "stack": draw(st.sampled_from(["demo", "shop", "a1"])),
        "region": draw(st.sampled_from(["eu-west-1", "us-east-1", "ap-northeast-2"])),
        "network": {
            "azs": draw(st.integers(1, 3)),
            "nat": draw(st.sampled_from(["none", "single", "per-az"])),
            "tiers": tiers,
        },
        "servers": servers,
    }
    if draw(st.booleans()):
        engine = draw(st.sampled_from(sorted(VERSIONS)))
        data["databases"] = {
            "main": {
                "engine": engine,
                "version": draw(st.sampled_from(VERSIONS[engine])),
                "multi_az": draw(st.booleans()),
                "tier": draw(st.sampled_from(sorted(tiers))),
                "allow_from": draw(st.lists(st.sampled_from(sorted(servers)), unique=True)),
                "allow_cidrs": draw(st.lists(st.sampled_from(["10.0.0.0/16"]), max_size=1)),
                "deletion_protection": draw(st.booleans()),
                "backup_days": draw(st.integers(0, 35)),
            }
        }
        for server in servers.values():
            if draw(st.booleans()):
                server["role"] = {"read_secrets": ["main"]}
    return data


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints())
def test_every_small_blueprint_synthesizes_cfn_lint_clean(data: dict[str, Any]) -> None:
    """A template synth writes is one cfn-lint finds nothing in, for any blueprint's shape."""
    _lint_clean(data)


@pytest.mark.soak
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints())
def test_many_small_blueprints_synthesize_cfn_lint_clean(data: dict[str, Any]) -> None:
    """As above, over many more shapes (`make soak`)."""
    _lint_clean(data)


def _lint_clean(data: dict[str, Any]) -> None:
    arch = architecture(yaml.safe_dump(data))
    text = dump(synthesize(arch))
    assert [str(p) for p in lint(text, arch.region)] == []
    assert dump(synthesize(arch)) == text
