"""The blueprint's schema: every key, its type, its default (the seed architecture's choice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from awsarch.blueprint.document import Document
from awsarch.blueprint.schema_types import (
    Bool,
    Choice,
    Cidr,
    Field,
    Int,
    ListOf,
    MapOf,
    Obj,
    Port,
    Str,
    Type,
)

NAME = r"[a-z][a-z0-9-]{0,30}"
NAME_HINT = "use lowercase letters, digits and '-', starting with a letter"
TIER_KINDS = ("public", "private", "isolated")
NAT_STRATEGIES = ("none", "single", "per-az")
ENGINES = ("mysql", "mariadb", "postgres")
PERMISSION_SETS = ("deployer", "viewer")


def _tier_shorthand(value: Any) -> dict[str, Any] | None:
    """`public: public` is short for `public: {kind: public}`."""
    return {"kind": value} if isinstance(value, str) else None


def _role_shorthand(value: Any) -> dict[str, Any] | None:
    """`role: none` (or false) means: no IAM role and no instance profile."""
    return {"enabled": False} if value in ("none", False) else None


ROLE_DEFAULT: dict[str, Any] = {
    "enabled": True,
    "session_manager": True,
    "read_secrets": [],
    "allow": [],
}
DEFAULT_TIERS: dict[str, Any] = {
    "public": {"kind": "public", "cidrs": []},
    "private": {"kind": "private", "cidrs": []},
}


TIER = Obj(
    fields={
        "kind": Field(Choice(choices=TIER_KINDS), help="public, private or isolated"),
        "cidrs": Field(ListOf(item=Cidr()), default=list),
    },
    shorthand=_tier_shorthand,
)

STATEMENT = Obj(
    fields={
        "actions": Field(ListOf(item=Str(), min_items=1), help="e.g. [s3:GetObject]"),
        "resources": Field(ListOf(item=Str(), min_items=1), default=lambda: ["*"]),
    }
)

ROLE = Obj(
    fields={
        "enabled": Field(Bool(), default=True),
        "session_manager": Field(Bool(), default=True),
        "read_secrets": Field(ListOf(item=Str(pattern=NAME, hint=NAME_HINT)), default=list),
        "allow": Field(ListOf(item=STATEMENT), default=list),
    },
    shorthand=_role_shorthand,
)

RULES_PER_GROUP = 1000
"""AWS's ceiling on one security group's inbound rules, whatever the raised quota
(https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups):
each listed port or CIDR is at least one rule."""
PROTOCOLS = ("tcp", "udp")
PREFIX_LIST_MAX_ENTRIES = 1000
"""AWS's quota on the entries of one customer-managed prefix list
(https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-prefix-lists)."""


def _prefix_list_shorthand(value: Any) -> dict[str, Any] | None:
    """`office: [203.0.113.0/24]` is short for `office: {cidrs: [203.0.113.0/24]}`."""
    return {"cidrs": value} if isinstance(value, list) else None


PREFIX_LIST = Obj(
    fields={
        "cidrs": Field(ListOf(item=Cidr(), min_items=1), help="e.g. [203.0.113.0/24]"),
        "max_entries": Field(Int(minimum=1, maximum=PREFIX_LIST_MAX_ENTRIES), default=None),
    },
    shorthand=_prefix_list_shorthand,
)

ALLOW = Obj(
    fields={
        "ports": Field(
            ListOf(item=Port(), min_items=1, max_items=RULES_PER_GROUP), help="e.g. [22]"
        ),
        "from": Field(
            Str(), help="a prefix list of this blueprint, an id pl-…, or a com.amazonaws.… name"
        ),
        "protocol": Field(Choice(choices=PROTOCOLS), default="tcp"),
    }
)

SCALING = Obj(
    fields={
        "min": Field(Int(minimum=0, maximum=1000), help="e.g. 2"),
        "max": Field(Int(minimum=1, maximum=1000), help="e.g. 6"),
        "desired": Field(Int(minimum=0, maximum=1000), default=None),
    }
)

SERVER = Obj(
    fields={
        "count": Field(Int(minimum=0, maximum=1000), default=1),
        "scaling": Field(SCALING, default=None),
        "type": Field(
            Str(pattern=r"[a-z0-9-]+\.[a-z0-9]+", hint="e.g. t3.micro"), default="t3.micro"
        ),
        "image": Field(
            Str(pattern=r"al2023|ami-[0-9a-f]{8,17}", hint="use al2023 or an ami-… id"),
            default="al2023",
        ),
        "tier": Field(Str(), default="public"),
        "public_ports": Field(ListOf(item=Port(), max_items=RULES_PER_GROUP), default=list),
        "allow": Field(ListOf(item=ALLOW), default=list),
        "role": Field(ROLE, default=lambda: ROLE_DEFAULT),
        "imdsv2": Field(Bool(), default=True),
        "encrypted_root": Field(Bool(), default=True),
        "user_data": Field(Str(), default=""),
    }
)

DATABASE = Obj(
    fields={
        "engine": Field(Choice(choices=ENGINES), default="mysql"),
        "version": Field(
            Str(pattern=r"[0-9][0-9.]*", hint='quote it, e.g. "8.0"', decimals=False),
            default="8.0",
        ),
        "class": Field(
            Str(pattern=r"db\.[a-z0-9]+\.[a-z0-9]+", hint="e.g. db.t3.micro"), default="db.t3.micro"
        ),
        "storage_gb": Field(Int(minimum=20, maximum=65536), default=20),
        "port": Field(Port(), default=None),
        "multi_az": Field(Bool(), default=True),
        "tier": Field(Str(), default="private"),
        "allow_from": Field(ListOf(item=Str()), default=list),
        "allow_cidrs": Field(ListOf(item=Cidr(), max_items=RULES_PER_GROUP), default=list),
        "publicly_accessible": Field(Bool(), default=False),
        "encrypted": Field(Bool(), default=True),
        "deletion_protection": Field(Bool(), default=True),
        "backup_days": Field(Int(minimum=0, maximum=35), default=7),
    }
)

SCHEMES = ("internet-facing", "internal")
LISTENER_PROTOCOLS = ("HTTP", "HTTPS")

LISTENER = Obj(
    fields={
        "port": Field(Port(), help="e.g. 443"),
        "protocol": Field(Choice(choices=LISTENER_PROTOCOLS), help="HTTP or HTTPS"),
        "redirect": Field(Port(), default=None),
    }
)

HEALTH_CHECK = Obj(
    fields={
        "path": Field(Str(pattern=r"/[\x21-\x7e]*", hint="e.g. /health"), default="/"),
        "port": Field(Port(), default=None),
    }
)

TARGET = Obj(
    fields={
        "servers": Field(Str(), help="the server group it sends to, e.g. app"),
        "port": Field(Port(), help="e.g. 8080"),
        "protocol": Field(Choice(choices=LISTENER_PROTOCOLS), default="HTTP"),
        "health_check": Field(HEALTH_CHECK, default=dict),
    }
)

DEFAULT_LISTENERS = [
    {"port": 443, "protocol": "HTTPS", "redirect": None},
    {"port": 80, "protocol": "HTTP", "redirect": 443},
]

LOAD_BALANCER = Obj(
    fields={
        "scheme": Field(Choice(choices=SCHEMES), default="internet-facing"),
        "tier": Field(Str(), default="public"),
        "listeners": Field(
            ListOf(item=LISTENER, min_items=1), default=lambda: list(DEFAULT_LISTENERS)
        ),
        "certificate": Field(
            Str(
                pattern=r"arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+",
                hint="an ACM certificate ARN, or leave it out",
            ),
            default="",
        ),
        "target": Field(TARGET, help="e.g. {servers: app, port: 8080}"),
        "deletion_protection": Field(Bool(), default=True),
    }
)

NETWORK = Obj(
    fields={
        "cidr": Field(Cidr(), default="10.0.0.0/16"),
        "azs": Field(Int(minimum=1, maximum=6), default=2),
        "nat": Field(Choice(choices=NAT_STRATEGIES), default="single"),
        "subnet_size": Field(Int(minimum=16, maximum=28), default=None),
        "tiers": Field(MapOf(value=TIER), default=lambda: dict(DEFAULT_TIERS)),
    }
)


def _group_shorthand(value: Any) -> dict[str, Any] | None:
    """`deployers: deployer` is short for `deployers: {permissions: deployer}`."""
    return {"permissions": value} if isinstance(value, str) else None


def _user_shorthand(value: Any) -> dict[str, Any] | None:
    """`alice: [deployers]` is short for `alice: {groups: [deployers]}`."""
    return {"groups": value} if isinstance(value, list) else None


OPERATOR_GROUP = Obj(
    fields={
        "permissions": Field(
            Choice(choices=PERMISSION_SETS), help="deployer (runs up/down) or viewer (read-only)"
        ),
        "require_mfa": Field(Bool(), default=True),
    },
    shorthand=_group_shorthand,
)

OPERATOR_USER = Obj(
    fields={"groups": Field(ListOf(item=Str(), min_items=1), help="e.g. [deployers]")},
    shorthand=_user_shorthand,
)


class Operators(Obj):
    """`operators:` — IAM groups with a permission set, and users as members of groups only."""

    def check(self, doc: Document, path: tuple[str | int, ...], value: Any) -> Any:
        checked = super().check(doc, path, value)
        groups = list(checked["groups"])
        for user, spec in checked["users"].items():
            for i, group in enumerate(spec["groups"]):
                if group not in groups:
                    raise doc.error(
                        (*path, "users", user, "groups", i), _unknown_group(group, groups)
                    )
        return checked


def _unknown_group(name: str, known: list[str]) -> str:
    import difflib  # only to suggest a fix: not at start-up

    close = difflib.get_close_matches(name, known, n=1)
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif known:
        hint = f"use one of: {', '.join(known)}"
    else:
        hint = "define it under operators.groups first"
    return f"no operator group named '{name}' — {hint}"


OPERATORS = Operators(
    fields={
        "groups": Field(MapOf(value=OPERATOR_GROUP), default=dict),
        "users": Field(MapOf(value=OPERATOR_USER), default=dict),
    }
)

RULE_ID = r"[A-Z]+[0-9]{3}"


@dataclass
class IsoDate(Type):
    """A calendar day written as YAML reads it (2025-06-30) or quoted ("2025-06-30")."""

    expected: str = "a date like 2025-06-30"

    def check(self, doc: Document, path: tuple[str | int, ...], value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()[:10]
        if not isinstance(value, str):
            raise self.wrong(doc, path, value)
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise doc.error(
                path, f"'{value}' is not a date — write it as YYYY-MM-DD, e.g. 2025-06-30"
            ) from None


ACCEPT = Obj(
    fields={
        "rule": Field(
            Str(pattern=RULE_ID, hint="a rule id such as DATA004 (`awsarch rules` lists them)"),
            help="the rule id, e.g. DATA004",
        ),
        "resource": Field(Str(), help="the resource as `awsarch check` prints it, e.g. db/main"),
        "reason": Field(
            Str(pattern=r"(?s).*\S.*", hint="say why the finding is acceptable here"),
            help="why the finding is acceptable here — a reason is required",
        ),
        "expires": Field(IsoDate(), default=None),
    }
)

BLUEPRINT = Obj(
    fields={
        "stack": Field(Str(pattern=NAME, hint=NAME_HINT), default="demo"),
        "region": Field(
            Str(pattern=r"[a-z]{2}(-[a-z]+)+-[0-9]", hint="e.g. ap-northeast-2"),
            default="ap-northeast-2",
        ),
        "network": Field(NETWORK, default=dict),
        "prefix_lists": Field(MapOf(value=PREFIX_LIST), default=dict),
        "servers": Field(MapOf(value=SERVER), default=dict),
        "load_balancers": Field(MapOf(value=LOAD_BALANCER), default=dict),
        "databases": Field(MapOf(value=DATABASE), default=dict),
        "intents": Field(ListOf(item=Str(), unique=False), default=list),
        "operators": Field(OPERATORS, default=dict),
        "accept": Field(ListOf(item=ACCEPT, unique=False), default=list),
    }
)
