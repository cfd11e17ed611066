"""`awsarch diagram` and `awsarch report` through the CLI: from a blueprint and live."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from awsarch.adapters.emulator import Emulator
from tests.deploy.conftest import awsarch
from tests.e2e.test_report_browser import SEED
from tests.render.support import GOLDEN


def _run(*args: str, cwd: Path) -> tuple[int, str]:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "awsarch", *args], cwd=cwd, capture_output=True, text=True
    )
    return result.returncode, result.stdout + result.stderr


def test_diagram_from_the_blueprint_matches_the_golden(tmp_path: Path) -> None:
    """`awsarch diagram` draws the seed with its proved flows, as the reviewed golden SVG."""
    shutil.copy(SEED, tmp_path / "blueprint.yaml")
    code, output = _run("diagram", cwd=tmp_path)
    assert code == 0, output
    assert "7 proved flows" in output
    drawn = (tmp_path / "architecture.svg").read_text()
    assert drawn == (GOLDEN / "seed.svg").read_text()


def test_mermaid_to_stdout(tmp_path: Path) -> None:
    """`--format mermaid -o -` prints the flowchart for a README, with the MySQL arrow."""
    shutil.copy(SEED, tmp_path / "blueprint.yaml")
    code, output = _run("diagram", "--format", "mermaid", "-o", "-", cwd=tmp_path)
    assert code == 0, output
    assert output.startswith("flowchart TB") and '-->|"3306"|' in output


def test_bad_blueprint_is_exit_2(tmp_path: Path) -> None:
    """A broken blueprint gives the usual one-line error, for diagram and report alike."""
    (tmp_path / "blueprint.yaml").write_text("stack: x\nnetwork: [\n")
    for verb in ("diagram", "report"):
        code, output = _run(verb, cwd=tmp_path)
        assert code == 2 and "Traceback" not in output, output


@pytest.mark.soak  # make demo draws the live diagram and report after make test
def test_live_diagram_and_report(emulator: Emulator, tmp_path: Path) -> None:
    """Once the seed is up, the live diagram shows the same proved flows and the report holds."""
    emulator.reset()
    try:
        blueprint = str(shutil.copy(SEED, tmp_path / "blueprint.yaml"))
        endpoint = emulator.endpoint_url
        assert awsarch("up", blueprint, "--yes", endpoint=endpoint).exit_code == 0
        svg = tmp_path / "live.svg"
        drawn = awsarch("diagram", blueprint, "--live", "-o", str(svg), endpoint=endpoint)
        assert drawn.exit_code == 0, drawn.output
        assert "7 proved flows" in drawn.output
        assert ">3306<" in svg.read_text() and ">80, 443<" in svg.read_text()
        page = tmp_path / "live.html"
        made = awsarch("report", blueprint, "--live", "-o", str(page), endpoint=endpoint)
        assert made.exit_code == 0, made.output
        assert "7 of 7 intents hold" in made.output
        assert "— live" in page.read_text()
        assert 'role="alert"' not in page.read_text() and 'class="drift"' not in svg.read_text()
        _open_ssh(endpoint)
        drawn = awsarch("diagram", blueprint, "--live", "-o", str(svg), endpoint=endpoint)
        assert "1 drifted from the blueprint" in drawn.output, drawn.output
        live_svg = svg.read_text()
        assert live_svg.count('<g class="drift" data-drift="sg-frame:instance/web-') == 2
        assert live_svg.count('marker-end="url(#head-violation)"/>') >= 2  # the SSH hole
        made = awsarch("report", blueprint, "--live", "-o", str(page), endpoint=endpoint)
        assert "1 drifted from the blueprint" in made.output, made.output
        assert 'class="banner drift-banner" role="alert"' in page.read_text()
    finally:
        emulator.reset()


def _open_ssh(endpoint: str) -> None:
    """Someone opens SSH on the web servers' group by hand: the stack drifts."""
    from tests.deploy.census import client
    from tests.deploy.test_e2e_lifecycle import _group_id

    ec2 = client("ec2", endpoint)
    ssh = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    ec2.authorize_security_group_ingress(GroupId=_group_id(ec2, "sg/web"), IpPermissions=[ssh])
