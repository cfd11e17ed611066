"""Progress of an apply: a live status line on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import threading
import time
from typing import TYPE_CHECKING

from awsarch.cli import console

if TYPE_CHECKING:
    from awsarch.adapters.aws.apply import Event


class Progress:
    """Prints one line per finished action; on a terminal also a status line of what runs.

    An action is handed over ("start") as soon as its dependencies are done, but only `parallel`
    run at once: the apply's thread pool takes them first in, first out. So the first `parallel`
    unfinished actions run and the rest wait in the queue; counts and times say which.
    """

    def __init__(self, total: int, *, parallel: int | None = None, live: bool | None = None):
        self.total = total
        self.parallel = parallel
        self.finished = 0
        self.handed: dict[str, float | None] = {}
        """Unfinished actions in the order handed over → when each began running (None: queued)."""
        self.live = sys.stdout.isatty() if live is None else live
        self._lock = threading.Lock()

    @property
    def running(self) -> dict[str, float]:
        return {key: began for key, began in self.handed.items() if began is not None}

    @property
    def queued(self) -> int:
        return sum(1 for began in self.handed.values() if began is None)

    def __call__(self, event: Event) -> None:
        with self._lock:
            key = event.action.key
            if event.kind == "start":
                self.handed[key] = None
            else:
                began = self.handed.pop(key, None)
                self.finished += 1
                seconds = event.seconds if began is None else time.monotonic() - began
                self._clear()
                ok = event.kind == "done"
                mark = console.style("✓", "ok") if ok else console.style("✗", "error")
                extra = f": {event.error}" if event.error else ""
                console.echo(f"  {mark} {key} ({seconds:.1f}s){extra}")
            self._begin()
            self._status()

    def note(self, message: str) -> None:
        with self._lock:
            self._clear()
            console.echo(console.style(f"  ! {message}", "warning"))
            self._status()

    def close(self) -> None:
        with self._lock:
            self._clear()

    def _begin(self) -> None:
        """Mark the actions that left the queue for a worker (the first `parallel`)."""
        now = time.monotonic()
        for index, (key, began) in enumerate(list(self.handed.items())):
            if self.parallel is not None and index >= self.parallel:
                break
            if began is None:
                self.handed[key] = now
                if not self.live:
                    console.echo(f"  … {key}")

    def _status(self) -> None:
        running = self.running
        if not self.live or not running:
            return
        oldest = min(running, key=lambda k: running[k])
        waited = time.monotonic() - running[oldest]
        queued = f", {self.queued} queued" if self.queued else ""
        line = (
            f"  [{self.finished}/{self.total} done] {len(running)} running{queued},"
            f" waiting on {oldest} ({waited:.0f}s)"
        )
        sys.stdout.write("\r" + line[:120])
        sys.stdout.flush()

    def _clear(self) -> None:
        if self.live:
            sys.stdout.write("\r\033[K")  # back to the line's start, erase it: not a colour
