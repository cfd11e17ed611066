"""Verify a CloudFormation template as `check` verifies a blueprint: rules, intents, locations.

The thin reading (the template file, an intents file) happens here; the rest is pure.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from awsarch.blueprint.document import Document, parse
from awsarch.blueprint.load import Loaded
from awsarch.blueprint.spec import Blueprint, NetworkSpec
from awsarch.cfn.template import TemplateDocument, parse_template, read_text
from awsarch.errors import InputError
from awsarch.model import Architecture, Path
from awsarch.rules.base import Finding
from awsarch.usecases.verify import Verified, _check_intents, verify_architecture

if TYPE_CHECKING:  # the template reader pulls in the resource names: only for templates
    from awsarch.cfn.ingest import Ingested

DEFAULT_REGION = "us-east-1"
INTENTS_AT: Path = ("Metadata", "awsarch", "intents")


def parse_parameters(pairs: Sequence[str]) -> dict[str, str]:
    """`--parameter K=V` pairs (V may hold `=`; a list parameter takes `a,b`)."""
    found = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(f"--parameter {pair!r}: write KEY=VALUE, e.g. --parameter Env=prod")
        found[key.strip()] = value
    return found


def read(path: str, pairs: Sequence[str] = ()) -> tuple[Document, Ingested]:
    """Parse and ingest the template at path with the `--parameter` overrides."""
    from awsarch.cfn.ingest import ingest

    doc = parse_template(read_text(path), file=path)
    parameters = parse_parameters(pairs)
    region = (
        parameters.get("AWS::Region")
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION
    )
    stack = parameters.get("AWS::StackName") or _stack_name(path)
    return doc, ingest(doc, parameters=parameters, region=region, stack=stack)


def template_architecture(path: str, pairs: Sequence[str] = ()) -> Architecture:
    return read(path, pairs)[1].architecture


def verify_template(
    path: str, pairs: Sequence[str] = (), intents_file: str | None = None
) -> Verified:
    """The rules and intents on the template's model, findings at the template's lines, its
    Metadata suppressions applied."""
    doc, ingested = read(path, pairs)
    intents_doc = (
        parse(read_text(intents_file, "intents file"), file=intents_file) if intents_file else None
    )
    intents, at = _intents(intents_doc or doc, from_file=intents_doc is not None)
    document = TemplateDocument(
        file=doc.file,
        data=doc.data,
        values=doc.values,
        keys=doc.keys,
        aliases=ingested.aliases,
        intents_file=intents_doc,
        intents_at=at,
    )
    arch = ingested.architecture
    loaded = Loaded(blueprint=_stand_in(arch, intents), document=document)
    _check_intents(loaded, intents)
    verified = verify_architecture(loaded, arch)
    from awsarch.cfn.suppress import apply, read_suppressions

    findings = apply(verified.findings, read_suppressions(doc)) + _ignored(ingested, doc.data)
    return dataclasses.replace(verified, findings=tuple(findings))


def _intents(doc: Document, *, from_file: bool) -> tuple[tuple[str, ...], Path]:
    """`intents:` of an intents file (or a bare list), else the template's Metadata."""
    data: Any = doc.data
    at: Path = ()
    if from_file and isinstance(data, dict):
        data, at = data.get("intents"), ("intents",)
    elif not from_file:
        data = ((data.get("Metadata") or {}).get("awsarch") or {}).get("intents")
        at = INTENTS_AT
    if data is None:
        return (), at
    if not isinstance(data, list) or not all(isinstance(i, str) for i in data):
        raise doc.error(at, "intents are a list of strings, e.g. `- internet -> Web:443`")
    return tuple(data), at


def _ignored(ingested: Ingested, data: Any) -> list[Finding]:
    """One info finding per resource of a type outside the architecture, on its logical id and
    at its line, so a reader finds which resource was not read."""
    if not ingested.ignored:
        return []
    resources = data.get("Resources") if isinstance(data, dict) else None
    ignored = set(ingested.ignored)
    return [
        Finding(
            rule_id="CFN000",
            severity="info",
            resource_id=str(logical_id),
            message=f"not read (outside the architecture): {kind}",
            path=("Resources", str(logical_id)),
        )
        for logical_id, resource in (resources or {}).items()
        if isinstance(resource, dict) and (kind := str(resource.get("Type"))) in ignored
    ]


def _stand_in(arch: Architecture, intents: tuple[str, ...]) -> Blueprint:
    """What verification needs of a blueprint (its stack, region and intents)."""
    cidr = arch.vpcs[0].cidr if arch.vpcs else ""
    network = NetworkSpec(
        cidr=cidr, azs=len({s.az for s in arch.subnets}), nat="", subnet_size=None, tiers=()
    )
    return Blueprint(
        stack=arch.stack,
        region=arch.region,
        network=network,
        servers=(),
        databases=(),
        intents=intents,
    )


def _stack_name(path: str) -> str:
    """`cdk.out/App.template.json` → App; `network.yaml` → network."""
    name = os.path.basename(path)
    for suffix in (".template.json", ".template.yaml", ".json", ".yaml", ".yml", ".template"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def verify_path(path: str, pairs: Sequence[str] = (), intents_file: str | None = None) -> Verified:
    """A template by content, else a blueprint: what `check` and `report` verify."""
    from awsarch.cfn.template import is_template_file
    from awsarch.usecases.verify import verify_file

    if is_template_file(path):
        return verify_template(path, pairs, intents_file)
    if pairs or intents_file:
        raise InputError(f"{path}: --parameter and --intents apply to CloudFormation templates")
    return verify_file(path)


def architecture_path(path: str, pairs: Sequence[str] = ()) -> Architecture | None:
    """The template's model when path is a template; None for a blueprint."""
    found = template_with_intents(path, pairs)
    return found[0] if found else None


def template_with_intents(
    path: str, pairs: Sequence[str] = ()
) -> tuple[Architecture, tuple[str, ...]] | None:
    """The template's model and the intents of its `Metadata: awsarch: intents` when path is a
    template (so `reach` marks the promises a template makes, as a blueprint's); None for a
    blueprint."""
    from awsarch.cfn.template import is_template_file

    if not is_template_file(path):
        return None
    doc, ingested = read(path, pairs)
    return ingested.architecture, _intents(doc, from_file=False)[0]


def refuse_live(path: str) -> None:
    """`--live` reads a blueprint's deployed stack; a template names none."""
    from awsarch.cfn.template import is_template_file

    if is_template_file(path):
        raise InputError(
            f"{path} is a CloudFormation template: --live needs the blueprint of a deployed"
            " stack — drop --live to check the template itself"
        )
