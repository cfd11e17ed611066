"""The embedded AWS emulator: moto's server, on 127.0.0.1 only.

`start()` runs it in a background thread of this process (for `awsarch demo` and the tests);
`serve()` runs it in the foreground until interrupted (for `awsarch emulator`). It never binds
anything but the loopback address: the emulator accepts any credentials, so it must not be reachable
from other machines. What the emulator does faithfully, and what not, is in DESIGN.md.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import threading
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from awsarch.errors import ToolError

HOST = "127.0.0.1"
"""The only address the emulator listens on."""


@dataclass(frozen=True, kw_only=True)
class Emulator:
    """A running emulator: its endpoint URL and a way to stop it."""

    host: str
    port: int
    _server: Any

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def reset(self) -> None:
        """Forget every resource the emulator holds (moto's `/moto-api/reset`)."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass

    def stop(self) -> None:
        """Stop serving and wait for the server thread to end."""
        self._server.stop()


def start(port: int = 0, *, log_requests: bool = False) -> Emulator:
    """Start the emulator in a background thread on 127.0.0.1:`port` (0: any free port)."""
    # AWS managed policies (AmazonSSMManagedInstanceCore…) exist in every real account; moto
    # only loads them when asked to.
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.INFO if log_requests else logging.ERROR)
    _check_port_free(port)
    server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    return Emulator(host=host, port=bound, _server=server)


def serve(
    port: int = 0,
    *,
    log_requests: bool = True,
    on_ready: Callable[[Emulator], None] | None = None,
    stop_event: threading.Event | None = None,
) -> None:
    """Run the emulator in the foreground until Ctrl-C (or until `stop_event` is set).

    `on_ready` receives the running emulator, e.g. to print its endpoint URL for the user.
    """
    emulator = start(port, log_requests=log_requests)
    stop = stop_event if stop_event is not None else threading.Event()
    try:
        if on_ready is not None:
            on_ready(emulator)
        while not stop.wait(timeout=0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


def _check_port_free(port: int) -> None:
    """Fail with one line when the port is taken (moto's thread would otherwise hang)."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            reason = "already in use" if exc.errno == errno.EADDRINUSE else exc.strerror
            raise ToolError(
                f"cannot start the emulator on {HOST}:{port}: port {reason}; "
                "choose another with --port, or 0 for any free port"
            ) from exc
