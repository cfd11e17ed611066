"""Synthesize a model as a CloudFormation template: the same architecture `up` deploys directly.

Pure: a model in, a template (plain data) out; `dump` writes it as YAML or JSON. The output is
deterministic, so the same blueprint gives a byte-identical template. No secret is in it: the
database's password is made and kept by RDS (`ManageMasterUserPassword`), and the template says
where (the `…SecretArn` output), never what.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from awsarch.cfn.builder import Builder, CannotSynthesize, Json, get_att
from awsarch.cfn.logical_ids import camel
from awsarch.cfn.resources_balancing import add_balancing
from awsarch.cfn.resources_compute import add_compute
from awsarch.cfn.resources_default_group import add_default_groups
from awsarch.cfn.resources_iam import add_iam
from awsarch.cfn.resources_network import add_network
from awsarch.cfn.resources_security import add_security_groups
from awsarch.model import Architecture

MAX_RESOURCES = 500
"""CloudFormation's quota of resources per stack
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html)."""


PER_OUTPUT = 50
"""Servers per address output: a comma-joined list stays well inside an output's size."""


def synthesize(arch: Architecture, intents: tuple[str, ...] = ()) -> Json:
    """The template of the architecture, sections in CloudFormation's usual order; `intents`
    (the blueprint's) go into `Metadata: awsarch: intents:`, so `awsarch check` proves them on
    the template itself."""
    if arch.vpc_peerings:
        raise CannotSynthesize("VPC peering connections are not rendered by synth yet")
    b = Builder(stack=arch.stack)
    add_network(b, arch)
    add_security_groups(b, arch)
    add_default_groups(b, arch)
    add_iam(b, arch)
    add_compute(b, arch)
    add_balancing(b, arch)
    _outputs(b, arch)
    if len(b.resources) > MAX_RESOURCES:
        raise CannotSynthesize(
            f"the template would hold {len(b.resources)} resources, over CloudFormation's"
            f" {MAX_RESOURCES} per stack — deploy it with `awsarch up`, or split the blueprint"
        )
    template: Json = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": (
            f"awsarch stack {arch.stack}: the secure architecture of its blueprint"
            " (synthesized by `awsarch synth`; do not edit, synthesize again)"
        ),
    }
    metadata: Json = {}
    if intents:
        metadata["intents"] = list(intents)
    if b.managed_lists:
        metadata["prefix_lists"] = dict(b.managed_lists)
    for section, content in (
        ("Metadata", {"awsarch": metadata} if metadata else {}),
        ("Parameters", b.parameters),
        ("Conditions", b.conditions),
        ("Resources", b.resources),
        ("Outputs", b.outputs),
    ):
        if content:
            template[section] = content
    return template


def _outputs(b: Builder, arch: Architecture) -> None:
    """What a user needs once it is up: the web addresses, the load balancers' DNS names, the
    database endpoint, port and the ARN of its secret (the secret itself stays in Secrets
    Manager)."""
    for vpc in arch.vpcs:
        b.output(f"{b.name(vpc.id)}Id", f"The VPC {vpc.name}", b.ref(vpc.id))
    groups: dict[str, list[str]] = {}
    for instance in arch.instances:
        if instance.has_public_ip and not instance.scaling_group:
            groups.setdefault(instance.group or instance.name, []).append(b.name(instance.id))
    for group, logicals in groups.items():
        for n, start in enumerate(range(0, len(logicals), PER_OUTPUT), start=1):
            chunk = logicals[start : start + PER_OUTPUT]
            suffix = "" if n == 1 else str(n)
            for attribute, what in (("PublicIp", "IPv4 addresses"), ("PublicDnsName", "DNS names")):
                b.output(
                    f"{camel(group)}{attribute}s{suffix}",
                    f"The public {what} of the {group} servers"
                    + (f" (part {n})" if len(logicals) > PER_OUTPUT else ""),
                    {"Fn::Join": [",", [get_att(x, attribute) for x in chunk]]},
                )
    for lb in arch.load_balancers:
        logical = b.name(lb.id)
        what = f"The DNS name clients reach the load balancer {lb.name} at"
        b.output(f"{logical}DnsName", what, get_att(logical, "DNSName"))
    for db in arch.databases:
        logical = b.name(db.id)
        b.output(
            f"{logical}Endpoint", f"Database {db.name}: host", get_att(logical, "Endpoint.Address")
        )
        b.output(f"{logical}Port", f"Database {db.name}: port", get_att(logical, "Endpoint.Port"))
        b.output(
            f"{logical}SecretArn",
            f"Database {db.name}: the ARN of the master secret RDS manages",
            get_att(logical, "MasterUserSecret.SecretArn"),
        )


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the template's order, long strings unwrapped."""


def _no_aliases(dumper: yaml.SafeDumper, data: Any) -> bool:
    return True


_Dumper.ignore_aliases = _no_aliases  # type: ignore[method-assign,assignment]


def dump(template: Json, output_format: str = "yaml") -> str:
    """The template as text: YAML (the default) or JSON, both stable byte for byte."""
    if output_format == "json":
        return json.dumps(template, indent=2, ensure_ascii=False) + "\n"
    return yaml.dump(
        template,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1_000_000,
    )
