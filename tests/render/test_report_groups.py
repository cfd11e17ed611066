"""Security groups in the pictures: frames around their members' cards, rules in the report."""

from __future__ import annotations

from awsarch.render.diagram import layout, render_svg
from awsarch.render.diagram_groups import tag_text
from awsarch.render.report_groups import group_rows
from tests.render.support import balanced, seed


def test_each_member_card_is_framed_and_tagged_with_its_group() -> None:
    """Group web around web-1 and web-2, db-main around the primary and the standby."""
    frames = {b.id: b for b in layout(seed()).boxes if b.kind == "sg"}
    assert {k: b.label for k, b in frames.items()} == {
        "sg-frame:instance/web-1": "web",
        "sg-frame:instance/web-2": "web",
        "sg-frame:db/main": "db-main",
        "sg-frame:db/main#standby": "db-main",
    }
    svg = render_svg(seed())
    assert svg.count("<title>Security group web</title>") == 2
    assert "Security group</text>" in svg  # the legend names the dashed frame


def test_a_long_group_name_is_cut_left_of_the_arrows() -> None:
    """The tag ends before the card's centre, where arrows arrive, with an ellipsis."""
    frame = next(b for b in layout(seed()).boxes if b.kind == "sg")
    long = frame.__class__(**{**frame.__dict__, "label": "a-very-long-security-group-name"})
    assert tag_text(long).endswith("…")
    assert len(tag_text(long)) < len(long.label)


def test_rules_are_listed_with_peers_by_name() -> None:
    """db-main admits MySQL from group web (by name); web admits 80 and 443 from anywhere."""
    rows = {g.name: g for g in group_rows(seed())}
    assert set(rows) == {"web", "db-main"}
    assert rows["web"].members == ("web-1", "web-2")
    inbound = [r for r in rows["db-main"].rules if r.direction == "inbound"]
    assert [(r.protocol, r.ports, r.peer) for r in inbound] == [("tcp", "3306", "group web")]
    assert [r.ports for r in rows["web"].rules if r.direction == "inbound"] == ["80", "443"]


def test_a_load_balancer_is_a_member_of_its_group() -> None:
    rows = {g.name: g for g in group_rows(balanced())}
    assert rows["lb-front"].members == ("shop-front",)
    assert [r.peer for r in rows["app"].rules if r.direction == "inbound"] == ["group lb-front"]
