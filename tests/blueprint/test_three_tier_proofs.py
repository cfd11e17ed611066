"""The three-tier blueprint proves its intents, and each planted fault gives the right finding
and, where the fault opens a way in, the counterexample that shows it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from click.testing import CliRunner

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import three_tier_text
from awsarch.cli.main import cli
from awsarch.model import Peer, PortRange, SecurityGroupRule
from awsarch.usecases.verify import Verified, verify_architecture

BLUEPRINT = Path(__file__).resolve().parents[2] / "src/awsarch/blueprint/three_tier.yaml"
LISTENERS = """    listeners:
      - {port: 443, protocol: HTTPS}             # give `certificate:` an ACM ARN on AWS
      - {port: 80, protocol: HTTP, redirect: 443} # plain HTTP only redirects to HTTPS
"""
APP_TIER = "    tier: app\n    public_ports: []"


def verified(*edits: tuple[str, str]) -> Verified:
    """The blueprint with lines replaced, expanded, its rules run and its intents proved."""
    text = three_tier_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    loaded = load_text(text, file="three.yaml")
    return verify_architecture(loaded, expand(loaded.blueprint))


def rule_ids(result: Verified) -> set[str]:
    return {f.rule_id for f in result.findings if f.rule_id != "INTENT"}


def proof(result: Verified, text: str) -> object:
    return next(p for p in result.proofs if p.text == text)


def test_check_proves_every_intent_of_the_three_tiers() -> None:
    """`awsarch check three_tier.yaml`: no finding, every intent proved, exit 0."""
    result = CliRunner().invoke(cli, ["check", str(BLUEPRINT)])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings; 7 of 7 intents hold" in result.output
    assert "✓ internet -> app:8080 via front" in result.output


def test_app_group_open_to_the_internet_is_a_target_rule_finding() -> None:
    """public_ports: [8080] on app is SEC009; with no public address nobody gets in yet, so
    `internet -/-> app` still holds: the finding is what catches it."""
    result = verified(("public_ports: []", "public_ports: [8080]"))
    assert rule_ids(result) == {"SEC009"}
    (finding,) = result.findings
    assert finding.resource_id == "sg/app" and "0.0.0.0/0" in finding.message
    assert result.locate(finding.path) == "three.yaml:34:19"  # the [8080]
    assert all(p.holds for p in result.proofs)


def test_app_group_open_to_the_internet_in_the_public_tier_fails_the_direct_proof() -> None:
    """With public addresses as well, `internet -/-> app` fails: the counterexample goes
    straight in through sg/app's rule for 0.0.0.0/0, bypassing the load balancer."""
    result = verified((APP_TIER, "    tier: public\n    public_ports: [8080]"))
    assert rule_ids(result) == {"SEC008", "SEC009"}
    failed = [p for p in result.proofs if not p.holds]
    assert [p.text for p in failed] == ["internet -/-> app"]
    hops = failed[0].data["paths"][0]["hops"]
    assert hops[0] == {
        "resource": "instance/app-1",
        "kind": "public-address",
        "decision": "allow",
        "reason": "instance/app-1 has a public IP",
    }
    ingress = next(h for h in hops if h["kind"] == "security-group-ingress")
    assert ingress["resource"] == "sg/app" and "from 0.0.0.0/0" in ingress["reason"]
    assert ("error", "INTENT") in {(f.severity, f.rule_id) for f in result.findings}


def test_app_servers_with_public_ips_are_a_finding() -> None:
    """App in the public tier: SEC008 for each target; the group still keeps the internet out."""
    result = verified((APP_TIER, "    tier: public\n    public_ports: []"))
    assert rule_ids(result) == {"SEC008"}
    assert {f.resource_id for f in result.findings} == {"instance/app-1", "instance/app-2"}
    direct = proof(result, "internet -/-> app")
    assert direct.holds  # type: ignore[attr-defined]
    assert "first blocked at sg/app (security-group-ingress)" in direct.summary  # type: ignore[attr-defined]


def test_a_plain_http_listener_is_a_warning_and_443_has_no_way_in() -> None:
    """listeners: [{port: 80, protocol: HTTP}]: SEC007 warns; `internet -> front:443` fails
    at the load balancer's group (it admits the listener ports only); through port 80 the app
    is still reached."""
    result = verified((LISTENERS, "    listeners: [{port: 80, protocol: HTTP}]\n"))
    assert {(f.rule_id, f.severity) for f in result.findings if f.rule_id != "INTENT"} == {
        ("SEC007", "warning")
    }
    front = proof(result, "internet -> front:443")
    assert not front.holds  # type: ignore[attr-defined]
    blocked = front.data["blocked_by"][0]  # type: ignore[attr-defined]
    assert (blocked["resource"], blocked["kind"]) == ("sg/lb-front", "security-group-ingress")
    assert proof(result, "internet -> app:8080 via front").holds  # type: ignore[attr-defined]


def test_a_database_admitting_the_load_balancers_group_is_a_finding() -> None:
    """No blueprint key lets a database admit a load balancer: planted in the model, DATA010
    points at the database's allow_from."""
    loaded = load_text(three_tier_text(), file="three.yaml")
    arch = expand(loaded.blueprint)
    db_group = arch.security_group("sg/db-main")
    opened = SecurityGroupRule(
        protocol="tcp", ports=PortRange.single(3306), peer=Peer.group("sg/lb-front")
    )
    groups = tuple(
        dataclasses.replace(g, ingress=(*g.ingress, opened)) if g is db_group else g
        for g in arch.security_groups
    )
    result = verify_architecture(loaded, dataclasses.replace(arch, security_groups=groups))
    assert rule_ids(result) == {"DATA010"}
    (finding,) = result.findings
    assert finding.resource_id == "db/main" and "sg/lb-front" in finding.message
    assert finding.path == ("databases", "main", "allow_from")


def test_the_matrix_shows_the_load_balancer() -> None:
    """`awsarch reach three_tier.yaml --matrix`: front is a row and a column."""
    runner = CliRunner()
    text = runner.invoke(cli, ["reach", str(BLUEPRINT), "--matrix"])
    assert text.exit_code == 0, text.output
    header, _, *rows = text.output.splitlines()
    assert "front" in header.split()
    assert any(row.split()[0] == "front" for row in rows)
    result = runner.invoke(cli, ["reach", str(BLUEPRINT), "--matrix", "--format", "json"])
    document = json.loads(result.output)
    assert "front" in document["endpoints"]
    cell = next(
        c for c in document["cells"] if (c["source"], c["destination"]) == ("internet", "front")
    )
    assert cell["ports"] == ["tcp/80,443"]
