"""synth → template in: the template reads back as its blueprint's own model and proves the same.

The two directions keep each other honest: a property synth drops, or one template-in misreads,
shows as a field that differs, named by the blueprint's resource id.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.cfn.ingest import ingest
from awsarch.cfn.synth import dump, synthesize
from awsarch.cfn.template import parse_template
from awsarch.cfn.verify import verify_template
from awsarch.model import Architecture
from awsarch.usecases.verify import Verified, verify_file

from .blueprints import BLUEPRINTS
from .compare import differences
from .test_synth_properties import blueprints

ROUND_TRIPPED = (
    "seed",
    "three-az",
    "nat-per-az",
    "three-tier",
    "prefix-lists",
    "render-fixture",
    "alb-three-tier",
)
TEMPLATE_ONLY = frozenset({"helper/restrict-default-group-role"})
"""In the template's model and not the blueprint's, on purpose: the role of the function that
empties the VPC's default group, which CloudFormation needs to do what `up` does with its own
calls (cfn/resources_default_group.py). Everything else must be equal."""
NOT_PROVED_BY_BLUEPRINTS = frozenset({"CFN000"})
"""An info finding only a template can have: what it holds outside the architecture (that
function), listed so nobody believes awsarch read it."""


def round_trip(text: str) -> tuple[Architecture, Architecture, str]:
    """The blueprint's model, the model read back from its template, and the template."""
    bp = load_text(text, file="blueprint.yaml").blueprint
    arch = expand(bp)
    template = dump(synthesize(arch, bp.intents))
    doc = parse_template(template, file="template.yaml")
    back = ingest(doc, parameters={}, region=bp.region, stack=bp.stack).architecture
    return arch, _without_helpers(back), template


def _without_helpers(arch: Architecture) -> Architecture:
    kept = tuple(r for r in arch.roles if r.id not in TEMPLATE_ONLY)
    return dataclasses.replace(arch, roles=kept)


def assert_same_model(text: str) -> None:
    arch, back, _ = round_trip(text)
    found = differences(arch, back)
    assert not found, "the template reads back differently:\n" + "\n".join(found)


@pytest.mark.parametrize("name", ROUND_TRIPPED)
def test_the_template_reads_back_as_the_blueprints_model(name: str) -> None:
    """Every resource of the blueprint comes back from its template under its own id, field for
    field: the implicit main table, default ACL and emptied default group included."""
    assert_same_model(BLUEPRINTS[name])


def test_a_difference_is_named_by_resource_and_field() -> None:
    """A field synth or template-in got wrong shows as one readable line."""
    arch, back, _ = round_trip(BLUEPRINTS["seed"])
    (db,) = back.databases
    wrong = dataclasses.replace(back, databases=(dataclasses.replace(db, multi_az=False),))
    assert differences(arch, wrong) == ["db/main.multi_az: expected True, got False"]


def test_the_helper_role_is_in_the_templates_model() -> None:
    """The function's role is not hidden: the template's model has it, trusted by Lambda only."""
    bp = load_text(BLUEPRINTS["seed"], file="blueprint.yaml").blueprint
    doc = parse_template(dump(synthesize(expand(bp), bp.intents)), file="t.yaml")
    arch = ingest(doc, parameters={}, region=bp.region, stack=bp.stack).architecture
    (role,) = [r for r in arch.roles if r.id in TEMPLATE_ONLY]
    assert role.trusted_service == "lambda.amazonaws.com"


def check_both(text: str, folder: Path) -> tuple[Verified, Verified]:
    """`awsarch check` on the blueprint and on its synthesized template."""
    bp = load_text(text, file="blueprint.yaml").blueprint
    blueprint = folder / "blueprint.yaml"
    blueprint.write_text(text, encoding="utf-8")
    template = folder / "template.yaml"
    template.write_text(dump(synthesize(expand(bp), bp.intents)), encoding="utf-8")
    return verify_file(str(blueprint)), verify_template(str(template), [f"AWS::Region={bp.region}"])


def verdicts(verified: Verified) -> tuple[list[tuple[str, ...]], list[tuple[object, ...]]]:
    """The findings (rule, severity, resource, message) and intent verdicts, in order."""
    found = [
        (f.rule_id, f.severity, f.resource_id, f.message)
        for f in verified.findings
        if f.rule_id not in NOT_PROVED_BY_BLUEPRINTS
    ]
    proofs = [(p.text, p.holds, p.conditional, p.summary) for p in verified.proofs]
    return found, proofs


@pytest.mark.parametrize("name", ROUND_TRIPPED)
def test_check_on_the_template_says_what_check_on_the_blueprint_says(
    name: str, tmp_path: Path
) -> None:
    """Same rules on the same resources by the blueprint's names, same intent verdicts: the
    template carries the blueprint's intents in its Metadata and proves itself."""
    on_blueprint, on_template = check_both(BLUEPRINTS[name], tmp_path)
    assert verdicts(on_template) == verdicts(on_blueprint)
    assert len(on_template.proofs) == len(load_text(BLUEPRINTS[name], file="b").blueprint.intents)


def test_the_seed_template_proves_clean_and_finds_at_its_own_lines(tmp_path: Path) -> None:
    """A finding on the template points at the template's line of the blueprint's resource."""
    planted = BLUEPRINTS["seed"].replace("multi_az: true", "multi_az: false")
    on_blueprint, on_template = check_both(planted, tmp_path)
    assert verdicts(on_template) == verdicts(on_blueprint)
    (finding,) = [f for f in on_template.findings if f.rule_id == "DATA004"]
    assert finding.resource_id == "db/main"
    text = (tmp_path / "template.yaml").read_text(encoding="utf-8").splitlines()
    line = int(on_template.locate(finding.path).split(":")[1])
    assert text[line - 1].strip().startswith("MultiAZ: false")


def test_leaving_the_default_group_alone_is_reported(tmp_path: Path) -> None:
    """EmptyDefaultSecurityGroup=false keeps AWS's rules on the default group: SEC005 says so."""
    check_both(BLUEPRINTS["seed"], tmp_path)
    template = str(tmp_path / "template.yaml")
    region = "AWS::Region=ap-northeast-2"
    kept = verify_template(template, [region, "EmptyDefaultSecurityGroup=false"])
    (finding,) = [f for f in kept.findings if f.rule_id == "SEC005"]
    assert finding.resource_id == "sg/default"
    assert not [f for f in verify_template(template, [region]).findings if f.rule_id == "SEC005"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints())
def test_any_small_blueprint_round_trips(data: dict[str, Any]) -> None:
    """Whatever shape a small blueprint has, its template reads back as its model and `check`
    says the same of both."""
    data["intents"] = _intents(data)
    text = yaml.safe_dump(data)
    assert_same_model(text)
    with tempfile.TemporaryDirectory() as folder:
        on_blueprint, on_template = check_both(text, Path(folder))
    assert verdicts(on_template) == verdicts(on_blueprint)


def _intents(data: dict[str, Any]) -> list[str]:
    """Intents that name what the generated blueprint has (a server group with servers, the
    database)."""
    found = ["internet -/-> main"] if "databases" in data else []
    for name, server in data["servers"].items():
        if server["count"]:
            found += [f"internet -/-> {name}:22", f"internet -> {name}:443", f"{name} cannot iam:*"]
            found += [f"{name} -> main"] if "databases" in data else []
    return found
