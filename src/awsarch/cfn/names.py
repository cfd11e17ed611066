"""Names the model gives what a template declares: one module owns the conventions.

A resource's id in the model is its logical id (`WebSG1A2B3C4D`), so findings and verdicts name
what the template names. People's names drop the hash the CDK appends (`WebSG`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

CDK_HASH = re.compile(r"^(.+?)[0-9A-F]{8}$")
DEFAULT_GROUP = ".DefaultSecurityGroup"
DEFAULT_ACL = ".DefaultNetworkAcl"
MAIN_TABLE = ".MainRouteTable"


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
}


def iam_name(logical_id: str, kind: str, properties: Mapping[str, Any]) -> str:
    """An IAM resource's name: its Name property when written, else its logical id."""
    return literal(properties, IAM_NAMES.get(kind, ""), logical_id)
