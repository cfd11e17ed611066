"""All-pairs reachability on generated architectures of about 300, 3,000 and 30,000 resources.

Each size is a blueprint with G server groups of c instances (half public, half private), a
database per four groups admitting two of them, and an intent per group and per database. It
times, as whole processes: `awsarch check` (every rule and every intent proved) and
`awsarch reach --matrix` (every endpoint against every other), in wall seconds and in CPU seconds
(check+matrix: the time one core spends, steady even on a busy machine). Cost should follow the
number of interface classes (subnet × groups), not instances.

For comparison (figures quoted in the project's issue for this kind of machine, not measured
here): checkov ≈ 13 s and cfn-lint ≈ 44 s on a 3,000-resource CloudFormation template, and
neither proves a single path.
Run: .venv/bin/python bench/reach_bench.py
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
SIZES = {"~300": (10, 25), "~3,000": (30, 95), "~30,000": (100, 295)}
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (what one core spends, whatever else the machine runs), output."""
    start, cpu = time.perf_counter(), _children_cpu()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    said = result.stdout.strip().splitlines()[-1] if result.stdout else result.stderr
    return time.perf_counter() - start, _children_cpu() - cpu, said


def main() -> None:
    print(f"{'size':>8} {'resources':>9} {'check':>8} {'matrix':>8} {'cpu':>13}  check says")
    with tempfile.TemporaryDirectory() as folder:
        for label, (groups, count) in SIZES.items():
            path = Path(folder) / f"bench-{groups}.yaml"
            path.write_text(blueprint(groups, count), encoding="utf-8")
            check, check_cpu, said = timed([str(BIN / "awsarch"), "check", str(path)])
            matrix, matrix_cpu, _ = timed([str(BIN / "awsarch"), "reach", str(path), "--matrix"])
            resources = said.split(" on ")[-1].split(" ")[0] if " on " in said else "?"
            cpu = f"{check_cpu:5.2f}+{matrix_cpu:.2f}s"
            print(f"{label:>8} {resources:>9} {check:7.2f}s {matrix:7.2f}s {cpu:>13}  {said[-70:]}")
            if label == "~3,000":
                total = check + matrix
                for tool, seconds in QUOTED.items():
                    print(f"{'':>8} at ~3,000: {seconds / total:5.1f}× faster than {tool}")


if __name__ == "__main__":
    main()
