"""Time `awsarch check` as a whole process, against the floor every Python CLI pays.

Prints wall-clock figures (best and median of N runs) for:
  - the seed blueprint, and a large one (6 AZs, 3 tiers, 200 instances);
  - the bare interpreter, and the interpreter importing boto3 (what a boto3-based tool pays
    before doing anything), as the ratios' reference.
Run: make bench   (or .venv/bin/python bench/check_bench.py --runs 20)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
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


def _time(command: list[str], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True)
        samples.append(time.perf_counter() - start)
    return min(samples), statistics.median(samples)


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
        results = {name: _time(cmd, runs) for name, cmd in cases.items()}
    floor = results["python -c pass (floor)"][1]
    print(f"{'case':48} {'best':>8} {'median':>8} {'× floor':>8}")
    for name, (best, median) in results.items():
        print(f"{name:48} {best * 1000:7.0f}ms {median * 1000:7.0f}ms {median / floor:8.1f}")


if __name__ == "__main__":
    main()
