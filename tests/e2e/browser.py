"""Headless Chromium, driven through its command line: no extra Python package, no network.

Debian's `chromium` is installed by scripts/ensure_chromium.sh (run by `make test`). Every run
gets a fresh profile, no background services, and a host resolver that resolves nothing, so a
page that tried to fetch anything from the network would fail to.
"""

from __future__ import annotations

import os
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("AWSARCH_CHROMIUM", "/usr/bin/chromium"))
WINDOW = (1400, 3000)
OFFLINE = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
]


def require_chromium() -> Path:
    """The browser, or a failure that says how to install it (never a silent skip)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"headless Chromium is missing at {CHROMIUM}: run `sh scripts/ensure_chromium.sh`"
            " as root (make test does), or point AWSARCH_CHROMIUM at a chromium binary"
        )
    return CHROMIUM


def run(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One headless Chromium run with a fresh profile under `work`."""
    profile = work / f"profile-{len(list(work.glob('profile-*')))}"
    command = [str(require_chromium()), *OFFLINE, f"--user-data-dir={profile}", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"chromium failed ({result.returncode}): {result.stderr[-2000:]}"
    return result


def dump_dom(work: Path, page: Path) -> str:
    """The DOM after the page loaded and its scripts ran."""
    return run(work, "--dump-dom", page.as_uri()).stdout


def screenshot(work: Path, page: Path, png: Path) -> None:
    run(work, f"--screenshot={png}", page.as_uri())
    assert png.is_file(), f"chromium wrote no screenshot at {png}"


@dataclass(frozen=True, kw_only=True)
class Png:
    width: int
    height: int
    distinct_bytes: int
    """How varied the decoded pixels are: a blank page has a handful, a rendered one hundreds."""


def read_png(path: Path) -> Png:
    """Width, height and pixel variety of a PNG, decoded with the standard library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    offset, idat, size = 8, b"", (0, 0)
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    pixels = zlib.decompress(idat)
    return Png(width=size[0], height=size[1], distinct_bytes=len(set(pixels)))
