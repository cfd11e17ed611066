"""Proofs on a blueprint whose web servers admit SSH only from the office's prefix list: the
internet endpoint covers the office's addresses, so SSH is reachable from exactly those."""

from __future__ import annotations

from awsarch.analysis import parse_intent, prove
from awsarch.analysis.verdict import addresses_text
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.model import Architecture
from awsarch.usecases.proofs import prove_all

BLUEPRINT = """\
stack: demo
region: ap-northeast-2
prefix_lists:
  office: [203.0.113.0/24, 198.51.100.0/24]
servers:
  web:
    public_ports: [443]
    allow:
      - {ports: [22], from: office}
      - {ports: [80], from: com.amazonaws.global.cloudfront.origin-facing}
"""
INTENTS = (
    "internet -> web:443",  # everyone reaches HTTPS
    "internet -> web:22",  # someone on the internet (the office) reaches SSH
    "internet -/-> web:22",  # "nobody reaches SSH": false, the office does
    "internet -/-> web:3389",  # nothing else is open
    "internet -/-> web:80",  # CloudFront's list is not read before deploy
)


def _arch() -> Architecture:
    return expand(load_text(BLUEPRINT, file="b.yaml").blueprint)


def test_what_each_intent_says() -> None:
    proofs = {p.text: p for p in prove_all(_arch(), INTENTS)}
    assert proofs["internet -> web:443"].holds
    assert proofs["internet -> web:22"].holds
    assert proofs["internet -/-> web:3389"].holds
    ssh = proofs["internet -/-> web:22"]
    assert not ssh.holds
    assert ssh.summary.startswith("reachable on tcp/22")
    evidence = "\n".join(ssh.evidence)
    assert "internet addresses: 198.51.100.0/24, 203.0.113.0/24" in evidence, evidence
    assert "from prefix-list/office" in evidence
    cloudfront = proofs["internet -/-> web:80"]
    assert not cloudfront.holds
    assert cloudfront.summary.startswith("unknown")
    assert "com.amazonaws.global.cloudfront.origin-facing" in cloudfront.summary
    assert "entries are not read" in cloudfront.summary


def test_ssh_is_reachable_from_the_office_s_addresses_only() -> None:
    """The verdict's addresses are exactly the list's CIDRs, not the whole internet."""
    result = prove(_arch(), parse_intent("internet -> web:22"))
    (path,) = result.verdict.paths
    assert addresses_text(path.addresses) == "198.51.100.0/24, 203.0.113.0/24"
    https = prove(_arch(), parse_intent("internet -> web:443")).verdict.paths[0]
    assert addresses_text(https.addresses) != addresses_text(path.addresses)
