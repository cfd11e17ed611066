"""Wildcard matching and pattern intersection behave as the permission proofs rely on."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from awsarch.analysis.iam_match import (
    action_matches,
    covers,
    intersection_witness,
    resource_matches,
    string_like,
)

PATTERNS = st.text(alphabet="ab:*?", max_size=3)
STRINGS = ["".join(p) for n in range(7) for p in product("ab:", repeat=n)]


@settings(max_examples=300, deadline=None)
@given(PATTERNS, PATTERNS)
def test_intersection_is_exact(a: str, b: str) -> None:
    """A witness matches both patterns, and no witness means no string matches both."""
    witness = intersection_witness(a, b, ignore_case=False)
    if witness is not None:
        assert string_like(a, witness) and string_like(b, witness)
    else:
        assert not any(string_like(a, s) and string_like(b, s) for s in STRINGS)


@settings(max_examples=300, deadline=None)
@given(PATTERNS, PATTERNS)
def test_covers_is_sound(outer: str, inner: str) -> None:
    """A pattern said to cover another matches every string the other matches."""
    if covers(outer, inner, actions=True):
        assert all(action_matches(outer, s) for s in STRINGS if action_matches(inner, s))


def test_actions_ignore_case_and_cross_the_prefix() -> None:
    """`*` matches every action, service prefix included, in any letter case."""
    assert action_matches("*", "iam:CreateUser")
    assert action_matches("IAM:Create*", "iam:createuser")
    assert not action_matches("iam:Create?", "iam:CreateUser")


def test_resource_star_stays_in_its_segment_unless_last() -> None:
    """A `*` inside an ARN segment stops at a colon; at the end of a segment it may cross it."""
    assert resource_matches("arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/a:b")
    assert not resource_matches("arn:aws:s3:::a*z", "arn:aws:s3:::a:z")
    assert resource_matches("*", "secret-of:db/main")
