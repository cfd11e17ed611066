"""Names the model gives what a template declares: one module owns the conventions.

A resource's id in the model is its `awsarch:name` tag when it carries one (`subnet/public-a`, as
`awsarch synth` writes on every resource), so a synthesized template reads back as its
blueprint's own resources, with the blueprint's names in findings and intents; else its logical
id (`WebSG1A2B3C4D`), so findings and verdicts name what the template names. People's names drop
the hash the CDK appends (`WebSG`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from awsarch.adapters.aws.resources.context import NAME_TAG

CDK_HASH = re.compile(r"^(.+?)[0-9A-F]{8}$")
DEFAULT_GROUP = ".DefaultSecurityGroup"
DEFAULT_ACL = ".DefaultNetworkAcl"
MAIN_TABLE = ".MainRouteTable"
BLUEPRINT_DEFAULTS = {
    DEFAULT_GROUP: "sg/default",
    DEFAULT_ACL: "acl/default",
    MAIN_TABLE: "rtb/main",
}
"""What a blueprint's model calls its VPC's implicit resources (blueprint/expand.py)."""


def model_id(logical_id: str, resource: Mapping[str, Any]) -> str:
    """The resource's `awsarch:name` (a tag, a launch template's own tag specification, or
    `Metadata: awsarch: name:` on types CloudFormation cannot tag), else its logical id."""
    properties = resource.get("Properties")
    properties = properties if isinstance(properties, Mapping) else {}
    found = tag(properties, NAME_TAG)
    for spec in properties.get("TagSpecifications") or ():
        if not found and isinstance(spec, Mapping):
            found = tag(spec, NAME_TAG)
    metadata = (resource.get("Metadata") or {}).get("awsarch") or {}
    if not found and isinstance(metadata, Mapping) and isinstance(metadata.get("name"), str):
        found = metadata["name"]
    return found if "/" in found else logical_id


def implicit_id(vpc_id: str, suffix: str) -> str:
    """The id of what AWS creates with a VPC (`suffix` names which): a blueprint's own ids for
    a VPC tagged `vpc/main`, `<kind>/<vpc>-…` for another tagged one, else `<LogicalId><suffix>`."""
    _, _, name = vpc_id.partition("/")
    if not name:
        return vpc_id + suffix
    if name == "main":
        return BLUEPRINT_DEFAULTS[suffix]
    return BLUEPRINT_DEFAULTS[suffix].replace("/", f"/{name}-")


def friendly(logical_id: str) -> str:
    """The logical id without the CDK's 8-hex-digit hash: `WebSG1A2B3C4D` → `WebSG`."""
    match = CDK_HASH.match(logical_id)
    return match.group(1) if match else logical_id


def tag(properties: Mapping[str, Any], key: str) -> str:
    """A resource's tag value when the template writes it as a plain string, else ""."""
    for item in properties.get("Tags") or ():
        if isinstance(item, Mapping) and item.get("Key") == key and isinstance(item["Value"], str):
            return str(item["Value"])
    return ""


def literal(properties: Mapping[str, Any], key: str, default: str) -> str:
    value = properties.get(key)
    return value if isinstance(value, str) and value else default


def database_name(logical_id: str, properties: Mapping[str, Any]) -> str:
    """DBInstanceIdentifier when written, else the friendly logical id (what intents name)."""
    return literal(properties, "DBInstanceIdentifier", friendly(logical_id))


def server_group(logical_id: str, properties: Mapping[str, Any]) -> str:
    """The `awsarch:group` tag, else the friendly logical id less its trailing digits
    (`Web1`, `Web2` → `Web`): the name `web -> db:3306`-style intents use."""
    found = tag(properties, "awsarch:group")
    if found:
        return found
    name = friendly(logical_id)
    return name.rstrip("0123456789") or name


def secret_of(database: str) -> str:
    """How the model names a database's managed master secret (see blueprint/expand_iam.py)."""
    return f"secret-of:db/{database}"


IAM_NAMES = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::Policy": "PolicyName",
    "AWS::IAM::RolePolicy": "PolicyName",
    "AWS::IAM::UserPolicy": "PolicyName",
    "AWS::IAM::GroupPolicy": "PolicyName",
}


def iam_name(logical_id: str, kind: str, properties: Mapping[str, Any]) -> str:
    """An IAM resource's name: its Name property when written, else its logical id."""
    return literal(properties, IAM_NAMES.get(kind, ""), logical_id)
