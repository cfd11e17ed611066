"""The embedded AWS emulator: moto's server behind AWS's behaviours, on 127.0.0.1 only.

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
from collections.abc import Callable, Iterable
from dataclasses import field
from typing import Any

from awsarch.errors import InputError, ToolError
from awsarch.record import record

DEFAULT_REGION = "ap-northeast-2"
"""The seed blueprint's region, warmed up first when no region is configured."""
HOST = "127.0.0.1"
"""The only address the emulator listens on."""
TIME_SCALE = 0.002
"""Real seconds per second of AWS: a NAT gateway's minute of deletion lasts 0.12 s, a
database's five minutes 0.6 s."""


@record
class Emulator:
    """A running emulator: its endpoint URL and a way to stop it."""

    host: str
    port: int
    behaviours: frozenset[str] = field(default_factory=frozenset)
    """The AWS behaviours switched on (see awsarch.adapters.emulator.behaviours)."""
    _server: Any
    _thread: Any = None
    _layer: Any = None

    def behaviour(self, name: str) -> Any:
        """The running behaviour `name` (a test reads what it recorded)."""
        return next(b for b in self._layer.behaviours if b.name == name)

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
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join()


def start(
    port: int = 0,
    *,
    log_requests: bool = False,
    warm_region: str | None = None,
    without: Iterable[str] = (),
    time_scale: float = TIME_SCALE,
    clock: Callable[[], float] | None = None,
) -> Emulator:
    """Start the emulator in a background thread on 127.0.0.1:`port` (0: any free port), with
    every AWS behaviour on except those named in `without`. AWS's delays pass at `time_scale`
    real seconds per AWS second, on the monotonic `clock` (a test injects one it moves itself).

    With `warm_region`, load moto's EC2 backend for that region first (about 3 s of imports
    and its catalogue of public AMIs), so the first command is as fast as the next ones.
    """
    # AWS managed policies (AmazonSSMManagedInstanceCore…) exist in every real account; moto
    # only loads them when asked to.
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    from awsarch.adapters.emulator.accounts import install as scale_to_many_accounts

    scale_to_many_accounts()
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    from awsarch.adapters.emulator.behaviours import ALL, NAMES
    from awsarch.adapters.emulator.layer import Clock, Layer
    from awsarch.adapters.emulator.moto_patches import install as patch_moto

    _check_without(without, NAMES)
    logging.getLogger("werkzeug").setLevel(logging.INFO if log_requests else logging.ERROR)
    _check_port_free(port)
    _reset_lazily()
    patch_moto()
    aws_time = Clock(time_scale, clock) if clock is not None else Clock(time_scale)
    behaviours = [b(aws_time) for b in ALL if b.name not in set(without)]
    app = Layer(DomainDispatcherApplication(create_backend_app), behaviours)
    server = make_server(HOST, port, app, threaded=True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="emulator")
    thread.start()
    emulator = Emulator(
        host=HOST,
        port=int(server.server_address[1]),
        behaviours=frozenset(b.name for b in behaviours),
        _server=server,
        _thread=thread,
        _layer=app,
    )
    if warm_region:
        _warm_up(emulator.endpoint_url, warm_region)
    return emulator


def _reset_lazily() -> None:
    """Make moto's reset forget its backends instead of rebuilding each one first.

    moto 5.2.5's `BackendDict.reset` re-runs every region backend's constructor (EC2's loads
    its images and instance types: about a second for a few regions) and then drops them all,
    so every reset paid for backends nobody would use; the next call builds what it needs. The
    emulator keeps no reference to a backend across a reset (behaviours look theirs up per call),
    so dropping them is enough.
    """
    from moto.core.base_backend import BackendDict, backend_lock

    if getattr(BackendDict.reset, "_awsarch", False):
        return

    def forget(cls: type[BackendDict]) -> None:  # type: ignore[type-arg]
        with backend_lock:
            for backend in cls._instances:
                backend.clear()
            cls._instances.clear()

    forget._awsarch = True  # type: ignore[attr-defined]
    BackendDict.reset = classmethod(forget)  # type: ignore[method-assign,assignment]


def _warm_up(endpoint_url: str, region: str) -> None:
    """Make the calls that load moto's backends (EC2 takes seconds, twice), so that the first
    real command is as fast as the next ones."""
    import boto3  # type: ignore[import-untyped]

    session = boto3.session.Session(aws_access_key_id="warm-up", aws_secret_access_key="warm-up")
    calls = [
        ("ec2", "describe_vpcs"),
        ("ec2", "describe_vpcs"),
        ("rds", "describe_db_instances"),
        ("iam", "list_instance_profiles"),
        ("ssm", "describe_parameters"),
    ]
    for service, operation in calls:
        client = session.client(service, region_name=region, endpoint_url=endpoint_url)
        getattr(client, operation)()


def serve(
    port: int = 0,
    *,
    log_requests: bool = True,
    on_ready: Callable[[Emulator], None] | None = None,
    stop_event: threading.Event | None = None,
    without: Iterable[str] = (),
) -> None:
    """Run the emulator in the foreground until Ctrl-C (or until `stop_event` is set).

    `on_ready` receives the running emulator, e.g. to print its endpoint URL for the user.
    """
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION
    emulator = start(port, log_requests=log_requests, warm_region=region, without=without)
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


def _check_without(without: Iterable[str], names: Iterable[str]) -> None:
    """--without names a behaviour the emulator has: a typo is the user's input (exit 2), with
    the closest name."""
    import difflib

    known = list(names)
    unknown = sorted(set(without) - set(known))
    if unknown:
        close = difflib.get_close_matches(unknown[0], known, n=1)
        hint = f"did you mean {close[0]}?" if close else f"use one of {', '.join(known)}"
        raise InputError(
            f"unknown emulator behaviour {unknown[0]!r} — {hint} (`awsarch emulator --list`)"
        )
