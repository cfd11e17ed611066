"""`check` proves the seed's intents; `reach` answers on a blueprint: text, JSON, a matrix."""

from __future__ import annotations

import json
from pathlib import Path

from .test_cli import run


def _seed(tmp_path: Path) -> Path:
    run("init", cwd=tmp_path)
    return tmp_path / "blueprint.yaml"


def test_seed_proves_every_intent(tmp_path: Path) -> None:
    """The seed's promises all hold on the blueprint, each shown with its verdict."""
    _seed(tmp_path)
    result = run("check", cwd=tmp_path)
    assert result.returncode == 0
    assert "7 of 7 intents hold" in result.stdout
    assert "✓ internet -/-> main" in result.stdout


def test_opening_the_database_fails_the_right_intent_with_a_counterexample(tmp_path: Path) -> None:
    """A 0.0.0.0/0 rule and a public database make `internet -/-> main` fail, hop by hop."""
    path = _seed(tmp_path)
    text = path.read_text().replace("allow_from: [web]", "allow_cidrs: [0.0.0.0/0]")
    text = text.replace("    tier: private\n", "    tier: public\n    publicly_accessible: true\n")
    path.write_text(text)
    result = run("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 3
    report = json.loads(result.stdout)
    failed = [i for i in report["intents"] if not i["holds"]]
    assert [i["intent"] for i in failed] == ["internet -/-> main"]
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "internet -/-> main" in t)
    broken = next(i for i in failed if i["intent"] == "internet -/-> main")
    assert broken["location"].startswith(f"blueprint.yaml:{line}:")
    hops = broken["proof"]["paths"][0]["hops"]
    assert [h["kind"] for h in hops][:3] == ["public-address", "route", "internet-gateway"]
    assert any(h["resource"] == "sg/db-main" and h["decision"] == "allow" for h in hops)
    text_form = run("check", cwd=tmp_path).stdout
    assert "✗ internet -/-> main" in text_form and "security-group-ingress" in text_form


def test_unknown_endpoint_in_an_intent_points_at_its_line(tmp_path: Path) -> None:
    """An intent naming nothing is an input error at its line, listing the known endpoints."""
    path = _seed(tmp_path)
    text = path.read_text().replace("web -> main:3306", "web -> mian:3306")
    path.write_text(text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "mian" in t)
    result = run("check", cwd=tmp_path)
    assert result.returncode == 2
    assert f"blueprint.yaml:{line}:" in result.stderr and "unknown endpoint 'mian'" in result.stderr


def test_reach_json_contract(tmp_path: Path) -> None:
    """reach --format json keeps its stable shape: verdict, ports, paths of hops, blocked_by,
    and unknown_at (the hops awsarch could not judge)."""
    _seed(tmp_path)
    result = run("reach", "--from", "internet", "--to", "main", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0
    verdict = json.loads(result.stdout)
    assert set(verdict) == {
        "verdict",
        "source",
        "destination",
        "ports",
        "paths",
        "blocked_by",
        "unknown_at",
    }
    assert verdict["unknown_at"] == []
    assert verdict["verdict"] == "unreachable" and verdict["ports"] == []
    assert len(verdict["paths"]) == 2  # the primary's and the standby's subnet
    hop = verdict["paths"][0]["hops"][0]
    assert set(hop) == {"resource", "kind", "decision", "reason"} and hop["decision"] == "deny"
    assert verdict["blocked_by"][0]["resource"] == "db/main"


def test_reach_text_reads_like_a_traceroute(tmp_path: Path) -> None:
    """The text form numbers each hop and names the rule that let the packet pass."""
    _seed(tmp_path)
    result = run("reach", "--from", "web", "--to", "main", "--port", "3306", cwd=tmp_path)
    assert result.returncode == 0
    assert "reachable (4 of 4 placements)" in result.stdout
    assert "   5  allow  sg/db-main" in result.stdout


def test_reach_matrix_lists_every_endpoint(tmp_path: Path) -> None:
    """--matrix shows every endpoint against every other, with the reachable ports."""
    _seed(tmp_path)
    result = run("reach", "--matrix", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0
    table = json.loads(result.stdout)
    text = json.dumps(table)
    for name in ("internet", "web", "main", "public", "private"):
        assert f'"{name}"' in text


def test_reach_without_both_ends_is_a_usage_error(tmp_path: Path) -> None:
    """Asking reach without --from/--to (or --matrix) says what to write."""
    _seed(tmp_path)
    result = run("reach", "--from", "web", cwd=tmp_path)
    assert result.returncode == 2 and "--from A --to B" in result.stderr
