"""`awsarch diagram` and `awsarch report` on generated blueprints of about 300, 3,000 and 30,000
resources (the blueprints of bench/reach_bench.py).

For each size it times both verbs as whole processes, in wall seconds and in CPU seconds (what
one core spends: steady even on a busy machine), then splits one in-process run into its parts
(CPU seconds): expanding the blueprint, proving the diagram's flows, drawing the SVG, and the
reachability matrix the report adds. The issue's target at ~30,000 resources: under 5 s each.
Run: .venv/bin/python bench/pictures_bench.py [SIZE ...]   (sizes: ~300 ~3,000 ~30,000)
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reach_bench import SIZES, blueprint, timed

from awsarch import analysis
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_file
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
    arch = cpu(parts, "expand", lambda: expand(load_file(str(path)).blueprint))
    flows = cpu(parts, "flows", lambda: proved_flows(arch))
    cpu(parts, "svg", lambda: render_svg(arch, flows))
    cpu(parts, "matrix", lambda: analysis.matrix(arch))
    return parts


def run(label: str, groups: int, count: int, folder: Path) -> None:
    path = folder / f"pictures-{groups}.yaml"
    path.write_text(blueprint(groups, count), encoding="utf-8")
    awsarch = str(BIN / "awsarch")
    diagram, diagram_cpu, said = timed([awsarch, "diagram", str(path), "-o", str(folder / "d.svg")])
    report, report_cpu, _ = timed([awsarch, "report", str(path), "-o", str(folder / "r.html")])
    flows = said.split(": ")[-1] if ": " in said else said
    verdict = "ok" if max(diagram_cpu, report_cpu) < TARGET else f"over {TARGET:.0f} s"
    print(
        f"{label:>8} {diagram:7.2f}s {diagram_cpu:7.2f}s {report:7.2f}s {report_cpu:7.2f}s"
        f"  {verdict:<9} {flows}"
    )
    parts = split(path)
    print(f"{'':>8} in-process CPU: " + ", ".join(f"{k} {v:.2f}s" for k, v in parts.items()))


def main() -> None:
    chosen = sys.argv[1:] or list(SIZES)
    unknown = [label for label in chosen if label not in SIZES]
    if unknown:
        raise SystemExit(f"unknown size {unknown[0]!r}: use {', '.join(SIZES)}")
    print(f"{'size':>8} {'diagram':>8} {'cpu':>8} {'report':>8} {'cpu':>8}  target    diagram says")
    with tempfile.TemporaryDirectory() as folder:
        for label in chosen:
            run(label, *SIZES[label], Path(folder))


if __name__ == "__main__":
    main()
