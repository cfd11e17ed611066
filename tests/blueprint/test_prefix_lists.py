"""A blueprint names managed prefix lists: its own (`prefix_lists:`), an existing one by id, or an
AWS-managed one by name; a server group admits ports from them (`allow:`)."""

from __future__ import annotations

import pytest

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.errors import InputError
from awsarch.model import Architecture, Peer, PrefixList, SecurityGroupRule

BLUEPRINT = """\
stack: demo
region: ap-northeast-2
prefix_lists:
  office: {cidrs: [203.0.113.0/24, 198.51.100.0/24], max_entries: 10}
  vpn: [192.0.2.0/28]
servers:
  web:
    count: 1
    public_ports: [443]
    allow:
      - {ports: [22], from: office}
      - {ports: [80, 8080], from: com.amazonaws.global.cloudfront.origin-facing}
      - {ports: [53], from: pl-0abc12345678, protocol: udp}
"""


def _expand(text: str = BLUEPRINT) -> Architecture:
    return expand(load_text(text, file="b.yaml").blueprint)


def _ingress(text: str = BLUEPRINT) -> dict[tuple[str, int], SecurityGroupRule]:
    group = _expand(text).security_group("sg/web")
    return {(r.protocol, r.ports.first): r for r in group.ingress}


def test_the_blueprint_s_own_lists_become_resources_with_sorted_cidrs() -> None:
    """`max_entries` defaults to the number of CIDRs; a bare list is short for `{cidrs: …}`."""
    arch = _expand()
    assert arch.prefix_lists == (
        PrefixList(
            id="prefix-list/office",
            name="office",
            cidrs=("198.51.100.0/24", "203.0.113.0/24"),
            max_entries=10,
        ),
        PrefixList(id="prefix-list/vpn", name="vpn", cidrs=("192.0.2.0/28",), max_entries=1),
    )
    assert arch.origin("prefix-list/office") == ("prefix_lists", "office")


def test_a_rule_from_an_own_list_carries_its_cidrs() -> None:
    """The proof knows exactly which addresses the rule admits."""
    rule = _ingress()[("tcp", 22)]
    assert rule.peer == Peer(
        kind="prefix-list",
        value="prefix-list/office",
        entries=("198.51.100.0/24", "203.0.113.0/24"),
    )


def test_an_existing_or_aws_managed_list_is_named_as_written_with_entries_unread() -> None:
    """Not read before deploy: a proof that depends on it says `unknown`."""
    rules = _ingress()
    cloudfront = Peer(
        kind="prefix-list", value="com.amazonaws.global.cloudfront.origin-facing", entries=None
    )
    assert rules[("tcp", 80)].peer == cloudfront
    assert rules[("tcp", 8080)].peer == cloudfront
    assert rules[("udp", 53)].peer == Peer(kind="prefix-list", value="pl-0abc12345678")
    assert rules[("tcp", 443)].peer == Peer.cidr("0.0.0.0/0")


def test_a_blueprint_without_lists_expands_as_before() -> None:
    arch = _expand(BLUEPRINT.split("prefix_lists:")[0] + "servers: {web: {count: 1}}\n")
    assert arch.prefix_lists == ()


def _error(text: str) -> str:
    with pytest.raises(InputError) as raised:
        load_text(text, file="b.yaml")
    return str(raised.value)


def _line(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "from: office}",
            "from: ofice}",
            ["no prefix list named 'ofice'", "did you mean 'office'"],
        ),
        ("from: office}", "from: nowhere}", ["no prefix list named 'nowhere'", "pl-…"]),
        ("ports: [22]", "ports: [70000]", ["servers.web.allow.0.ports.0 is 70000"]),
        ("ports: [22]", "ports: []", ["servers.web.allow.0.ports needs at least 1"]),
        ("protocol: udp", "protocol: icmp", ["'icmp' is not one of tcp, udp"]),
        (
            "203.0.113.0/24,",
            "203.0.113.1/24,",
            ["is not a valid CIDR", "did you mean 203.0.113.0/24"],
        ),
        ("max_entries: 10", "max_entries: 1", ["has 2 CIDRs but max_entries is 1"]),
        ("max_entries: 10", "max_entries: 1001", ["outside 1–1000"]),
        ("vpn: [192.0.2.0/28]", "vpn: []", ["prefix_lists.vpn.cidrs needs at least 1"]),
        ("vpn: [192.0.2.0/28]", "vpn: [2001:db8::/32]", ["is not a valid CIDR"]),
        ("{ports: [22], from: office}", "{ports: [22]}", ["needs 'from'"]),
        ("{ports: [22], from: office}", "{ports: [22], form: office}", ["did you mean 'from'"]),
    ],
)
def test_located_one_line_errors(old: str, new: str, words: list[str]) -> None:
    """Each error points at the line the user must fix and says what to do."""
    assert old in BLUEPRINT
    text = BLUEPRINT.replace(old, new, 1)
    message = _error(text)
    assert "\n" not in message
    assert f"b.yaml:{_line(text, new.split(',')[0].strip('{[ '))}:" in message, message
    for word in words:
        assert word in message, message
