"""`up` and `down` on the embedded emulator, as a user runs them: whole processes.

Prints, for the seed blueprint and one ten times larger (about 200 resources):
  - the emulator's start (process launch until it answers on 127.0.0.1),
  - `awsarch up --yes` and `awsarch down --yes`, wall time and API calls,
  - the larger blueprint with --parallel 1 against --parallel 8;
  - then, in this process, the larger blueprint's apply with every API call slowed by 50 ms (AWS's
    APIs answer in tens of milliseconds, the emulator in one or two): what parallel apply buys.
The emulator answers at once where AWS takes minutes (a NAT gateway ~2 min, a Multi-AZ database
10-20 min), so these figures measure awsarch's own overhead, not AWS's.
Run: .venv/bin/python bench/deploy_bench.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fake_aws import fake_env

BIN = Path(sys.executable).parent
LARGE = """
stack: large
region: ap-northeast-2
network:
  {cidr: 10.0.0.0/16, azs: 3, nat: per-az, tiers: {public: public, app: private, data: private}}
servers:
  web: {count: 40, tier: public, public_ports: [80, 443]}
  api: {count: 40, tier: app, role: {read_secrets: [orders, users]}}
  worker: {count: 30, tier: app}
  batch: {count: 30, tier: app}
databases:
  orders: {tier: data, allow_from: [api, worker]}
  users: {tier: data, allow_from: [api]}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_emulator(env: dict[str, str]) -> tuple[subprocess.Popen[str], str, float]:
    """Launch `awsarch emulator` and wait until it says it is ready (warmed up)."""
    port = free_port()
    began = time.perf_counter()
    command = [str(BIN / "awsarch"), "emulator", "--port", str(port), "--quiet"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "listening" in line:
            break
    return process, f"http://127.0.0.1:{port}", time.perf_counter() - began


def run(env: dict[str, str], *args: str) -> tuple[float, str]:
    began = time.perf_counter()
    result = subprocess.run(
        [BIN / "awsarch", *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"awsarch {' '.join(args)} failed: {result.stderr.strip()[-300:]}")
    calls = next(
        (
            line.rsplit("(", 1)[-1].rstrip(")")
            for line in result.stdout.splitlines()
            if "API calls" in line
        ),
        "",
    )
    return time.perf_counter() - began, calls


def cycle(env: dict[str, str], blueprint: Path, parallel: int) -> tuple[float, float, float, str]:
    emulator, url, started = start_emulator(env)
    try:
        up, calls = run(
            env, "up", str(blueprint), "--yes", "--parallel", str(parallel), "--endpoint-url", url
        )
        down, _ = run(
            env, "down", str(blueprint), "--yes", "--parallel", str(parallel), "--endpoint-url", url
        )
    finally:
        emulator.terminate()
        emulator.wait()
    return started, up, down, calls


def new_stack_plan(path: Path) -> tuple[Any, Any]:
    """(the blueprint's architecture, the plan that builds it where nothing exists yet)."""
    import awsarch

    desired = awsarch.expand(awsarch.load(path))
    nothing = awsarch.Architecture(stack=desired.stack, region=desired.region)
    return desired, awsarch.plan(awsarch.diff(desired, nothing), stack=desired.stack, timestamp="0")


def critical_path(path: Path) -> tuple[int, int]:
    """(actions in the plan, actions on its longest dependency chain): with enough workers,
    `up` takes as long as the chain, not the sum — on AWS, where each wait is minutes."""
    _, plan = new_stack_plan(path)
    depth: dict[str, int] = {}
    for action in plan.actions:  # already in dependency order
        depth[action.key] = 1 + max((depth[d] for d in action.depends_on if d in depth), default=0)
    return len(plan.actions), max(depth.values())


def apply_with_latency(path: Path, parallel: int, latency: float = 0.05) -> tuple[float, int]:
    """Apply the blueprint on a fresh in-process emulator, each API call `latency` slower."""
    import awsarch
    from awsarch.adapters import emulator

    desired, plan = new_stack_plan(path)
    running = emulator.start(warm_region=desired.region)
    try:
        session = awsarch.AwsSession(region=desired.region, endpoint_url=running.endpoint_url)
        for service in ("ec2", "rds", "iam", "ssm"):
            session.client(service).meta.events.register(
                "before-send", lambda **_: time.sleep(latency)
            )
        began = time.perf_counter()
        awsarch.apply(plan, session, stack=desired.stack, parallel=parallel)
        return time.perf_counter() - began, session.calls.total
    finally:
        running.stop()


def main() -> None:
    env = fake_env()
    with tempfile.TemporaryDirectory() as folder:
        seed, large = Path(folder) / "seed.yaml", Path(folder) / "large.yaml"
        subprocess.run([BIN / "awsarch", "init", str(seed)], check=True, capture_output=True)
        large.write_text(LARGE, encoding="utf-8")
        print(f"{'blueprint':34} {'emulator':>9} {'up':>7} {'start+up':>9} {'down':>7}  up's audit")
        for name, path, parallel in (
            ("seed (20 resources)", seed, 8),
            ("10x (≈200 resources), --parallel 1", large, 1),
            ("10x (≈200 resources), --parallel 8", large, 8),
        ):
            started, up, down, calls = cycle(env, path, parallel)
            print(
                f"{name:34} {started:8.2f}s {up:6.2f}s {started + up:8.2f}s {down:6.2f}s  {calls}"
            )
        for name, path in (("seed", seed), ("10x", large)):
            total, chain = critical_path(path)
            print(f"{name}: {total} actions, {chain} on the longest dependency chain")
        os.environ.update({k: v for k, v in env.items() if k.startswith("AWS_")})
        serial, calls = apply_with_latency(large, 1)
        print(f"10x apply, 50 ms per API call: --parallel 1: {serial:.1f}s ({calls} calls)")
        for parallel in (4, 8, 16):
            seconds, _ = apply_with_latency(large, parallel)
            speedup = serial / seconds
            print(f"{'':31}--parallel {parallel}: {seconds:.1f}s ({speedup:.1f}× faster)")


if __name__ == "__main__":
    main()
