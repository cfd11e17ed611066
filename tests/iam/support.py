"""Shared by the IAM tests: a blueprint with operators, a call counter that keeps requests, and
the CLI as one user."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner, Result

from awsarch.adapters.aws.session import CallCounter
from awsarch.cli.main import cli

OPERATORS_BLUEPRINT = """\
stack: demo
region: ap-northeast-2
network: {cidr: 10.0.0.0/16}
servers:
  web: {count: 1, public_ports: [443], role: {read_secrets: [main]}}
databases:
  main: {allow_from: [web]}
operators:
  groups:
    deployers: deployer
    viewers: {permissions: viewer}
  users:
    alice: [deployers]
    bob: {groups: [viewers, deployers]}
"""


class RecordingCounter(CallCounter):
    """Counts calls like CallCounter, and keeps each call's request body to find its resource."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[str, dict[str, Any]]] = []

    def _on_before_call(self, model: Any = None, params: Any = None, **_: Any) -> None:
        super()._on_before_call(model=model)
        if model is not None:
            body = (params or {}).get("body") or {}
            if isinstance(body, bytes | str):
                import json

                body = json.loads(body or b"{}")
            name = f"{model.service_model.service_name}:{model.name}"
            with self._lock:
                self.requests.append((name, dict(body)))


def awsarch_cli(endpoint: str, *args: str, profile: str = "") -> Result:
    """`awsarch VERB …` against the emulator, as the user of `profile` ("" : the session's)."""
    verb, *rest = args
    chosen = ["--profile", profile] if profile else []
    return CliRunner().invoke(cli, [verb, *rest, *chosen, "--endpoint-url", endpoint])
