"""Counts read as English wherever they are printed: one of a thing is singular."""

from __future__ import annotations

import re
from pathlib import Path as FilePath

import pytest
from click.testing import CliRunner

from awsarch.analysis import format_text, reach
from awsarch.analysis.sets import services_asked
from awsarch.blueprint.seed import seed_text
from awsarch.cli.demo_judges import _verdict_line
from awsarch.cli.main import cli
from awsarch.words import of_total, plural
from tests.analysis.build import seed, tcp
from tests.rules.support import findings, seed_arch, swap
from tests.rules.test_security import ingress


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (plural(1, "placement"), "1 placement"),
        (plural(0, "placement"), "0 placements"),
        (plural(2, "policy"), "2 policies"),
        (plural(2, "VPC"), "2 VPCs"),
        (of_total(1, 1, "placement"), "1 of 1 placement"),
        (of_total(0, 1, "placement"), "0 of 1 placement"),
        (of_total(3, 4, "placement"), "3 of 4 placements"),
        (plural(1, "inbound rule"), "1 inbound rule"),
    ],
)
def test_a_count_agrees_with_its_noun(text: str, expected: str) -> None:
    """`1 of 1 placement`, `0 policies`, `2 VPCs`: the noun agrees with the count."""
    assert text == expected


def test_a_single_placement_is_singular() -> None:
    """A proof between one instance and the internet counts `(1 of 1 placement)`, in the
    analysis's text and in the demo's line alike."""
    text = format_text(reach(seed(), "internet", "instance/web-1", tcp(80)))
    assert text.splitlines()[0].endswith("reachable (1 of 1 placement)")
    one = {"verdict": "unreachable", "paths": [{"verdict": "unreachable"}]}
    assert _verdict_line(one) == "unreachable (0 of 1 placement)"


def test_the_default_groups_rules_are_counted_in_english() -> None:
    """SEC005 says `1 inbound rule and 0 outbound rules`, never `rule(s)`."""
    plant = swap("sg/default", ingress=ingress("all", 0, 65535, "10.0.0.0/16"), egress=())
    (finding,) = findings("SEC005", plant(seed_arch()))
    assert "has 1 inbound rule and 0 outbound rules — " in finding.message


def test_check_and_report_count_findings_and_intents_alike(tmp_path: FilePath) -> None:
    """`check` and `report` end with the same words: `0 errors, N warnings; 7 of 7 intents
    hold`, never `other findings` beside `intents proved`."""
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(seed_text())
    checked = CliRunner().invoke(cli, ["check", str(blueprint)])
    reported = CliRunner().invoke(cli, ["report", str(blueprint), "-o", str(tmp_path / "r.html")])
    assert checked.exit_code == 0 and reported.exit_code == 0, checked.output + reported.output
    tail = re.search(r": (\d+ errors?, \d+ warnings?; \d+ of \d+ intents? holds?)", checked.output)
    assert tail, checked.output
    assert f": {tail[1]}" in reported.output
    assert "other finding" not in reported.output and "proved" not in checked.output


@pytest.mark.parametrize(
    ("protocol", "port", "asked"),
    [
        (None, None, "any port"),
        ("all", None, "any port"),
        ("udp", None, "udp, any port"),
        ("tcp", None, "tcp, any port"),
        (None, 22, "tcp/22"),
        ("udp", 53, "udp/53"),
        ("icmp", None, "icmp, any type"),
    ],
)
def test_every_port_reads_as_any_port(protocol: str | None, port: int | None, asked: str) -> None:
    """A question without a port says `any port` (`udp, any port`), never `udp/all`."""
    verdict = reach(seed(), "internet", "main", services_asked(protocol, port))
    assert format_text(verdict).splitlines()[0].startswith(f"internet -> main ({asked}): ")
