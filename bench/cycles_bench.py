"""Ten `up`/`down` cycles of the 10× blueprint on one emulator: does the emulator stay as fast?

One `awsarch emulator` process serves every cycle, as it does for a user who keeps it running.
Prints, per cycle, `up` and `down` wall time and the emulator process's CPU seconds during each
(read from /proc: awsarch's own work runs in the CLI process, not counted there), then the ratio
of the last `up` to the first. moto keeps every terminated instance and every deleted resource's
tags and scans them all on each filtered describe; the emulator's `deleted_resources` behaviour
forgets them as AWS does (instances after about an hour of emulated time: 7.2 real seconds at the
emulator's time scale), so the ratio should stay near 1.
Run: .venv/bin/python bench/cycles_bench.py [CYCLES] [--seed]   (make bench-cycles)
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deploy_bench import BIN, LARGE, free_port
from fake_aws import fake_env

TICKS = os.sysconf("SC_CLK_TCK")
ROW = "{:>5} {:>7} {:>9} {:>8}   {:>6} {:>9}"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def start_emulator(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[str], str]:
    """`awsarch emulator`, its errors (tracebacks of HTTP 500s) written to `log`."""
    port = free_port()
    command = [str(BIN / "awsarch"), "emulator", "--port", str(port), "--quiet"]
    with log.open("w") as errors:
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=errors, text=True
        )
    assert process.stdout is not None
    for line in process.stdout:
        if "listening" in line:
            break
    return process, f"http://127.0.0.1:{port}"


def own_cpu() -> float:
    """CPU seconds of the `awsarch` commands this bench ran (children of this process)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(env: dict[str, str], emulator: int, *args: str) -> tuple[float, float, float]:
    """(wall seconds, emulator CPU seconds, awsarch's own CPU seconds) of one command."""
    cpu, mine, began = cpu_seconds(emulator), own_cpu(), time.perf_counter()
    result = subprocess.run(
        [BIN / "awsarch", *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"awsarch {' '.join(args)} failed: {result.stdout[-600:]}")
    return time.perf_counter() - began, cpu_seconds(emulator) - cpu, own_cpu() - mine


def main() -> None:
    cycles = int(next((a for a in sys.argv[1:] if a.isdigit()), "10"))
    env = fake_env()
    with tempfile.TemporaryDirectory() as folder:
        blueprint = Path(folder) / "blueprint.yaml"
        if "--seed" in sys.argv:
            subprocess.run([BIN / "awsarch", "init", str(blueprint)], check=True)
        else:
            blueprint.write_text(LARGE, encoding="utf-8")
        log = Path(folder) / "emulator.log"
        emulator, url = start_emulator(env, log)
        ups: list[tuple[float, float]] = []
        try:
            print(ROW.format("cycle", "up", "emulator", "awsarch", "down", "emulator"))
            for n in range(1, cycles + 1):
                common = (str(blueprint), "--yes", "--endpoint-url", url)
                up, up_cpu, mine = timed(env, emulator.pid, "up", *common)
                down, down_cpu, _ = timed(env, emulator.pid, "down", *common)
                ups.append((up, up_cpu))
                seconds = (f"{x:.1f}s" for x in (up, up_cpu, mine, down, down_cpu))
                print(ROW.format(n, *seconds), flush=True)
        except SystemExit:
            print(log.read_text()[-3000:], file=sys.stderr)
            raise
        finally:
            emulator.terminate()
            emulator.wait()
    (first, first_cpu), (last, last_cpu) = ups[0], ups[-1]
    print("(emulator, awsarch: CPU seconds of each process during the command)")
    ratios = f"wall {last / first:.2f}, emulator CPU {last_cpu / first_cpu:.2f}"
    print(f"up, cycle {cycles} / cycle 1: {ratios}")


if __name__ == "__main__":
    main()
