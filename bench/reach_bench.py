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

For comparison (figures quoted in the project's issue for this kind of machine, not measured
here): checkov ≈ 13 s and cfn-lint ≈ 44 s on a 3,000-resource CloudFormation template, and
neither proves a single path.
Run: .venv/bin/python bench/reach_bench.py
"""

from __future__ import annotations

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
QUOTED = {"checkov (quoted)": 13.0, "cfn-lint (quoted)": 44.0}


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


def _verdict(label: str, wall: float, cpu: float, peak_mb: float) -> str:
    seconds, megabytes = TARGETS.get(label, (None, None))
    if seconds is None:
        return ""
    held = cpu < seconds and (megabytes is None or peak_mb < megabytes)
    limit = f"{seconds:.0f} s" + (f", {megabytes:.0f} MB" if megabytes else "")
    return f"  target < {limit}: {'met' if held else 'MISSED'} (CPU; wall {wall:.2f} s)"


def main() -> None:
    print(
        f"{'size':>8} {'resources':>9} {'check':>15} {'matrix':>15} {'check+matrix':>20}"
        "  check says"
    )
    print(f"{'':>8} {'':>9} {'wall/cpu s':>15} {'wall/cpu s':>15} {'cpu s, peak MB':>20}")
    with tempfile.TemporaryDirectory() as folder:
        for label, (groups, count) in SIZES.items():
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
            if label == "~3,000":
                total = check.wall + table.wall
                for tool, seconds in QUOTED.items():
                    print(f"{'':>8} at ~3,000: {seconds / total:5.1f}× faster than {tool}")


if __name__ == "__main__":
    main()
