"""Several network interfaces per instance, table-driven: each interface is its own placement
(its subnet, its subnet's ACL, its groups, its public address); an instance is reachable when
some interface is, and the path names which one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from awsarch.analysis import Services, reach, to_json
from awsarch.model import Architecture, NetworkInterface, Peer, SecurityGroup

from .build import entry, rule, seed, tcp, with_acl

Edit = Callable[[Architecture], Architecture]
ENI = "instance/web-1 (eni-admin)"
"""How a path names web-1's second interface; its primary one is `instance/web-1`."""


def admin_group(*, cidr: str = "10.0.0.0/16") -> SecurityGroup:
    return SecurityGroup(
        id="sg/admin",
        name="admin",
        vpc_id="vpc/main",
        description="ssh",
        ingress=(rule("tcp", 22, 22, Peer.cidr(cidr)),),
        egress=(rule("all", 0, 0, Peer.cidr("0.0.0.0/0")),),
    )


def with_admin_interface(
    subnet: str = "subnet/private-a", *, public: bool = False, cidr: str = "10.0.0.0/16"
) -> Edit:
    """web-1 gets a second interface (device index 1) in `subnet` carrying only sg/admin."""

    def edit(arch: Architecture) -> Architecture:
        nic = NetworkInterface(
            id="eni-admin", subnet_id=subnet, security_group_ids=("sg/admin",), has_public_ip=public
        )
        instances = tuple(
            replace(i, secondary_interfaces=(nic,)) if i.id == "instance/web-1" else i
            for i in arch.instances
        )
        groups = (*arch.security_groups, admin_group(cidr=cidr))
        return replace(arch, instances=instances, security_groups=groups)

    return edit


def then(*edits: Edit) -> Edit:
    def edit(arch: Architecture) -> Architecture:
        for one in edits:
            arch = one(arch)
        return arch

    return edit


def private_a_acl(*, ssh: bool) -> Edit:
    """private-a gets its own ACL: 22 in allowed (or denied first), replies out allowed."""
    return lambda a: with_acl(
        a,
        ("subnet/private-a",),
        entry(90, egress=False, allow=ssh, protocol="tcp", ports=(22, 22)),
        entry(100, egress=False, protocol="tcp", ports=(3306, 3306)),
        entry(100, egress=True, protocol="tcp", ports=(1024, 65535)),
    )


@dataclass(frozen=True)
class Case:
    id: str
    edit: Edit
    source: str
    destination: str
    services: Services
    verdict: str
    through: frozenset[str] = frozenset()
    """Every member at either end of the passing paths: which interfaces carried the flow."""
    blocked_kinds: frozenset[str] = frozenset()


def kinds(*names: str) -> frozenset[str]:
    return frozenset(names)


CASES = [
    Case(
        "second-interface-acl-and-group-allow-22",
        then(with_admin_interface(), private_a_acl(ssh=True)),
        "public",
        "instance/web-1",
        tcp(22),
        "reachable",
        through=kinds("tier public", ENI),
        blocked_kinds=kinds("security-group-ingress"),
    ),
    Case(
        "second-interface-acl-denies-22",
        then(with_admin_interface(), private_a_acl(ssh=False)),
        "public",
        "instance/web-1",
        tcp(22),
        "unreachable",
        blocked_kinds=kinds("security-group-ingress", "network-acl-inbound"),
    ),
    Case(
        "second-interface-group-does-not-admit-the-source",
        then(with_admin_interface(cidr="10.0.8.0/21"), private_a_acl(ssh=True)),
        "public",
        "instance/web-1",
        tcp(22),
        "unreachable",
        blocked_kinds=kinds("security-group-ingress"),
    ),
    Case(
        "primary-groups-do-not-leak-onto-the-second-interface",
        with_admin_interface(),
        "public",
        "instance/web-1",
        tcp(443),
        "reachable",
        through=kinds("tier public", "instance/web-1"),
        blocked_kinds=kinds("security-group-ingress"),
    ),
    Case(
        "server-group-reachable-when-some-interface-is",
        with_admin_interface(),
        "web",
        "main",
        tcp(3306),
        "reachable",
        through=kinds("instance/web-1", "instance/web-2", "db/main"),
        blocked_kinds=kinds("security-group-ingress"),
    ),
    Case(
        "group-endpoint-covers-only-its-interfaces",
        with_admin_interface(),
        "sg/admin",
        "main",
        tcp(3306),
        "unreachable",
        blocked_kinds=kinds("security-group-ingress"),
    ),
    Case(
        "group-endpoint-leaves-out-the-other-interface",
        with_admin_interface(),
        "sg/web",
        "main",
        tcp(3306),
        "reachable",
        through=kinds("instance/web-1", "instance/web-2", "db/main"),
    ),
    Case(
        "second-interface-public-from-the-internet",
        with_admin_interface("subnet/public-b", public=True, cidr="0.0.0.0/0"),
        "internet",
        "instance/web-1",
        tcp(22),
        "reachable",
        through=kinds("internet", ENI),
        blocked_kinds=kinds("security-group-ingress"),
    ),
    Case(
        "second-interface-without-a-public-address",
        with_admin_interface("subnet/public-b", public=False, cidr="0.0.0.0/0"),
        "internet",
        "instance/web-1",
        tcp(22),
        "unreachable",
        blocked_kinds=kinds("security-group-ingress", "public-address"),
    ),
    Case(
        "primary-public-address-is-not-the-second-interface-s",
        with_admin_interface("subnet/private-a", public=False, cidr="0.0.0.0/0"),
        "internet",
        "instance/web-1",
        tcp(22),
        "unreachable",
        blocked_kinds=kinds("security-group-ingress", "public-address"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_interface(case: Case) -> None:
    """Each interface answers for itself: its subnet's ACL, its groups, its public address."""
    verdict = reach(case.edit(seed()), case.source, case.destination, case.services)
    assert verdict.verdict == case.verdict
    passing = [p for p in verdict.paths if p.reachable]
    ends = {m for p in passing for m in (*p.source.members, *p.destination.members)}
    assert ends == set(case.through)
    blocked = {p.blocked_by.kind for p in verdict.paths if p.blocked_by is not None}
    assert blocked == set(case.blocked_kinds)


def test_the_path_and_the_json_name_the_interface() -> None:
    """The passing path is the second interface's, in its subnet, and the JSON says so; the
    primary interface keeps the instance's plain id."""
    arch = then(with_admin_interface(), private_a_acl(ssh=True))(seed())
    answer = to_json(reach(arch, "public", "instance/web-1", tcp(22)))
    passing = {p["placement"] for p in answer["paths"] if p["verdict"] == "reachable"}
    assert passing == {
        "tier public (subnet/public-a) -> instance/web-1 (eni-admin) (subnet/private-a)",
        "tier public (subnet/public-b) -> instance/web-1 (eni-admin) (subnet/private-a)",
    }
    blocked = {b["placement"] for b in answer["blocked_by"]}
    assert "tier public (subnet/public-b) -> instance/web-1 (subnet/public-a)" in blocked
    ingress = [h for p in answer["paths"] for h in p["hops"] if "sg/admin" in h["resource"]]
    assert ingress and all(h["kind"] == "security-group-ingress" for h in ingress)


def test_merged_groups_used_to_admit_what_the_interface_does_not() -> None:
    """Read as one interface with both interfaces' groups (the old discovery), web-1 was
    reachable on 22 in its public subnet; read per interface, 22 is only admitted on the second
    interface, whose subnet's ACL denies it: unreachable."""
    split = then(with_admin_interface(), private_a_acl(ssh=False))(seed())
    merged = replace(
        split,
        instances=tuple(
            replace(i, security_group_ids=("sg/web", "sg/admin"), secondary_interfaces=())
            if i.id == "instance/web-1"
            else i
            for i in split.instances
        ),
    )
    assert reach(merged, "public", "instance/web-1", tcp(22)).verdict == "reachable"
    assert reach(split, "public", "instance/web-1", tcp(22)).verdict == "unreachable"


def test_the_intent_holds_through_one_interface() -> None:
    """`public -> instance/web-1:22` holds when the second interface admits it; `-/->` fails
    and its counterexample is that interface's path."""
    from awsarch.analysis import parse_intent
    from awsarch.analysis.intents import prove

    arch = then(with_admin_interface(), private_a_acl(ssh=True))(seed())
    assert prove(arch, parse_intent("public -> instance/web-1:22")).holds
    denied = prove(arch, parse_intent("public -/-> instance/web-1:22"))
    assert not denied.holds and denied.counterexample is not None
    assert denied.counterexample.destination.members == (ENI,)
