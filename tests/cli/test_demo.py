"""`make demo` runs `awsarch demo`: the whole job on the embedded emulator, every step green."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_demo_tells_the_whole_story_and_every_step_holds(tmp_path: Path) -> None:
    """The demo deploys, proves, repairs and takes down the seed, and exits 0 only if all held."""
    result = subprocess.run(
        [sys.executable, "-m", "awsarch", "demo", "--keep", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    summary = result.stdout.split("━━ summary", 1)[-1]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "FAIL" not in summary
    for step in ("up: deploy", "reach: internet → database", "drift", "down: final snapshot"):
        assert step in summary
    assert "nothing tagged awsarch:stack=demo remains" in result.stdout
    assert (tmp_path / "blueprint.yaml").exists()
