"""Time `awsarch check` as a whole process, against the floor every Python CLI pays.

Prints wall-clock figures (best and median of N runs) for:
  - the seed blueprint, and a large one (6 AZs, 3 tiers, 200 instances);
  - the bare interpreter, and the interpreter importing boto3 (what a boto3-based tool pays
    before doing anything), as the ratios' reference;
  - `check` of the seed against `python -c "import yaml, click"` (the floor of any CLI on the
    same two libraries), run in pairs, interleaved, so both see the same machine load: the
    median of the pairs' ratios (the target is within 2.5×).
Each case runs once first, with bytecode caching on (PYTHONDONTWRITEBYTECODE dropped), so the
figures are those of an installed package (pip writes the .pyc files), not of compiling sources.
Run: make bench   (or .venv/bin/python bench/check_bench.py --runs 20)
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
LARGE = """
stack: large
region: us-east-1
network:
  cidr: 10.0.0.0/16
  azs: 6
  nat: per-az
  tiers: {public: public, app: private, data: isolated}
servers:
  web: {count: 100, tier: public, public_ports: [80, 443]}
  app: {count: 100, tier: app, role: {read_secrets: [main]}}
databases:
  main: {tier: data, allow_from: [app]}
"""


def _run(command: list[str]) -> tuple[float, float]:
    """Wall-clock seconds, and the child's CPU seconds (user + system: steadier on a busy
    machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _once(command: list[str]) -> float:
    return _run(command)[0]


def _time(command: list[str], runs: int) -> tuple[float, float]:
    samples = [_once(command) for _ in range(runs)]
    return min(samples), statistics.median(samples)


def _paired(command: list[str], floor: list[str], runs: int) -> str:
    """Each round times the floor then the command, back to back: the medians and the median
    of the rounds' ratios."""
    pairs = [(_run(floor), _run(command)) for _ in range(runs)]
    lines = [f"check (seed) vs python -c 'import yaml, click', {runs} paired runs (target ≤ 2.5×):"]
    for index, what in ((0, "wall"), (1, "cpu")):
        base = statistics.median(f[index] for f, _ in pairs)
        ours = statistics.median(c[index] for _, c in pairs)
        ratio = statistics.median(c[index] / f[index] for f, c in pairs)
        lines.append(
            f"  {what:4} {ours * 1000:5.0f}ms vs {base * 1000:5.0f}ms (medians),"
            f" ratio {ratio:.2f}× (median of the pairs' ratios)"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        seed = Path(folder) / "seed.yaml"
        large = Path(folder) / "large.yaml"
        subprocess.run([BIN / "awsarch", "init", str(seed)], check=True, capture_output=True)
        large.write_text(LARGE, encoding="utf-8")
        cases = {
            "python -c pass (floor)": [sys.executable, "-c", "pass"],
            "python -c 'import boto3'": [sys.executable, "-c", "import boto3"],
            "awsarch check (seed)": [str(BIN / "awsarch"), "check", str(seed)],
            "awsarch check (6 AZ, 3 tiers, 200 instances)": [
                str(BIN / "awsarch"),
                "check",
                str(large),
            ],
        }
        for command in cases.values():  # warm: write the .pyc files
            _once(command)
        results = {name: _time(cmd, runs) for name, cmd in cases.items()}
        floor_cmd = [sys.executable, "-c", "import yaml, click"]
        paired = _paired(cases["awsarch check (seed)"], floor_cmd, max(runs, 20))
    floor = results["python -c pass (floor)"][1]
    print(f"{'case':48} {'best':>8} {'median':>8} {'× floor':>8}")
    for name, (best, median) in results.items():
        print(f"{name:48} {best * 1000:7.0f}ms {median * 1000:7.0f}ms {median / floor:8.1f}")
    print(paired)


if __name__ == "__main__":
    main()
