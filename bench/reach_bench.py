"""All-pairs reachability on generated architectures of about 300, 3,000 and 30,000 resources,
and on a wide one: 300 server groups of 9 instances (about 3,900 resources, 378 endpoints).

Each size is a blueprint with G server groups of c instances (half public, half private), a
database per four groups admitting two of them, and an intent per group and per database. It
times, as whole processes: `awsarch check` (every rule and every intent proved) and
`awsarch reach --matrix` (every endpoint against every other), in wall seconds, in CPU seconds
(the time the process spent on a core: steady even on a busy machine) and peak resident memory
(the child's own rusage, from os.wait4). The matrix proves each class of placements once, so its
cost follows distinct classes (routes, ACL, rules) and its memory the number of cells, not
instances. Targets (issue 17): wide, check + matrix under 2 s and 300 MB; 30,000 resources,
check + matrix under 3 s.

Anchors: when checkov and cfn-lint are installed in bench/.venv (bench/template_bench.py
installs them there, pinned; `--with-anchors` does the same here), each size up to the wide one
is also synthesised (`awsarch synth`, past its 500-resource refusal) to a CloudFormation
template of the same resources, both tools run on it, and the ratio awsarch ÷ tool is printed
(below 1: awsarch takes less). Neither tool proves a path. Without them, one line says so and
only awsarch's figures are printed. cfn-lint takes about 80 s on the ~3,000 template; 30,000 is
not anchored (many minutes each).
Run: .venv/bin/python bench/reach_bench.py [--with-anchors] [SIZE ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
SIZES = {"~300": (10, 25), "~3,000": (30, 95), "~30,000": (100, 295), "wide": (300, 9)}
TARGETS = {"wide": (2.0, 300.0), "~30,000": (3.0, None)}
"""Seconds and megabytes that check + matrix should stay under."""
BENCH_VENV = Path(__file__).resolve().parent / ".venv"
ANCHORS = ("checkov", "cfn-lint")
ANCHORED = ("~300", "~3,000", "wide")
"""Sizes the anchors run at: at ~30,000 each takes many minutes."""


def blueprint(groups: int, count: int) -> str:
    lines = [
        "stack: bench",
        "region: us-east-1",
        "network:",
        "  {cidr: 10.0.0.0/16, azs: 6, nat: per-az, tiers: {public: public, private: private}}",
        "servers:",
    ]
    for g in range(groups):
        tier = "public" if g % 2 == 0 else "private"
        ports = "[443]" if tier == "public" else "[]"
        lines.append(f"  g{g}: {{count: {count}, tier: {tier}, public_ports: {ports}}}")
    lines.append("databases:")
    for d in range(max(groups // 4, 1)):
        allowed = ", ".join(f"g{g}" for g in (4 * d + 1, 4 * d + 3) if g < groups)
        lines.append(f"  db{d}: {{tier: private, allow_from: [{allowed}]}}")
    lines.append("intents:")
    lines += [f"  - internet -> g{g}:443" for g in range(0, groups, 2)]
    lines += [f"  - internet -/-> db{d}" for d in range(max(groups // 4, 1))]
    lines += [
        f"  - g{4 * d + 1} -> db{d}:3306" for d in range(max(groups // 4, 1)) if 4 * d + 1 < groups
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    """User + system seconds of the process itself."""
    peak_mb: float
    said: str
    """The last line it printed."""


def timed(command: list[str]) -> Run:
    """Run one command as its own process and read its own resource usage when it ends."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, text=True)
        _, _, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = 0  # reaped by wait4 above
        out.seek(0)
        lines = out.read().strip().splitlines()
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    return Run(wall, usage.ru_utime + usage.ru_stime, peak_mb, lines[-1] if lines else "")


def anchor_tools(install: bool) -> dict[str, Path]:
    """checkov and cfn-lint from bench/.venv: installed (pinned, as template_bench.py does)
    only when asked; otherwise whichever are already there."""
    if install:
        from template_bench import bench_tools

        bench_tools()
    tools = {name: BENCH_VENV / "bin" / name for name in ANCHORS}
    return {name: path for name, path in tools.items() if path.exists()}


def anchors_line(tools: dict[str, Path]) -> str:
    missing = [name for name in ANCHORS if name not in tools]
    if not missing:
        return f"anchors: {', '.join(ANCHORS)} from {BENCH_VENV}"
    return (
        f"anchors: {' and '.join(missing)} not installed in {BENCH_VENV}: awsarch's figures only"
        " (--with-anchors installs them, pinned)"
    )


SYNTH = """
import sys
import awsarch
from awsarch.cfn import synth
synth.MAX_RESOURCES = 10**9
loaded = awsarch.load(sys.argv[1])
template = synth.synthesize(awsarch.expand(loaded), loaded.blueprint.intents)
open(sys.argv[2], "w", encoding="utf-8").write(synth.dump(template, "json"))
"""
"""`awsarch synth` without its 500-resources-per-stack refusal: the anchors read a template of
any size (as those of bench/template_bench.py), though CloudFormation would not deploy it."""


def template_of(path: Path) -> Path:
    """The blueprint's CloudFormation template, as `awsarch synth --format json` writes it."""
    out = path.with_suffix(".template.json")
    subprocess.run([sys.executable, "-c", SYNTH, str(path), str(out)], check=True)
    return out


def anchor_runs(template: Path, tools: dict[str, Path]) -> dict[str, Run]:
    """Each installed anchor on the template, as a whole process (findings or not)."""
    commands = {
        "checkov": [
            *("-f", str(template), "--framework", "cloudformation", "--quiet", "--compact")
        ],
        "cfn-lint": [str(template)],
    }
    return {name: timed([str(tools[name]), *commands[name]]) for name in ANCHORS if name in tools}


def ratio_lines(what: str, wall: float, cpu: float, runs: dict[str, Run]) -> list[str]:
    """awsarch's figures ÷ each anchor's on the same resources (below 1: awsarch takes less)."""
    return [
        f"{'':>8} {what} ÷ {name}: wall {wall / run.wall:6.3f}× ({wall:.2f} s vs {run.wall:.2f} s),"
        f" cpu {cpu / run.cpu:6.3f}× ({cpu:.2f} s vs {run.cpu:.2f} s),"
        f" {run.peak_mb:.0f} MB"
        for name, run in runs.items()
    ]


def _verdict(label: str, wall: float, cpu: float, peak_mb: float) -> str:
    seconds, megabytes = TARGETS.get(label, (None, None))
    if seconds is None:
        return ""
    held = cpu < seconds and (megabytes is None or peak_mb < megabytes)
    limit = f"{seconds:.0f} s" + (f", {megabytes:.0f} MB" if megabytes else "")
    return f"  target < {limit}: {'met' if held else 'MISSED'} (CPU; wall {wall:.2f} s)"


def arguments() -> argparse.Namespace:
    """SIZE ... (default: all) and --with-anchors."""
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", metavar="SIZE", help=", ".join(SIZES))
    parser.add_argument("--with-anchors", action="store_true", help="install the anchors first")
    args = parser.parse_args()
    unknown = [label for label in args.sizes if label not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}: use {', '.join(SIZES)}")
    return args


def main() -> None:
    args = arguments()
    tools = anchor_tools(args.with_anchors)
    print(anchors_line(tools))
    print(
        f"{'size':>8} {'resources':>9} {'check':>15} {'matrix':>15} {'check+matrix':>20}"
        "  check says"
    )
    print(f"{'':>8} {'':>9} {'wall/cpu s':>15} {'wall/cpu s':>15} {'cpu s, peak MB':>20}")
    with tempfile.TemporaryDirectory() as folder:
        for label in args.sizes or SIZES:
            groups, count = SIZES[label]
            path = Path(folder) / f"bench-{groups}-{count}.yaml"
            path.write_text(blueprint(groups, count), encoding="utf-8")
            check = timed([str(BIN / "awsarch"), "check", str(path)])
            table = timed([str(BIN / "awsarch"), "reach", str(path), "--matrix"])
            said = check.said
            resources = said.split(" on ")[-1].split(" ")[0] if " on " in said else "?"
            cpu, peak = check.cpu + table.cpu, max(check.peak_mb, table.peak_mb)
            print(
                f"{label:>8} {resources:>9} {check.wall:6.2f}/{check.cpu:5.2f}s"
                f" {table.wall:6.2f}/{table.cpu:5.2f}s {cpu:9.2f}s {peak:6.0f} MB"
                f"  {said[-60:]}"
            )
            verdict = _verdict(label, check.wall + table.wall, cpu, peak)
            if verdict:
                print(f"{'':>8}{verdict}")
            if tools and label in ANCHORED:
                runs = anchor_runs(template_of(path), tools)
                wall = check.wall + table.wall
                for line in ratio_lines("check+matrix", wall, cpu, runs):
                    print(line, flush=True)


if __name__ == "__main__":
    main()
