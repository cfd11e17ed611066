"""Bench: `awsarch audit --org` over 200 accounts × 3 regions on the emulator. `make bench-org`.

Every AWS call awaits a latency like AWS's (30 ms, a botocore `before-send` hook that sleeps),
so the figures show what parallel units buy when the work is waiting on AWS. Prints the wall
time with 1 (on a stated subset, extrapolated), 8 and 32 parallel units, with 4 shards run as
4 processes, and the API calls per unit (counted by awsarch's botocore `before-call` hook, read
from the unit documents) for organizations of 50, 100 and 200 accounts: they stay constant.

The emulator (moto, in this process, one interpreter) answers every request on CPU of its own:
once it is saturated, more parallel units cannot help, which real AWS does not suffer. Credential
reports are generated while building (AWS keeps one for four hours), so no run waits for one.
Speed is measured here, never asserted in a test.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fake_aws import isolate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LATENCY = 0.030
ACCOUNTS = 200
REGIONS = ("ap-northeast-2", "eu-west-1", "us-east-1")
HOME_REGION = "us-east-1"
SERIAL_ACCOUNTS = 5
"""The 1-parallel run audits this many accounts (× 3 regions) and extrapolates to all."""


def add_latency(seconds: float) -> None:
    """Every client awsarch makes sleeps `seconds` before each request goes out."""
    from awsarch import AwsSession

    original = AwsSession.client

    def wait(**_: Any) -> None:
        time.sleep(seconds)

    def client(self: AwsSession, service: str) -> Any:
        made = original(self, service)
        if not getattr(made, "_bench_latency", False):
            made.meta.events.register("before-send", wait)
            made._bench_latency = True
        return made

    AwsSession.client = client  # type: ignore[method-assign]


def build(endpoint: str) -> list[str]:
    """The organization (home + members), a few faults, every credential report generated."""
    from tests.org.organization import build_org, client_in, imdsv1_instance, open_database

    org = build_org(endpoint, ACCOUNTS - 1)
    open_database(endpoint, org.members[0], "eu-west-1")
    imdsv1_instance(endpoint, org.members[1], "us-east-1")
    for account in org.members:
        client_in(endpoint, account, "iam", HOME_REGION).generate_credential_report()
    return org.accounts


def audit(endpoint: str, accounts: list[str], regions: tuple[str, ...], *args: str) -> Any:
    """One in-process `awsarch audit --org` into a fresh directory: (seconds, unit documents)."""
    from click.testing import CliRunner

    from awsarch.cli.main import cli

    with tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        result = CliRunner().invoke(
            cli,
            [
                "audit",
                "--org",
                "--regions",
                ",".join(regions),
                "--accounts",
                ",".join(accounts),
                "--output",
                out,
                "--format",
                "json",
                "--endpoint-url",
                endpoint,
                "--region",
                HOME_REGION,
                *args,
            ],
            catch_exceptions=False,
        )
        seconds = time.monotonic() - started
        assert result.exit_code in (0, 3), result.output[-2000:]
        return seconds, documents(out)


def documents(out: str) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(Path(out).rglob("*.json"))]


def shards(endpoint: str, accounts: list[str], count: int) -> float:
    """`count` worker processes, one shard each, started together: wall time until all end."""
    with tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        workers = [
            subprocess.Popen(
                [sys.executable, __file__, "--worker", endpoint, f"{i + 1}/{count}", out],
                env={**os.environ, "AWSARCH_BENCH_ACCOUNTS": ",".join(accounts)},
            )
            for i in range(count)
        ]
        codes = [w.wait() for w in workers]
        seconds = time.monotonic() - started
        assert set(codes) <= {0, 3}, codes
        assert len(documents(out)) == len(accounts) * len(REGIONS)
    return seconds


def worker(endpoint: str, shard: str, out: str) -> None:
    """One shard in its own process, with the same latency."""
    from click.testing import CliRunner

    from awsarch.cli.main import cli

    add_latency(LATENCY)
    accounts = os.environ["AWSARCH_BENCH_ACCOUNTS"]
    result = CliRunner().invoke(
        cli,
        [
            "audit",
            "--org",
            "--regions",
            ",".join(REGIONS),
            "--accounts",
            accounts,
            "--parallel",
            "8",
            "--shard",
            shard,
            "--output",
            out,
            "--format",
            "json",
            "--endpoint-url",
            endpoint,
            "--region",
            HOME_REGION,
        ],
        catch_exceptions=False,
    )
    sys.exit(result.exit_code)


def calls(docs: list[dict[str, Any]]) -> str:
    """Mean (min, max) API calls of the regional units and of the hygiene units."""
    parts = []
    for kind, hygiene in (("regional", False), ("hygiene", True)):
        counts = [d["api_calls"] for d in docs if d["hygiene"] is hygiene]
        if counts:
            parts.append(
                f"{kind} units {statistics.mean(counts):.1f} (min {min(counts)}, max {max(counts)})"
            )
    return "; ".join(parts)


def main() -> None:
    isolate(HOME_REGION)
    from awsarch.adapters import emulator

    running = emulator.start()
    try:
        url = running.endpoint_url
        started = time.monotonic()
        accounts = build(url)
        print(f"built {len(accounts)} accounts in {time.monotonic() - started:.0f}s", flush=True)
        add_latency(LATENCY)
        units = len(accounts) * len(REGIONS)
        print(f"{units} units, {LATENCY * 1000:.0f} ms per AWS call", flush=True)
        subset = accounts[:SERIAL_ACCOUNTS]
        seconds, docs = audit(url, subset, REGIONS, "--parallel", "1")
        print(
            f"parallel  1: {seconds:6.1f}s for {len(docs)} units (a subset);"
            f" EXTRAPOLATED to {units} units: {seconds / len(docs) * units:6.0f}s",
            flush=True,
        )
        for parallel in (8, 32):
            seconds, docs = audit(url, accounts, REGIONS, "--parallel", str(parallel))
            print(f"parallel {parallel:2d}: {seconds:6.1f}s for {len(docs)} units", flush=True)
        print(f"4 shards as 4 processes (8 parallel each): {shards(url, accounts, 4):6.1f}s")
        for size in (50, 100):
            _, small = audit(url, accounts[:size], REGIONS[:2], "--parallel", "32")
            print(f"API calls per unit, {size:3d} accounts × 2 regions: {calls(small)}")
        print(f"API calls per unit, {len(accounts)} accounts × 3 regions: {calls(docs)}")
    finally:
        running.stop()


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        isolate(HOME_REGION)
        worker(*sys.argv[2:])
    else:
        main()
