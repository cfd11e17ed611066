"""The API checks and proves a blueprint as `awsarch check` does: data out, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import awsarch
from awsarch.blueprint.seed import seed_text

SSH_HOLE = ("public_ports: [80, 443]", "public_ports: [22, 80, 443]")


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    path = tmp_path / "blueprint.yaml"
    path.write_text(seed_text(), encoding="utf-8")
    return path


@pytest.fixture
def holed(tmp_path: Path) -> Path:
    """The seed with SSH open to the internet on the web servers."""
    path = tmp_path / "holed.yaml"
    path.write_text(seed_text().replace(*SSH_HOLE), encoding="utf-8")
    return path


def test_check_of_the_seed_proves_every_intent_and_finds_no_error(seed: Path) -> None:
    """The seed is sound: its 7 intents hold, no finding is an error, every rule ran."""
    result = awsarch.check(seed)
    assert isinstance(result, awsarch.Verified)
    assert not result.failed
    assert [p.holds for p in result.proofs] == [True] * 7
    assert result.proofs[3].text == "web -> main:3306"
    assert result.rule_count > 30
    assert result.resource_count == sum(1 for _ in result.architecture.resources())


def test_check_reports_a_hole_as_located_findings_not_an_exception(holed: Path) -> None:
    """SSH from the internet is an error finding and a failed intent, each at its line."""
    result = awsarch.check(str(holed))
    assert result.failed
    errors = [f for f in result.findings if f.severity == "error"]
    assert {f.rule_id for f in errors} >= {"INTENT"}
    intent = next(f for f in errors if f.rule_id == "INTENT")
    assert intent.resource_id == "internet -/-> web:22"
    assert result.locate(intent.path).startswith(f"{holed}:")
    failed = [p for p in result.proofs if not p.holds]
    assert [p.text for p in failed] == ["internet -/-> web:22"]
    assert failed[0].evidence


def test_prove_an_intent_that_holds_and_one_that_fails(seed: Path) -> None:
    """`prove` answers any intent on an architecture, with a summary and, when it fails,
    the evidence."""
    architecture = awsarch.expand(awsarch.load(seed))
    holds, fails = awsarch.prove(architecture, ["web -> main:3306", "internet -> main:3306"])
    assert holds.holds and "reachable on tcp/3306" in holds.summary
    assert not fails.holds and fails.summary.startswith("unreachable")
    assert fails.evidence
    (single,) = awsarch.prove(architecture, "web cannot iam:*")
    assert single.kind == "permission" and single.holds


def test_reach_names_the_hop_that_blocks(seed: Path) -> None:
    """`reach` gives the verdict and its path: SSH from the internet stops at the web group."""
    architecture = awsarch.check(seed).architecture
    blocked = awsarch.reach(architecture, "internet", "web", port=22)
    assert blocked.verdict == "unreachable"
    assert {p.blocked_by.resource for p in blocked.paths if p.blocked_by} == {"sg/web"}
    assert awsarch.reach(architecture, "web", "main", port=3306).verdict == "reachable"
    every = awsarch.reach(architecture, "internet", "web")
    assert every.verdict == "reachable" and not every.port_given


def test_an_unreadable_intent_is_an_input_error_naming_which(seed: Path) -> None:
    """A bad intent raises BadIntent, an InputError that says which one and why."""
    architecture = awsarch.expand(awsarch.load(seed))
    with pytest.raises(awsarch.BadIntent) as caught:
        awsarch.prove(architecture, ["web -> main:3306", "web -> nowhere:80"])
    assert caught.value.index == 1
    assert isinstance(caught.value, awsarch.InputError)
    assert "nowhere" in str(caught.value)


def test_an_unknown_endpoint_or_protocol_is_an_input_error(seed: Path) -> None:
    """A name that matches nothing, or a protocol AWS has no rule for, is the caller's mistake."""
    architecture = awsarch.expand(awsarch.load(seed))
    with pytest.raises(awsarch.UnknownEndpointError):
        awsarch.reach(architecture, "internet", "nowhere")
    with pytest.raises(awsarch.InputError, match="unknown protocol"):
        awsarch.reach(architecture, "internet", "web", protocol="sctp")
    for port in (99999, -5, "3306", 3.5, True):
        with pytest.raises(awsarch.InputError, match="not a port"):
            awsarch.reach(architecture, "web", "main", port=port)  # type: ignore[arg-type]


def test_a_broken_blueprint_is_one_located_input_error(tmp_path: Path) -> None:
    """`load` and `check` raise InputError with FILE:LINE:COL, never a traceback of ours."""
    path = tmp_path / "bad.yaml"
    path.write_text(seed_text().replace("azs: 2 ", "azs: 9 "), encoding="utf-8")
    for call in (awsarch.load, awsarch.check):
        with pytest.raises(awsarch.InputError) as caught:
            call(path)
        assert caught.value.file == str(path) and caught.value.line > 0


def test_expand_in_given_zones(seed: Path) -> None:
    """An account's own zone names place the subnets; too few zones is a located error."""
    loaded = awsarch.load(seed)
    zones = ("ap-northeast-2a", "ap-northeast-2c")
    architecture = awsarch.expand(loaded, zones)
    assert {s.az for s in architecture.subnets} == set(zones)
    with pytest.raises(awsarch.InputError, match=r"network\.azs"):
        awsarch.expand(loaded, zones[:1])


def test_check_reads_a_cloudformation_template_as_the_cli_does(seed: Path) -> None:
    """A template (here the seed's own, as `awsarch synth` writes it) is checked by content,
    its intents read from its Metadata."""
    from awsarch.cfn import synth

    loaded = awsarch.load(seed)
    template = synth.synthesize(awsarch.expand(loaded), loaded.blueprint.intents)
    path = seed.with_name("template.json")
    path.write_text(synth.dump(template, "json"), encoding="utf-8")
    result = awsarch.check(path)
    assert not result.failed
    assert len(result.proofs) == 7 and all(p.holds for p in result.proofs)
    with pytest.raises(awsarch.InputError, match="apply to CloudFormation templates"):
        awsarch.check(seed, parameters={"Env": "prod"})
