"""Progress of an apply: a live status line on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import threading
import time
from typing import TYPE_CHECKING

from awsarch.cli import console

if TYPE_CHECKING:
    from awsarch.aws.apply import Event


class Progress:
    """Prints one line per finished action; on a terminal also a status line of what runs."""

    def __init__(self, total: int, *, live: bool | None = None) -> None:
        self.total = total
        self.finished = 0
        self.running: dict[str, float] = {}
        self.live = sys.stdout.isatty() if live is None else live
        self._lock = threading.Lock()

    def __call__(self, event: Event) -> None:
        with self._lock:
            key = event.action.key
            if event.kind == "start":
                self.running[key] = time.monotonic()
                if not self.live:
                    console.echo(f"  … {key}")
            else:
                self.running.pop(key, None)
                self.finished += 1
                self._clear()
                ok = event.kind == "done"
                mark = console.style("✓", "ok") if ok else console.style("✗", "error")
                extra = f": {event.error}" if event.error else ""
                console.echo(f"  {mark} {key} ({event.seconds:.1f}s){extra}")
            self._status()

    def note(self, message: str) -> None:
        with self._lock:
            self._clear()
            console.echo(console.style(f"  ! {message}", "warning"))
            self._status()

    def close(self) -> None:
        with self._lock:
            self._clear()

    def _status(self) -> None:
        if not self.live or not self.running:
            return
        oldest = min(self.running, key=lambda k: self.running[k])
        waited = time.monotonic() - self.running[oldest]
        line = (
            f"  [{self.finished}/{self.total}] {len(self.running)} running,"
            f" waiting on {oldest} ({waited:.0f}s)"
        )
        sys.stdout.write("\r" + line[:120])
        sys.stdout.flush()

    def _clear(self) -> None:
        if self.live:
            sys.stdout.write("\r\033[K")
