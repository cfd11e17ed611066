"""Invariants that hold for every architecture, checked with Hypothesis."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from awsarch.analysis import matrix, reach
from awsarch.model import Architecture, NetworkInterface, Peer, PortRange, SecurityGroupRule

from .build import entry, seed, tcp, with_acl, with_group


@cache
def _bases() -> list[Architecture]:
    strict = with_acl(
        seed(),
        ("subnet/private-a",),
        entry(90, egress=False, allow=False, protocol="tcp", ports=(22, 22)),
        entry(100, egress=False, protocol="tcp", ports=(0, 4000)),
        entry(100, egress=True, protocol="tcp", ports=(1024, 65535)),
    )
    narrow = with_group(seed(), "sg/web", egress=())
    return [seed(), strict, narrow]


peers = st.one_of(
    st.sampled_from(["0.0.0.0/0", "0.0.0.0/1", "10.0.0.0/16", "10.0.8.0/24", "192.0.2.0/24"]).map(
        Peer.cidr
    ),
    st.sampled_from(["sg/web", "sg/db-main", "sg/default"]).map(Peer.group),
)
ports = st.tuples(st.integers(0, 65535), st.integers(0, 65535)).map(
    lambda t: PortRange(first=min(t), last=max(t))
)
rules = st.builds(
    SecurityGroupRule,
    protocol=st.sampled_from(["tcp", "udp", "icmp", "all"]),
    ports=ports,
    peer=peers,
)


@settings(max_examples=40, deadline=None)
@given(
    base=st.sampled_from(range(3)),
    group=st.sampled_from(["sg/web", "sg/db-main", "sg/default"]),
    egress=st.booleans(),
    extra=rules,
)
def test_adding_an_allow_rule_never_removes_a_flow(
    base: int, group: str, egress: bool, extra: SecurityGroupRule
) -> None:
    """Security groups only allow: one more rule can open flows, never close one."""
    before_arch = _bases()[base]
    current = next(g for g in before_arch.security_groups if g.id == group)
    after_arch = with_group(
        before_arch,
        group,
        egress=(*current.egress, extra) if egress else None,
        ingress=None if egress else (*current.ingress, extra),
    )
    before, after = matrix(before_arch), matrix(after_arch)
    for old, new in zip(before.cells, after.cells, strict=True):
        assert new.reachable.covers(old.reachable), (old.source, old.destination)
        assert new.verdict != "unknown", "only modelled components here: every answer is known"
        old_full = before.paths(old.source, old.destination)
        new_full = after.paths(new.source, new.destination)
        assert old_full is not None and new_full is not None
        for old_path, new_path in zip(old_full.paths, new_full.paths, strict=True):
            assert new_path.allowed.covers(old_path.allowed)


acl_entries = st.builds(
    lambda number, egress, protocol, ports: entry(
        number, egress=egress, allow=False, protocol=protocol, ports=(ports.first, ports.last)
    ),
    st.integers(1, 32766),
    st.booleans(),
    st.sampled_from(["tcp", "udp", "all"]),
    ports,
)


@settings(max_examples=30, deadline=None)
@given(
    base=st.sampled_from(range(3)),
    subnet=st.sampled_from(["subnet/public-a", "subnet/private-b"]),
    deny=acl_entries,
)
def test_adding_a_deny_acl_entry_never_adds_a_flow(base: int, subnet: str, deny: object) -> None:
    """A deny entry can only close flows: nothing reachable after it was unreachable before."""
    before_arch = _bases()[base]
    acl = before_arch.network_acl_of(subnet)
    assert acl is not None
    after_arch = with_acl(before_arch, (subnet,), *acl.entries, deny)  # type: ignore[arg-type]
    before, after = matrix(before_arch), matrix(after_arch)
    for old, new in zip(before.cells, after.cells, strict=True):
        assert old.reachable.covers(new.reachable), (old.source, old.destination)


@settings(max_examples=30, deadline=None)
@given(
    base=st.sampled_from(range(3)),
    extra=st.lists(rules, min_size=1, max_size=4),
    order=st.randoms(use_true_random=False),
)
def test_the_order_of_rules_in_a_group_does_not_matter(
    base: int, extra: list[SecurityGroupRule], order: object
) -> None:
    """Security group rules are a set: shuffling them never changes a verdict."""
    arch = _bases()[base]
    group = next(g for g in arch.security_groups if g.id == "sg/db-main")
    rules_in_order = [*group.ingress, *extra]
    shuffled = list(rules_in_order)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    first = matrix(with_group(arch, "sg/db-main", ingress=tuple(rules_in_order)))
    second = matrix(with_group(arch, "sg/db-main", ingress=tuple(shuffled)))
    for a, b in zip(first.cells, second.cells, strict=True):
        assert a.reachable == b.reachable and a.verdict == b.verdict


@settings(max_examples=30, deadline=None)
@given(
    base=st.sampled_from(range(3)),
    first=st.sampled_from(["198.51.100.0/24", "10.0.8.0/24", "0.0.0.0/1"]),
    added=st.sampled_from(["203.0.113.0/24", "10.0.0.0/16", "128.0.0.0/1", "192.0.2.7/32"]),
    ports=ports,
)
def test_an_added_prefix_list_entry_never_removes_a_flow(
    base: int, first: str, added: str, ports: PortRange
) -> None:
    """A prefix list only admits: one more entry can open flows, never close one."""

    def with_list(*entries: str) -> Architecture:
        peer = Peer(kind="prefix-list", value="pl-0abc", entries=entries)
        rule = SecurityGroupRule(protocol="tcp", ports=ports, peer=peer)
        current = next(g for g in _bases()[base].security_groups if g.id == "sg/web")
        return with_group(_bases()[base], "sg/web", ingress=(*current.ingress, rule))

    before, after = matrix(with_list(first)), matrix(with_list(first, added))
    for old, new in zip(before.cells, after.cells, strict=True):
        assert new.reachable.covers(old.reachable), (old.source, old.destination)
        assert new.verdict != "unknown"


SUBNETS = ("subnet/public-a", "subnet/public-b", "subnet/private-a", "subnet/private-b")
OTHERS = ("internet", "public", "private", "main", "web", "instance/web-2", "sg/web")
interfaces = st.builds(
    NetworkInterface,
    id=st.sampled_from(["eni-0a", "eni-0b"]),
    subnet_id=st.sampled_from(SUBNETS),
    security_group_ids=st.lists(
        st.sampled_from(["sg/web", "sg/db-main", "sg/default"]), max_size=2, unique=True
    ).map(tuple),
    has_public_ip=st.booleans(),
)


@settings(max_examples=30, deadline=None)
@given(base=st.sampled_from(range(3)), nic=interfaces, wanted=st.sampled_from([None, 22, 443]))
def test_an_added_interface_never_removes_a_flow(
    base: int, nic: NetworkInterface, wanted: int | None
) -> None:
    """An instance is reachable when some interface is: one more interface can open flows from
    or to the instance (and its server group), never close one, nor make a reachable one less."""
    before_arch = _bases()[base]
    after_arch = replace(
        before_arch,
        instances=tuple(
            replace(i, secondary_interfaces=(*i.secondary_interfaces, nic))
            if i.id == "instance/web-1"
            else i
            for i in before_arch.instances
        ),
    )
    services = None if wanted is None else tcp(wanted)
    for end in ("instance/web-1", "web"):
        for other in OTHERS:
            for source, destination in ((end, other), (other, end)):
                old = reach(before_arch, source, destination, services)
                new = reach(after_arch, source, destination, services)
                assert new.reachable.covers(old.reachable), (source, destination)
                assert new.verdict != "unknown"
                if old.verdict == "reachable":
                    assert new.verdict == "reachable", (source, destination)
