"""`awsarch report` on the seed blueprint, opened in a real headless browser, offline.

The page is written by the CLI in a real process, then Chromium (with a resolver that resolves
nothing) lays it out: a copy of the page carries a small script that measures every section and
writes the sizes into the DOM, which Chromium dumps; the untouched page is screenshotted.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from awsarch.render.report import CSP, SECTIONS
from tests.e2e.browser import WINDOW, dump_dom, read_png, screenshot

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "src" / "awsarch" / "blueprint" / "seed.yaml"
ALLOWED_URLS = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
MEASURE = """<script>
(() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    const text = (el.innerText || el.textContent).trim();
    return {w: r.width, h: r.height, top: r.top + scrollY, text: text.length}; };
  const out = {sections: {}};
  for (const s of document.querySelectorAll('section')) out.sections[s.id] = box(s);
  const svg = document.querySelector('#diagram svg');
  out.svg = svg ? {...box(svg), shapes: svg.querySelectorAll('rect, path').length} : null;
  out.intents = [...document.querySelectorAll('details.intent')].map(box);
  out.frames = [...document.querySelectorAll('#diagram svg g[data-id^="sg-frame:"]')].map(
    (g) => ({...box(g), tag: g.querySelector('text').textContent}));
  out.groups = [...document.querySelectorAll('#groups .group')].map(
    (g) => ({...box(g), name: g.querySelector('.sg-name').textContent,
             rules: g.querySelectorAll('tbody tr').length}));
  const colour = (c) => { const el = document.querySelector('.grid td.' + c);
    return el ? getComputedStyle(el).backgroundColor : null; };
  out.colours = {reachable: colour('reachable'), unreachable: colour('unreachable')};
  out.font = getComputedStyle(document.body).fontFamily;
  const banner = document.querySelector('.drift-banner');
  out.banner = banner ? {...box(banner), colour: getComputedStyle(banner).backgroundColor,
                         chips: document.querySelector('.chips').getBoundingClientRect().top}
                      : null;
  out.marks = [...document.querySelectorAll('#diagram svg g.drift')].map(box);
  if (svg) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map(
      (t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    const pane = svg.parentElement;
    out.diagram = {scale, smallest: Math.min(...sizes),
                   scrolls: pane.scrollWidth > pane.clientWidth};
  }
  const pre = document.createElement('pre');
  pre.id = 'measured'; pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
})();
</script>"""


def _write_report(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsarch", "report", "-o", "report.html"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The report the CLI writes for the seed blueprint, as a user would run it."""
    folder = tmp_path_factory.mktemp("report")
    shutil.copy(SEED, folder / "blueprint.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "awsarch", "report", "-o", "report.html"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 of 7 intents hold" in result.stdout
    yield folder / "report.html"


def _measured(page: Path, work: Path) -> dict[str, Any]:
    """Lay the page out in Chromium and read back what the measuring script saw."""
    html = page.read_text(encoding="utf-8")
    offline_with_script = CSP.replace("style-src", "script-src 'unsafe-inline'; style-src")
    probe = work / "measure.html"
    probe.write_text(
        html.replace(CSP, offline_with_script).replace("</body>", MEASURE + "</body>"),
        encoding="utf-8",
    )
    dom = dump_dom(work, probe)
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert found, "the measuring script did not run: " + dom[-500:]
    measured: dict[str, Any] = json.loads(unescape(found.group(1)))
    return measured


def test_every_section_is_laid_out_and_visible(page: Path, tmp_path: Path) -> None:
    """In a browser, the diagram and each section take real space, in order, with content."""
    measured = _measured(page, tmp_path)
    sections = measured["sections"]
    assert list(sections) == list(SECTIONS)
    tops = [sections[s]["top"] for s in SECTIONS]
    assert tops == sorted(tops)
    for name, box in sections.items():
        assert box["w"] > 600 and box["h"] > 80 and box["text"] > 20, (name, box)
        assert box["top"] + box["h"] <= WINDOW[1], f"{name} falls outside the screenshot"
    svg = measured["svg"]
    assert svg["w"] > 900 and svg["h"] > 400 and svg["shapes"] > 20, svg
    assert len(measured["intents"]) == 7
    assert all(i["h"] > 20 for i in measured["intents"])
    assert measured["colours"]["reachable"] != measured["colours"]["unreachable"]


def test_security_groups_are_drawn_and_listed(page: Path, tmp_path: Path) -> None:
    """Group web is a dashed frame around each web server, db-main around the database's
    primary and standby, each tagged with its name; each group's rules are a visible table."""
    measured = _measured(page, tmp_path)
    frames = measured["frames"]
    assert sorted(f["tag"] for f in frames) == ["db-main", "db-main", "web", "web"]
    assert all(f["w"] > 100 and f["h"] > 40 for f in frames), frames
    groups = {g["name"]: g for g in measured["groups"]}
    assert set(groups) == {"web", "db-main"}
    assert all(g["h"] > 60 and g["rules"] >= 2 for g in groups.values()), groups


def test_drift_banner_and_marks_are_visible(tmp_path: Path) -> None:
    """A live report whose stack drifted: an amber banner above the counts, visible at the top
    of the page, and the drifted resources outlined on the diagram. (Built from the seed with
    a drift list, as `report --live` passes it, so no emulator is needed here; the CLI's
    live path is the soak test in test_diagram_cli.py.)"""
    from awsarch.render.report import render_html
    from awsarch.render.report_data import build_report
    from awsarch.usecases.verify import verify_file

    verified = verify_file(str(SEED))
    report = build_report(
        verified.architecture,
        findings=verified.findings,
        proofs=verified.proofs,
        locate=verified.locate,
        title="demo — live",
        source="live",
        drift=("drift: ~ update sg/web: ingress", "drift: ~ update instance/web-1: type"),
        drifted=("sg/web", "instance/web-1"),
    )
    page = tmp_path / "live.html"
    page.write_text(render_html(report), encoding="utf-8")
    measured = _measured(page, tmp_path)
    banner = measured["banner"]
    assert banner is not None and banner["w"] > 600 and banner["h"] > 20, banner
    assert banner["top"] < 200 and banner["top"] < banner["chips"], banner
    assert banner["colour"] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), banner
    marks = measured["marks"]
    assert len(marks) == 2 and all(m["w"] > 100 and m["h"] > 40 for m in marks), marks


def test_labels_stay_readable_at_six_zones(tmp_path: Path) -> None:
    """Six zones make a wide diagram: the page scrolls it sideways at full size instead of
    shrinking it, so its smallest text (a security group's tag) is still 11 px on screen."""
    text = SEED.read_text(encoding="utf-8")
    for old, new in (
        ("region: ap-northeast-2", "region: us-east-1"),
        ("azs: 2", "azs: 6"),
        ("nat: single", "nat: per-az"),
        ("count: 2", "count: 6"),
    ):
        assert old in text
        text = text.replace(old, new)
    (tmp_path / "blueprint.yaml").write_text(text, encoding="utf-8")
    result = _write_report(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    diagram = _measured(tmp_path / "report.html", tmp_path)["diagram"]
    assert diagram["scrolls"], diagram
    assert diagram["smallest"] >= 11, diagram


def test_the_page_references_nothing_outside_itself(page: Path) -> None:
    """No external URL, no src attribute, links only inside the page, a fetch-nothing CSP."""
    html = page.read_text(encoding="utf-8")
    assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) <= ALLOWED_URLS
    assert not re.search(r"\ssrc\s*=", html)
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))
    assert "<script" not in html
    assert "default-src 'none'" in html


def test_screenshot_of_the_report(page: Path, tmp_path: Path) -> None:
    """The offline page renders to a full-size, non-blank PNG screenshot."""
    png = tmp_path / "report.png"
    screenshot(tmp_path, page, png)
    image = read_png(png)
    assert (image.width, image.height) == WINDOW
    assert image.distinct_bytes > 100, image
