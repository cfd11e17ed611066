"""The HTML report page: every section, escaped text, and nothing that reaches the network."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from awsarch.render.report import CSP, SECTIONS, render_html
from awsarch.render.report_data import (
    FindingRow,
    HopRow,
    IntentRow,
    MatrixCell,
    PathRow,
    Report,
)

HOSTILE = "<script>alert('x')</script> & \"q\""
ALLOWED_URLS = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
SVG = (
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><text>web &amp; db</text></svg>'
)


def _report(name: str = "web", **changes: object) -> Report:
    fields: dict[str, object] = {
        "title": f"stack {name}",
        "source": f"{name}.yaml",
        "svg": SVG,
        "findings": (
            FindingRow(
                severity="error",
                rule_id="NET001",
                resource=f"sg/{name}",
                message=f"{name} is open",
                location="blueprint.yaml:12:5",
            ),
        ),
        "intents": (
            IntentRow(
                text=f"internet -/-> {name}:22",
                kind="network",
                holds=False,
                summary="reachable on tcp/22",
                location="blueprint.yaml:40:5",
                paths=(
                    PathRow(
                        placement=f"internet -> {name}",
                        verdict="reachable",
                        hops=(
                            HopRow(
                                resource=f"sg/{name}",
                                kind="security-group-ingress",
                                decision="allow",
                                reason=f"{name} ingress tcp/22 from 0.0.0.0/0",
                            ),
                        ),
                    ),
                ),
            ),
            IntentRow(text="web cannot iam:*", kind="permission", holds=True, evidence=("x",)),
        ),
        "endpoints": ("internet", name),
        "cells": (
            MatrixCell(source="internet", destination=name, verdict="reachable", ports=("tcp/22",)),
            MatrixCell(source=name, destination="internet", verdict="partially-reachable"),
        ),
        "resource_count": 3,
        "rule_count": 23,
    }
    fields.update(changes)
    return Report(**fields)  # type: ignore[arg-type]


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text, to check structure without regexes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def test_every_section_is_present_with_its_content() -> None:
    """A reader finds the diagram, findings, intents and matrix, each under its own heading."""
    page = render_html(_report())
    ids = [attrs.get("id") for tag, attrs in _parse(page).tags if tag == "section"]
    assert ids == list(SECTIONS)
    assert "<svg xmlns" in page and "<?xml" not in page
    assert "NET001" in page and "blueprint.yaml:12:5" in page
    assert "security-group-ingress" in page and "blueprint.yaml:40:5" in page
    assert page.count('<td class="reachable"') == 1
    assert page.count('<td class="partially-reachable"') == 1


def test_names_with_markup_are_escaped_everywhere() -> None:
    """A resource named with < > & and quotes shows as text and never becomes markup."""
    page = render_html(_report(HOSTILE))
    assert "<script" not in page
    assert "alert(&#x27;x&#x27;)" in page
    parsed = _parse(page)
    assert not [tag for tag, _ in parsed.tags if tag == "script"]
    text = "".join(parsed.text)
    assert f"stack {HOSTILE}" in text
    assert f"sg/{HOSTILE}" in text
    assert f"{HOSTILE} ingress tcp/22 from 0.0.0.0/0" in text


def test_nothing_points_at_the_network() -> None:
    """The page fetches nothing: no external URL, no src, only in-page links, and a strict CSP."""
    page = render_html(_report())
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert urls <= ALLOWED_URLS
    for tag, attrs in _parse(page).tags:
        assert "src" not in attrs, tag
        href = attrs.get("href")
        assert href is None or href.startswith("#"), href
    metas = [a for tag, a in _parse(page).tags if tag == "meta" and "http-equiv" in a]
    assert metas == [{"http-equiv": "Content-Security-Policy", "content": CSP}]
    assert "default-src 'none'" in CSP


def test_failed_intents_are_open_and_held_ones_collapsed() -> None:
    """A refuted intent opens by itself with its path; a held one stays folded."""
    page = render_html(_report())
    details = [attrs for tag, attrs in _parse(page).tags if tag == "details"]
    intents = [d for d in details if "intent" in (d.get("class") or "")]
    assert [("open" in d) for d in intents] == [True, False]
    assert "intent failed" in (intents[0].get("class") or "")
    assert "✗" in page and "✓" in page


def test_no_findings_and_no_intents_still_read_well() -> None:
    """An architecture with nothing to report says so instead of showing empty tables."""
    page = render_html(_report(findings=(), intents=()))
    assert "No findings" in page
    assert "states no intents" in page
    assert '<table class="findings">' not in page


def test_drift_section_appears_only_with_drift() -> None:
    """A live report lists what drifted; a blueprint report has no drift section."""
    assert 'id="drift"' not in render_html(_report())
    page = render_html(_report(drift=("drift: ~ update sg/web: ingress",)))
    assert 'id="drift"' in page and "ingress" in page


def test_an_accepted_finding_shows_as_accepted_with_its_reason() -> None:
    """Not a plain info row: marked accepted, the severity it had, the reason and the expiry."""
    row = FindingRow(
        severity="info",
        rule_id="DATA004",
        resource="db/main",
        message="single-AZ",
        accepted="a dev copy <only>",
        was="error",
        expires="2027-01-31",
    )
    page = render_html(_report(findings=(row,)))
    findings = page.split('<section id="findings">')[1].split("</section>")[0]
    assert '<span class="sev accepted">accepted</span>' in findings
    assert "was error" in findings and 'class="sev info"' not in findings
    assert "Accepted:</strong> a dev copy &lt;only&gt; (until 2027-01-31)" in findings
    assert "1 accepted" in page.split("</header>")[0]
