"""awsarch as a new user meets it: real processes, the environment they would have, one-line
answers and no tracebacks — with the emulator, without credentials, with the endpoint down."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner, Result

from awsarch.blueprint import seed
from awsarch.cli.main import cli

AWSARCH = [sys.executable, "-m", "awsarch"]
REGION = "eu-west-1"
LIVE_COMMANDS = (
    ("audit",),
    ("reach", "--from", "internet", "--to", "i-0123456789abcdef0", "--port", "443"),
    ("reach", "--from", "internet", "--to", "web", "--live"),
    ("plan", "blueprint.yaml", "--live"),
    ("up", "blueprint.yaml", "--yes"),
    ("down", "blueprint.yaml", "--yes"),
)
"""Every verb that reads or changes a live account."""


def bare_env(**settings: str) -> dict[str, str]:
    """This process's environment with every AWS setting removed: no keys, no profile, no
    config or credentials file, no instance metadata; then `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    return {**env, **settings}


def run(args: tuple[str, ...], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*AWSARCH, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def run_all(
    env: dict[str, str], cwd: Path, commands: Sequence[tuple[str, ...]]
) -> list[subprocess.CompletedProcess[str]]:
    """Commands as processes of their own, side by side, in a folder holding the seed."""
    (cwd / "blueprint.yaml").write_text(seed.seed_text())
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        return list(pool.map(lambda args: run(args, env, cwd), commands))


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a failing command printed on stderr (asserting it was one, no traceback)."""
    shown = " ".join(result.args[3:])
    assert result.returncode in (1, 2), (shown, result.returncode, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr, shown
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("awsarch: error: "), (shown, lines)
    return lines[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# ---- the emulator in one terminal, awsarch in another ----------------------------------------
def _ctrl_c_as_in_a_terminal() -> None:
    """A shell starts background jobs with SIGINT ignored, and the child inherits that; a
    terminal's foreground process has it on. The test runs the emulator as in a terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="module")
def terminal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`awsarch emulator --port N` running as its own process; yields the environment its
    banner tells the user to export (parsed from what it printed)."""
    port = free_port()
    process = subprocess.Popen(
        [*AWSARCH, "emulator", "--port", str(port), "--quiet"],
        env=bare_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )
    assert process.stdout is not None
    banner = [process.stdout.readline()]
    while banner[-1] and not banner[-1].startswith("Ctrl-C"):
        banner.append(process.stdout.readline())
    assert f"http://127.0.0.1:{port}" in banner[0], banner
    exports = dict(
        pair.split("=", 1)
        for line in banner
        if line.strip().startswith("export ")
        for pair in line.split()[1:]
    )
    try:
        yield bare_env(**exports)
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C, as in the terminal
        assert process.wait(timeout=20) == 0
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()


def test_banner_says_what_to_export(terminal: dict[str, str]) -> None:
    """The banner names the endpoint, test keys and a region: enough for every other command."""
    assert terminal["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    assert terminal["AWS_ACCESS_KEY_ID"] and terminal["AWS_SECRET_ACCESS_KEY"]
    assert terminal["AWS_REGION"]


def _delete_default_vpc(env: dict[str, str], region: str) -> None:
    ec2 = boto3.client(
        "ec2",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        region_name=region,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )
    (vpc,) = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    vpc_filter = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}]
    for subnet in ec2.describe_subnets(Filters=vpc_filter)["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    attached = [{"Name": "attachment.vpc-id", "Values": [vpc["VpcId"]]}]
    for igw in ec2.describe_internet_gateways(Filters=attached)["InternetGateways"]:
        ec2.detach_internet_gateway(InternetGatewayId=igw["InternetGatewayId"], VpcId=vpc["VpcId"])
        ec2.delete_internet_gateway(InternetGatewayId=igw["InternetGatewayId"])
    ec2.delete_vpc(VpcId=vpc["VpcId"])


@pytest.fixture(scope="module")
def empty_region(terminal: dict[str, str]) -> str:
    """A region with nothing in it at all: its default VPC deleted, as some users do."""
    _delete_default_vpc(terminal, "ca-central-1")
    return "ca-central-1"


def test_an_empty_region_adds_no_findings_of_its_own(
    terminal: dict[str, str], empty_region: str, tmp_path: Path
) -> None:
    """On a region with nothing in it, audit runs without an error line and every finding it
    reports is about the account (IAM), none about the region."""
    args = ("audit", "--region", empty_region, "--format", "json")
    result = run(args, terminal, tmp_path)
    assert result.returncode in (0, 3) and result.stderr == "", result.stderr
    answer = json.loads(result.stdout)
    assert answer["target"]["region"] == empty_region
    assert all(f["resource"].startswith("account/") for f in answer["findings"]), answer


def _says_nothing_to_audit(result: subprocess.CompletedProcess[str], region: str) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("nothing to audit") and region in lines[0], lines


def test_audit_of_a_region_with_nothing_in_it(
    terminal: dict[str, str], empty_region: str, tmp_path: Path
) -> None:
    """A region with nothing in it: audit says there is nothing to audit, one line, exit 0."""
    result = run(("audit", "--region", empty_region), terminal, tmp_path)
    _says_nothing_to_audit(result, empty_region)


def test_audit_of_a_fresh_region_says_it_is_empty(terminal: dict[str, str], tmp_path: Path) -> None:
    """A fresh region (AWS, and the emulator, give it a default VPC and nothing else): audit says
    there is nothing of the user's to audit, one line, exit 0."""
    result = run(("audit",), terminal, tmp_path)
    _says_nothing_to_audit(result, terminal["AWS_REGION"])


def test_an_empty_region_points_at_the_blueprints_region(
    terminal: dict[str, str], empty_region: str, tmp_path: Path
) -> None:
    """`up` builds in the blueprint's region whatever AWS_REGION says: an empty audit beside
    that blueprint says where its stack is, on the same one line."""
    (tmp_path / "blueprint.yaml").write_text(seed.seed_text())
    result = run(("audit", "--region", empty_region), terminal, tmp_path)
    _says_nothing_to_audit(result, empty_region)
    assert "blueprint.yaml's stack is in ap-northeast-2: add --region ap-northeast-2" in (
        result.stdout
    )


# ---- no credentials at all ------------------------------------------------------------------
def in_process(env: dict[str, str], cwd: Path) -> list[Result]:
    """Every live command through the CLI in this process, under exactly `env`'s AWS settings."""
    (cwd / "blueprint.yaml").write_text(seed.seed_text())
    cleared: dict[str, str | None] = {k: None for k in os.environ if k.startswith("AWS_")}
    settings = {**cleared, **{k: v for k, v in env.items() if k.startswith("AWS_")}}
    runner = CliRunner(env=settings)
    path = str(cwd / "blueprint.yaml")
    return [
        runner.invoke(cli, [path if a == "blueprint.yaml" else a for a in args])
        for args in LIVE_COMMANDS
    ]


def test_no_credentials_is_one_line_and_never_sends(tmp_path: Path) -> None:
    """With no credentials anywhere, every live command explains it in one line, exit 1 or 2,
    and nothing is sent: the endpoint below listens and is never connected to."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        env = bare_env(
            AWS_ENDPOINT_URL=f"http://127.0.0.1:{listener.getsockname()[1]}",
            AWS_DEFAULT_REGION=REGION,
        )
        as_process = run_all(env, tmp_path, LIVE_COMMANDS[:1])
        results = in_process(env, tmp_path)
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()
    for line in [one_line_error(r) for r in as_process] + [in_process_error(r) for r in results]:
        assert "no AWS credentials" in line, line


def in_process_error(result: Result) -> str:
    """The one line a command run in this process printed on stderr, exit 1 or 2."""
    assert result.exit_code in (1, 2), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("awsarch: error: "), lines
    return lines[0]


# ---- the endpoint is down -------------------------------------------------------------------
def test_endpoint_down_is_one_line_naming_it(tmp_path: Path) -> None:
    """With the endpoint down (nothing listens on the port), a reading, a proving and a
    deploying command each say they cannot reach that endpoint, in one line, exit 1 or 2."""
    url = f"http://127.0.0.1:{free_port()}"
    keys = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    env = bare_env(AWS_ENDPOINT_URL=url, AWS_DEFAULT_REGION=REGION, **keys)
    chosen = [c for c in LIVE_COMMANDS if c[0] in ("audit", "up")] + [LIVE_COMMANDS[1]]
    for result in run_all(env, tmp_path, chosen):
        line = one_line_error(result)
        assert "cannot reach" in line and url in line, line
