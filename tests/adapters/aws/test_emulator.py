"""The embedded emulator: loopback only, a real AWS API endpoint, clean start and stop."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

import boto3
import pytest

from awsarch.adapters import emulator as emulator_module
from awsarch.adapters.emulator import Emulator
from awsarch.errors import ToolError


def test_listens_on_loopback_only(emulator: Emulator) -> None:
    """The endpoint is on 127.0.0.1: an emulator that accepts any credentials stays local."""
    assert emulator.host == "127.0.0.1"
    assert emulator.endpoint_url == f"http://127.0.0.1:{emulator.port}"
    assert emulator._server.server_address[0] == "127.0.0.1"


def test_serves_the_aws_apis(emulator: Emulator) -> None:
    """EC2 calls made against the endpoint URL succeed."""
    ec2 = boto3.client("ec2", endpoint_url=emulator.endpoint_url)
    assert ec2.describe_availability_zones()["AvailabilityZones"]


def test_stop_frees_the_port_and_a_busy_port_is_one_line() -> None:
    """A second emulator on a taken port fails with a one-line error; stop frees the port."""
    running = emulator_module.start()
    with pytest.raises(ToolError, match=f"127.0.0.1:{running.port}: port already in use"):
        emulator_module.start(running.port)
    running.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{running.endpoint_url}/moto-api/", timeout=2)
    again = emulator_module.start(running.port)
    again.stop()


def test_reset_forgets_resources() -> None:
    """reset() empties the emulator, so a demo can start from a clean account."""
    running = emulator_module.start()
    try:
        ec2 = boto3.client("ec2", endpoint_url=running.endpoint_url)
        ec2.create_vpc(CidrBlock="10.77.0.0/16")
        running.reset()
        cidrs = [v["CidrBlock"] for v in ec2.describe_vpcs()["Vpcs"]]
        assert "10.77.0.0/16" not in cidrs
    finally:
        running.stop()


def test_serve_runs_in_the_foreground_until_stopped() -> None:
    """serve() hands the running emulator to on_ready and returns once asked to stop."""
    ready: list[Emulator] = []
    stop = threading.Event()

    def on_ready(running: Emulator) -> None:
        ready.append(running)
        boto3.client("ec2", endpoint_url=running.endpoint_url).describe_vpcs()
        stop.set()

    worker = threading.Thread(
        target=emulator_module.serve,
        kwargs={"on_ready": on_ready, "stop_event": stop, "log_requests": False},
    )
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert ready and ready[0].host == "127.0.0.1"
