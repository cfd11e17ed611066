"""The layer over moto that makes the emulator behave as AWS documents: a WSGI middleware.

moto answers the API; each enabled `Behaviour` may first answer a request itself (an AWS error, or
a stored answer), then see moto's answer, and keep state of its own (what is being deleted, which
token launched what). Behaviours that must change what moto computes patch moto's backend once and
ask `enabled(name)` while a request is handled, so two emulators in one process (moto's backends
are process-wide) each keep their own switches.

AWS's delays are compressed by a time scale: `clock.after(aws_seconds)` is a deadline that far
in emulated AWS time. Nothing ever sleeps: a behaviour answers "not yet" until its deadline.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from awsarch.record import record

ACCOUNT_ID = "123456789012"
"""moto's default account: the one the emulator's root credentials act in."""
_CREDENTIAL_SCOPE = re.compile(r"Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
_active = threading.local()


@record
class Call:
    """One API request as a behaviour sees it."""

    service: str
    region: str
    action: str
    params: dict[str, str]
    """Query parameters as sent (`Filter.1.Name`), or the JSON body's top level as strings."""
    body: bytes
    access_key: str = ""
    """The access key id that signed the request: who is calling."""

    def listed(self, prefix: str) -> list[str]:
        """`SubnetIds.member.1`, `SubnetIds.member.2`… (or `SubnetId.1`…) in order."""
        pattern = re.compile(rf"^{re.escape(prefix)}\.(?:member\.)?(\d+)$")
        numbered = [(int(m.group(1)), v) for k, v in self.params.items() if (m := pattern.match(k))]
        return [value for _, value in sorted(numbered)]


@record
class Answer:
    status: int
    body: bytes
    content_type: str = "text/xml"


class Clock:
    """Emulated AWS time: `after(60)` is one AWS minute from now, `scale` real seconds each."""

    def __init__(self, scale: float, now: Callable[[], float] = time.monotonic) -> None:
        self.scale = scale
        self._now = now

    def now(self) -> float:
        return self._now()

    def after(self, aws_seconds: float) -> float:
        return self._now() + aws_seconds * self.scale

    def passed(self, deadline: float) -> bool:
        return self._now() >= deadline


class ManualClock:
    """A monotonic clock that moves only when told (for tests): `start(clock=ManualClock())`."""

    def __init__(self) -> None:
        self._now = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by `seconds` of the emulator's (already scaled) time."""
        with self._lock:
            self._now += seconds


class Behaviour:
    """One documented AWS behaviour. Subclasses set `name` and override what they need."""

    name = ""
    services: frozenset[str] = frozenset()

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.lock = threading.Lock()

    def reset(self) -> None:
        """Forget everything, as moto does on `/moto-api/reset`."""
        type(self).__init__(self, self.clock)

    def serial(self, call: Call) -> bool:
        """Whether the request must not run at the same time as another such request (so that
        what `before` checks still holds when `after` records)."""
        return False

    def install(self) -> None:
        """Patch moto once per process, if this behaviour needs to (guarded by `enabled`)."""

    def before(self, call: Call) -> Answer | None:
        """Answer the request instead of moto (an AWS error), or None to let moto answer."""
        return None

    def after(self, call: Call, answer: Answer) -> Answer:
        """See (or replace) moto's answer to a request moto handled."""
        return answer


def enabled(name: str) -> bool:
    """Whether the request being handled on this thread has behaviour `name` switched on."""
    return name in getattr(_active, "names", frozenset())


def ec2_error(code: str, message: str) -> Answer:
    """EC2's error format (query API, XML)."""
    body = (
        f"<Response><Errors><Error><Code>{code}</Code><Message>{_xml(message)}</Message></Error>"
        "</Errors><RequestID>awsarch-emulator</RequestID></Response>"
    )
    return Answer(status=400, body=body.encode())


def query_error(code: str, message: str, status: int = 400) -> Answer:
    """The error format of the other query APIs (RDS, IAM, STS)."""
    body = (
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
        f"<Message>{_xml(message)}</Message></Error>"
        "<RequestId>awsarch-emulator</RequestId></ErrorResponse>"
    )
    return Answer(status=status, body=body.encode())


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class Layer:
    """The WSGI middleware: moto's app behind the enabled behaviours."""

    app: Callable[..., Iterable[bytes]]
    behaviours: list[Behaviour] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.names = frozenset(b.name for b in self.behaviours)
        self._serial = threading.Lock()
        for behaviour in self.behaviours:
            behaviour.install()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        if environ.get("PATH_INFO") == "/moto-api/reset":
            for behaviour in self.behaviours:
                behaviour.reset()
        call = parse_call(environ, body)
        concerned = [b for b in self.behaviours if call and call.service in b.services]
        _active.names = self.names
        try:
            if call is None or not concerned:
                return self.app(environ, start_response)
            if any(b.serial(call) for b in concerned):
                with self._serial:
                    return self._handle(call, concerned, environ, start_response)
            return self._handle(call, concerned, environ, start_response)
        finally:
            _active.names = frozenset()

    def _handle(
        self,
        call: Call,
        concerned: list[Behaviour],
        environ: dict[str, Any],
        start_response: Callable[..., Any],
    ) -> list[bytes]:
        for behaviour in concerned:
            answer = behaviour.before(call)
            if answer is not None:
                return _respond(answer, start_response)
        status, headers, chunks = _run(self.app, environ)
        answer = Answer(
            status=status, body=b"".join(chunks), content_type=headers.get("Content-Type", "")
        )
        if status < 300:
            for behaviour in concerned:
                answer = behaviour.after(call, answer)
        kept = [(k, v) for k, v in headers.items() if k and k.lower() != "content-length"]
        kept.append(("Content-Length", str(len(answer.body))))
        start_response(f"{answer.status} {_reason(answer.status)}", kept)
        return [answer.body]


def _run(
    app: Callable[..., Iterable[bytes]], environ: dict[str, Any]
) -> tuple[int, dict[str, str], Iterator[bytes]]:
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = dict(headers)
        return lambda data: None

    chunks = list(app(environ, start_response))
    return captured["status"], captured["headers"], iter(chunks)


def _respond(answer: Answer, start_response: Callable[..., Any]) -> list[bytes]:
    headers = [("Content-Type", answer.content_type), ("Content-Length", str(len(answer.body)))]
    start_response(f"{answer.status} {_reason(answer.status)}", headers)
    return [answer.body]


def _reason(status: int) -> str:
    return {200: "OK", 400: "Bad Request", 403: "Forbidden", 409: "Conflict"}.get(status, "Error")


def parse_call(environ: dict[str, Any], body: bytes) -> Call | None:
    """The service, region and action of a signed AWS request; None for anything else."""
    scope = _CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if scope is None:
        return None
    access_key, region, service = scope.group(1), scope.group(2), scope.group(3)
    params = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        params.update(_json_params(body))
        action = target.rsplit(".", 1)[-1]
    else:
        content_type = environ.get("CONTENT_TYPE", "")
        if body and "x-www-form-urlencoded" in content_type:
            params.update(urllib.parse.parse_qsl(body.decode(errors="replace")))
        action = params.get("Action", "")
    return Call(
        service=service,
        region=region,
        action=action,
        params=params,
        body=body,
        access_key=access_key,
    )


def _json_params(body: bytes) -> dict[str, str]:
    try:
        decoded = json.loads(body or b"{}")
    except ValueError:
        return {}
    if not isinstance(decoded, dict):
        return {}
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in decoded.items()}
