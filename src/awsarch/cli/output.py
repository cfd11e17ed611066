"""`awsarch output [NAME]`: what a deployed stack offers its users, read from what is live.

The web servers' public addresses, DNS names and instance ids, each database's endpoint and port
and the ARN of its managed master secret (never the secret's value: reading that is
secretsmanager:GetSecretValue, the application's right, not this tool's), each load balancer's
DNS name, and the tags every resource of the stack carries. All of it comes from discovery's
raw answers, the same read `plan`, `up` and `audit` make; nothing is guessed from the blueprint.
"""

from __future__ import annotations

import json
from typing import Any

import click

from awsarch.cli.target import make_target, target_options
from awsarch.errors import InputError

STACK_TAG = "awsarch:stack"
NAME_TAG = "awsarch:name"
GONE = ("shutting-down", "terminated")
"""Instance states that are no longer the stack's servers
(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html)."""


def stack_outputs(raw: dict[str, Any], stack: str) -> dict[str, Any]:
    """The stack's outputs from discovery's raw JSON: pure, so tests feed it recorded answers."""
    return {
        "stack": stack,
        "instances": _instances(raw, stack),
        "databases": _databases(raw, stack),
        "load_balancers": _balancers(raw, stack),
        "tags": _stack_tags(raw, stack),
    }


def _tags(item: dict[str, Any], key: str = "Tags") -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in item.get(key) or []}


def _name(tags: dict[str, str], fallback: str) -> str:
    """`web-1` for `instance/web-1`: the blueprint's own name."""
    return tags.get(NAME_TAG, fallback).split("/", 1)[-1]


def _instances(raw: dict[str, Any], stack: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for reservation in raw.get("ec2", {}).get("Reservations", []):
        for instance in reservation.get("Instances", []):
            tags = _tags(instance)
            if tags.get(STACK_TAG) != stack or instance.get("State", {}).get("Name") in GONE:
                continue
            found[_name(tags, instance["InstanceId"])] = {
                "id": instance["InstanceId"],
                "public_ip": instance.get("PublicIpAddress", ""),
                "public_dns": instance.get("PublicDnsName", ""),
                "private_ip": instance.get("PrivateIpAddress", ""),
            }
    return dict(sorted(found.items()))


def _databases(raw: dict[str, Any], stack: str) -> dict[str, dict[str, Any]]:
    """Endpoint and port (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/
    USER_ConnectToInstance.html) and the managed secret's ARN, never its value."""
    found: dict[str, dict[str, Any]] = {}
    for database in raw.get("rds", {}).get("DBInstances", []):
        tags = _tags(database, "TagList")
        if tags.get(STACK_TAG) != stack:
            continue
        endpoint = database.get("Endpoint") or {}
        found[_name(tags, database["DBInstanceIdentifier"])] = {
            "identifier": database["DBInstanceIdentifier"],
            "endpoint": endpoint.get("Address", ""),
            "port": endpoint.get("Port", 0),
            "secret_arn": (database.get("MasterUserSecret") or {}).get("SecretArn", ""),
        }
    return dict(sorted(found.items()))


def _balancers(raw: dict[str, Any], stack: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for balancer in raw.get("elbv2", {}).get("LoadBalancers", []):
        tags = _tags(balancer)
        if tags.get(STACK_TAG, stack) != stack:
            continue
        found[_name(tags, balancer["LoadBalancerName"])] = {
            "dns_name": balancer.get("DNSName", ""),
            "scheme": balancer.get("Scheme", ""),
        }
    return dict(sorted(found.items()))


def _stack_tags(raw: dict[str, Any], stack: str) -> dict[str, str]:
    """The tags the stack's VPC carries but its own `Name` and `awsarch:name`: those every
    resource of the stack is given."""
    for vpc in raw.get("ec2", {}).get("Vpcs", []):
        tags = _tags(vpc)
        if tags.get(STACK_TAG) == stack:
            return {k: v for k, v in sorted(tags.items()) if k not in ("Name", NAME_TAG)}
    return {}


def flat(outputs: dict[str, Any]) -> dict[str, Any]:
    """Every output under its own name: `web-1.public_ip`, `main.endpoint`, `tags`."""
    names: dict[str, Any] = {"tags": outputs["tags"]}
    for kind in ("instances", "databases", "load_balancers"):
        for name, values in outputs[kind].items():
            names[name] = values
            names.update({f"{name}.{key}": value for key, value in values.items()})
    return names


def outputs_lines(outputs: dict[str, Any]) -> list[str]:
    """The Outputs block, for people: one line per resource."""
    lines = ["Outputs:"]
    for name, i in outputs["instances"].items():
        where = f"{i['public_ip']} ({i['public_dns']})" if i["public_ip"] else "no public address"
        lines.append(f"  {name:<12} {i['id']}  {where}  private {i['private_ip']}")
    for name, d in outputs["databases"].items():
        lines.append(f"  {name:<12} {d['endpoint']}:{d['port']}")
        if d["secret_arn"]:
            lines.append(f"  {'':<12} secret {d['secret_arn']}")
    for name, b in outputs["load_balancers"].items():
        lines.append(f"  {name:<12} {b['dns_name']} ({b['scheme']})")
    tags = ", ".join(f"{k}={v}" for k, v in outputs["tags"].items())
    lines.append(f"  {'tags':<12} {tags or '(none)'}")
    return lines


def echo_value(value: Any) -> None:
    """A single output as a script wants it: a bare string or number, else JSON."""
    click.echo(value if isinstance(value, str | int) else json.dumps(value, sort_keys=True))


@click.command("output")
@click.argument("name", required=False)
@click.option(
    "-b",
    "--blueprint",
    default="blueprint.yaml",
    show_default=True,
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="The blueprint whose stack to read.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs (a stable contract).",
)
@target_options
def command(
    name: str | None,
    blueprint: str,
    output_format: str,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Print the stack's outputs (addresses, endpoints, the secret's ARN), or only NAME
    (`web-1.public_ip`, `main.endpoint`)."""
    from awsarch.adapters.aws.discover import discover
    from awsarch.blueprint.load import load_file
    from awsarch.cli.stack import session_for

    bp = load_file(blueprint).blueprint
    session = session_for(make_target(endpoint_url, region, profile), bp.region)
    outputs = stack_outputs(discover(session, stack=bp.stack), bp.stack)
    if not any(outputs[k] for k in ("instances", "databases", "load_balancers", "tags")):
        raise InputError(
            f"stack {bp.stack} owns nothing in {session.region} — run `awsarch up` first"
        )
    if name is None:
        if output_format == "json":
            click.echo(json.dumps(outputs, indent=2, sort_keys=True))
        else:
            for line in outputs_lines(outputs):
                click.echo(line)
        return
    names = flat(outputs)
    if name not in names:
        raise InputError(f"no output named {name} — one of: {', '.join(sorted(names))}")
    value = names[name]
    if output_format == "json":
        click.echo(json.dumps(value, sort_keys=True))
    else:
        echo_value(value)
