"""`awsarch diagram` and `awsarch report` on generated blueprints of about 300, 3,000 and 30,000
resources (the blueprints of bench/reach_bench.py).

For each size it times both verbs as whole processes, in wall seconds and in CPU seconds (what
one core spends: steady even on a busy machine), then splits one in-process run into its parts
(CPU seconds): expanding the blueprint, proving the diagram's flows, drawing the SVG, and the
reachability matrix the report adds. The issue's target at ~30,000 resources: under 5 s each.
With checkov and cfn-lint installed in bench/.venv (see bench/reach_bench.py), sizes up to the
wide one also print diagram's and report's figures ÷ each tool's on the CloudFormation template of
the same blueprint (below 1: awsarch takes less); without them one line says so.
Run: .venv/bin/python bench/pictures_bench.py [--with-anchors] [SIZE ...]
     (sizes: ~300 ~3,000 ~30,000 wide)
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reach_bench import (
    ANCHORED,
    SIZES,
    anchor_runs,
    anchor_tools,
    anchors_line,
    arguments,
    blueprint,
    ratio_lines,
    template_of,
    timed,
)

import awsarch
from awsarch import analysis
from awsarch.render.diagram import render_svg
from awsarch.render.proved_flows import proved_flows

BIN = Path(sys.executable).parent
TARGET = 5.0
T = TypeVar("T")


def cpu(parts: dict[str, float], name: str, work: Callable[[], T]) -> T:
    """Run the work, adding the CPU seconds it took to parts[name]."""
    start = time.process_time()
    result = work()
    parts[name] = time.process_time() - start
    return result


def split(path: Path) -> dict[str, float]:
    """Where one in-process run of the report's work spends its CPU seconds."""
    parts: dict[str, float] = {}
    arch = cpu(parts, "expand", lambda: awsarch.expand(awsarch.load(path)))
    flows = cpu(parts, "flows", lambda: proved_flows(arch))
    cpu(parts, "svg", lambda: render_svg(arch, flows))
    cpu(parts, "matrix", lambda: analysis.matrix(arch))
    return parts


def run(label: str, groups: int, count: int, folder: Path, tools: dict[str, Path]) -> None:
    path = folder / f"pictures-{groups}.yaml"
    path.write_text(blueprint(groups, count), encoding="utf-8")
    awsarch = str(BIN / "awsarch")
    diagram = timed([awsarch, "diagram", str(path), "-o", str(folder / "d.svg")])
    report = timed([awsarch, "report", str(path), "-o", str(folder / "r.html")])
    said = diagram.said
    flows = said.split(": ")[-1] if ": " in said else said
    verdict = "ok" if max(diagram.cpu, report.cpu) < TARGET else f"over {TARGET:.0f} s"
    print(
        f"{label:>8} {diagram.wall:7.2f}s {diagram.cpu:7.2f}s {report.wall:7.2f}s"
        f" {report.cpu:7.2f}s  {verdict:<9} {flows}"
    )
    if tools and label in ANCHORED:
        runs = anchor_runs(template_of(path), tools)
        for what, ours in (("diagram", diagram), ("report", report)):
            for line in ratio_lines(what, ours.wall, ours.cpu, runs):
                print(line, flush=True)
    parts = split(path)
    print(f"{'':>8} in-process CPU: " + ", ".join(f"{k} {v:.2f}s" for k, v in parts.items()))


def main() -> None:
    args = arguments()
    tools = anchor_tools(args.with_anchors)
    print(anchors_line(tools))
    print(f"{'size':>8} {'diagram':>8} {'cpu':>8} {'report':>8} {'cpu':>8}  target    diagram says")
    with tempfile.TemporaryDirectory() as folder:
        for label in args.sizes or SIZES:
            run(label, *SIZES[label], Path(folder), tools)


if __name__ == "__main__":
    main()
