"""An AWS API that throttles, or that does not yet see a resource it just created, is retried.

Faults are injected at botocore's `before-send` event, below every awsarch code path: the
handler answers in AWS's own error format instead of sending the request, so botocore's
standard retry mode and awsarch's eventual-consistency retries see what they would see on AWS.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse  # type: ignore[import-untyped]

from awsarch.adapters.aws.apply import ApplyError, apply_plan
from awsarch.adapters.aws.resources.context import ApplyContext
from awsarch.adapters.aws.session import AwsSession
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.blueprint.seed import seed_text
from awsarch.deploy.plan import make_plan
from awsarch.usecases.live import changes_for, observe
from tests.deploy.census import STACK, assert_converged
from tests.deploy.conftest import awsarch


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Any:
        yield self.data


def ec2_error(code: str, status: int = 400) -> AWSResponse:
    """An EC2 query-API error response, as AWS sends it."""
    body = (
        f"<Response><Errors><Error><Code>{code}</Code><Message>injected {code}</Message>"
        "</Error></Errors><RequestID>00000000-0000-0000-0000-000000000000</RequestID></Response>"
    ).encode()
    return AWSResponse("https://ec2.amazonaws.com/", status, {}, _Body(body))


class FailFirst:
    """A `before-send` handler: the first `times` requests of one operation get `code`."""

    def __init__(self, operation: str, code: str, times: int) -> None:
        self.operation = operation
        self.code = code
        self.times = times
        self.sent = 0
        self.failed = 0
        self._lock = threading.Lock()

    def register(self, client: Any) -> None:
        service = client.meta.service_model.service_name
        client.meta.events.register(f"before-send.{service}.{self.operation}", self)

    def __call__(self, **_: Any) -> AWSResponse | None:
        with self._lock:
            self.sent += 1
            if self.failed < self.times:
                self.failed += 1
                return ec2_error(self.code)
        return None


def _on_every_client(monkeypatch: pytest.MonkeyPatch, fault: FailFirst) -> None:
    """Register the fault on each EC2 client awsarch's session makes (the CLI's too)."""
    real_client = AwsSession.client

    def client(self: AwsSession, service: str) -> Any:
        made = real_client(self, service)
        if service == "ec2" and not getattr(made, "_fault_registered", False):
            fault.register(made)
            made._fault_registered = True
        return made

    monkeypatch.setattr(AwsSession, "client", client)


def _no_backoff_wait(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """botocore still decides to retry and computes its backoff; the test does not sleep it."""
    from botocore.retries.standard import ExponentialBackoff  # type: ignore[import-untyped]

    waits: list[int] = []

    def delay_amount(self: ExponentialBackoff, context: Any) -> float:
        waits.append(context.attempt_number)
        return 0.0

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", delay_amount)
    return waits


def test_throttled_calls_are_retried_and_up_succeeds(
    endpoint: str, blueprint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three throttled CreateSubnet requests are retried by botocore; `up` builds the stack."""
    fault = FailFirst("CreateSubnet", "RequestLimitExceeded", times=3)
    _on_every_client(monkeypatch, fault)
    waits = _no_backoff_wait(monkeypatch)
    result = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 0, result.output
    assert fault.failed == 3
    assert fault.sent == 4 + 3  # four subnets, three of the requests sent twice or more
    assert len(waits) == 3  # one standard-mode backoff per throttled request
    assert_converged(endpoint)


def test_throttling_that_never_ends_fails_with_one_clear_line(
    endpoint: str, blueprint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When retries run out, `up` stops with a one-line error naming the throttled operation."""
    fault = FailFirst("CreateSubnet", "RequestLimitExceeded", times=10_000)
    _on_every_client(monkeypatch, fault)
    _no_backoff_wait(monkeypatch)
    result = awsarch("up", blueprint, "--yes", endpoint=endpoint)
    assert result.exit_code == 1, result.output
    assert "throttled ec2:CreateSubnet (RequestLimitExceeded)" in result.output
    assert fault.sent == 4 * 5  # every subnet: botocore's five attempts, no more


def _apply_seed(endpoint: str, fault: FailFirst, delays: tuple[float, ...]) -> list[float]:
    """Plan the seed blueprint against the emulator and apply it with zeroed, recorded sleeps."""
    session = AwsSession(endpoint_url=endpoint)
    fault.register(session.client("ec2"))
    architecture = expand(load_text(seed_text(), file="seed.yaml").blueprint)
    observed = observe(session, stack=STACK)
    plan = make_plan(changes_for(architecture, observed), stack=STACK, timestamp="0")
    slept: list[float] = []
    context = ApplyContext(
        session=session, stack=STACK, waiter_delay=1, retry_delays=delays, sleep=slept.append
    )
    apply_plan(plan, context)
    return slept


def test_not_yet_visible_after_creation_is_retried(endpoint: str) -> None:
    """A subnet AWS does not yet see right after creating it (InvalidSubnetID.NotFound) is
    retried after the context's backoff, and the apply completes."""
    fault = FailFirst("ModifySubnetAttribute", "InvalidSubnetID.NotFound", times=2)
    slept = _apply_seed(endpoint, fault, delays=(0.25, 0.5, 1.0))
    assert fault.failed == 2
    # two subnets retried once each, or one subnet twice (the subnets are created in parallel)
    assert sorted(slept) in ([0.25, 0.25], [0.25, 0.5])
    assert_converged(endpoint)


def test_a_resource_that_never_appears_fails_after_the_backoff(endpoint: str) -> None:
    """When the resource stays invisible, the apply gives up after every backoff step."""
    fault = FailFirst("ModifySubnetAttribute", "InvalidSubnetID.NotFound", times=10_000)
    with pytest.raises(ApplyError, match=r"InvalidSubnetID\.NotFound"):
        _apply_seed(endpoint, fault, delays=(0.0, 0.0, 0.0))
    assert fault.failed >= 4  # the first try and one per backoff step, for at least one subnet
