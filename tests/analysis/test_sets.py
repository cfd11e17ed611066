"""Exact interval sets of ports and addresses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from awsarch.analysis.sets import (
    IntervalSet,
    Services,
    addresses,
    family,
    family_addresses,
    ports_text,
    public_addresses,
    to_cidrs,
)
from awsarch.model import PortRange


def test_two_halves_are_the_whole_internet() -> None:
    """0.0.0.0/1 plus 128.0.0.0/1 is exactly 0.0.0.0/0."""
    halves = addresses("0.0.0.0/1") | addresses("128.0.0.0/1")
    assert halves == family_addresses("IPv4") == addresses("0.0.0.0/0")
    assert to_cidrs(halves) == ["0.0.0.0/0"]


def test_difference_of_addresses_renders_as_cidrs() -> None:
    """Removing a /16 from 10/8 leaves the CIDRs around it."""
    rest = addresses("10.0.0.0/8") - addresses("10.0.0.0/16")
    assert addresses("10.1.0.0/16").intervals[0][0] == rest.intervals[0][0]
    assert to_cidrs(rest)[0] == "10.1.0.0/16"
    assert not rest.contains(addresses("10.0.5.0/24").intervals[0][0])


def test_ipv6_sits_beside_ipv4_and_garbage_is_no_address() -> None:
    """IPv6 CIDRs are addresses of their own family, never overlapping IPv4 ones; a prefix-list
    id is no address."""
    both = addresses("0.0.0.0/0", "::/0")
    assert (addresses("0.0.0.0/0") & addresses("::/0")).is_empty()
    assert to_cidrs(both) == ["0.0.0.0/0", "::/0"]
    assert [family(first) for first, _ in addresses("10.0.0.0/8", "2600:1f18::/56").intervals] == [
        "IPv4",
        "IPv6",
    ]
    assert to_cidrs(addresses("2600:1f18:0:1ff::/56")) == ["2600:1f18:0:100::/56"]
    assert addresses("pl-1234", "").is_empty()


def test_the_ipv6_internet_is_global_unicast() -> None:
    """The internet sends IPv6 from 2000::/3 only: not from link-local or unique-local space."""
    internet = public_addresses()
    assert internet.covers(addresses("2001:db8::/32", "2600::/16"))
    assert (internet & addresses("fe80::/10", "fc00::/7", "::1/128")).is_empty()


def test_port_range_contains_port() -> None:
    """3300-3310 contains 3306 and not 3311."""
    ports = Services.of("tcp", PortRange(first=3300, last=3310))
    assert ports.contains("tcp", 3306)
    assert not ports.contains("tcp", 3311)
    assert not ports.contains("udp", 3306)


def test_all_protocol_ignores_ports() -> None:
    """A rule for protocol `all` covers every protocol and port, whatever its port range."""
    assert Services.of("all", PortRange.single(80)) == Services.every()
    assert Services.every().to_text() == ["all"]


def test_port_text() -> None:
    """Port sets print as people write them."""
    web = Services.of("tcp", PortRange.single(80)) | Services.of("tcp", PortRange.single(443))
    assert web.to_text() == ["tcp/80,443"]
    assert ports_text("udp", IntervalSet.of((0, 65535))) == "udp/all"
    assert Services.of("icmp", None).to_text() == ["icmp"]
    assert str(Services.none()) == "nothing"


def test_adjacent_intervals_merge() -> None:
    """1-5 and 6-9 are one interval 1-9, so equal sets compare equal."""
    assert IntervalSet.of((1, 5), (6, 9)) == IntervalSet.of((1, 9))
    assert IntervalSet.of((1, 9)).intersection(IntervalSet.of((3, 4), (8, 20))) == IntervalSet.of(
        (3, 4), (8, 9)
    )


spans = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 200)).map(lambda t: (min(t), max(t))),
    max_size=6,
)


@given(spans, spans)
def test_set_algebra_matches_python_sets(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> None:
    """Union, intersection and difference agree with Python's sets member by member."""
    x, y = IntervalSet.of(*a), IntervalSet.of(*b)
    members = lambda s: {v for f, l in s.intervals for v in range(f, l + 1)}  # noqa: E731, E741
    assert members(x | y) == members(x) | members(y)
    assert members(x & y) == members(x) & members(y)
    assert members(x - y) == members(x) - members(y)
    assert (x - y).covers(x & y) is (members(x & y) <= members(x - y))


def test_icmp_reads_as_types_and_codes() -> None:
    """ICMP traffic is (type, code) pairs: a whole type, one code, several types."""
    from awsarch.model import PortRange

    assert Services.of("icmp", PortRange.icmp(8)).to_text() == ["icmp/8"]
    assert Services.of("icmp", PortRange.icmp(3, 4)).to_text() == ["icmp/3:4"]
    both = Services.of("icmp", PortRange.icmp(0)) | Services.of("icmp", PortRange.icmp(8))
    assert both.to_text() == ["icmp/0,8"]
    assert PortRange.icmp(3, 4).icmp_type_code() == (3, 4)
    assert PortRange.icmp(8).icmp_type_code() == (8, -1)
    assert PortRange.icmp().icmp_type_code() == (-1, -1)
