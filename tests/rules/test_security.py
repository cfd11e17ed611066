"""Security rules: one planted violation and one near miss per rule, from the seed."""

from __future__ import annotations

import base64

import pytest

from awsarch.model import Peer, PortRange, Protocol, SecurityGroupRule

from .support import (
    Compliant,
    Plant,
    Violation,
    assert_compliant,
    assert_violation,
    findings,
    seed_arch,
    swap,
)

WEB = ("servers", "web")
# AWS's documented example key id, assembled so secret scanners do not flag the test itself.
EXAMPLE_KEY_SUFFIX = "IOSFODNN7" + "EXAMPLE"
KEY_ID = "AKIA" + EXAMPLE_KEY_SUFFIX
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SEED_WEB_INGRESS = seed_arch().security_group("sg/web").ingress


def ingress(
    protocol: Protocol, first: int, last: int, *cidrs: str
) -> tuple[SecurityGroupRule, ...]:
    return tuple(
        SecurityGroupRule(
            protocol=protocol,
            ports=PortRange(first=first, last=last),
            peer=Peer.cidr(cidr),
        )
        for cidr in cidrs
    )


def web_ingress(*extra: SecurityGroupRule) -> Plant:
    return swap("sg/web", ingress=(*SEED_WEB_INGRESS, *extra))


VIOLATIONS = [
    Violation(
        name="no-profile",
        rule_id="SEC001",
        plant=swap("instance/web-2", instance_profile=""),
        resource_id="instance/web-2",
        path=(*WEB, "role"),
    ),
    Violation(
        name="imdsv1",
        rule_id="SEC002",
        plant=swap("instance/web-1", imdsv2_required=False),
        resource_id="instance/web-1",
        path=(*WEB, "imdsv2"),
    ),
    Violation(
        name="key-id",
        rule_id="SEC003",
        plant=swap("instance/web-1", user_data=f"#!/bin/sh\nexport AWS_ACCESS_KEY_ID={KEY_ID}\n"),
        resource_id="instance/web-1",
        path=(*WEB, "user_data"),
    ),
    Violation(
        name="secret",
        rule_id="SEC003",
        plant=swap("instance/web-1", user_data=f"[default]\naws_secret_access_key = {SECRET}\n"),
        resource_id="instance/web-1",
        path=(*WEB, "user_data"),
    ),
    Violation(
        name="base64-session-key",
        rule_id="SEC003",
        plant=swap(
            "instance/web-2",
            user_data=base64.b64encode(f"export KEY=ASIA{EXAMPLE_KEY_SUFFIX}\n".encode()).decode(),
        ),
        resource_id="instance/web-2",
        path=(*WEB, "user_data"),
    ),
    Violation(
        name="ssh-to-world",
        rule_id="SEC004",
        plant=web_ingress(*ingress("tcp", 22, 22, "0.0.0.0/0")),
        resource_id="sg/web",
        path=(*WEB, "public_ports"),
    ),
    Violation(
        name="range-covers-rdp-over-ipv6",
        rule_id="SEC004",
        plant=web_ingress(*ingress("tcp", 3000, 4000, "::/0")),
        resource_id="sg/web",
        path=(*WEB, "public_ports"),
    ),
    Violation(
        name="all-protocols",
        rule_id="SEC004",
        plant=web_ingress(*ingress("all", 0, 65535, "0.0.0.0/0")),
        resource_id="sg/web",
        path=(*WEB, "public_ports"),
    ),
    Violation(
        name="halves-make-the-internet",
        rule_id="SEC004",
        plant=web_ingress(*ingress("tcp", 22, 22, "0.0.0.0/1", "128.0.0.0/1")),
        resource_id="sg/web",
        path=(*WEB, "public_ports"),
    ),
    Violation(
        name="database-group-to-world",
        rule_id="SEC004",
        plant=swap("sg/db-main", ingress=ingress("tcp", 3306, 3306, "0.0.0.0/0")),
        resource_id="sg/db-main",
        path=("databases", "main", "allow_cidrs"),
    ),
    Violation(
        name="default-group-with-rules",
        rule_id="SEC005",
        plant=swap("sg/default", ingress=ingress("all", 0, 65535, "10.0.0.0/16")),
        resource_id="sg/default",
        path=("network",),
    ),
    Violation(
        name="plain-root-volume",
        rule_id="SEC006",
        plant=swap("instance/web-2", root_volume_encrypted=False),
        resource_id="instance/web-2",
        path=(*WEB, "encrypted_root"),
    ),
]

COMPLIANT = [
    Compliant(
        name="role-credentials-in-user-data",
        rule_id="SEC003",
        plant=swap(
            "instance/web-1",
            user_data="#!/bin/sh\naws configure set region ap-northeast-2\n"
            "aws_secret_access_key=$(fetch-secret)\necho AKIA-is-a-prefix\n",
        ),
    ),
    Compliant(
        name="ssh-from-office",
        rule_id="SEC004",
        plant=web_ingress(*ingress("tcp", 22, 22, "203.0.113.0/24")),
    ),
    Compliant(
        name="udp-and-web-ports-to-world",
        rule_id="SEC004",
        plant=web_ingress(
            *ingress("udp", 53, 53, "0.0.0.0/0"), *ingress("tcp", 8000, 8080, "::/0")
        ),
    ),
    Compliant(
        name="ordinary-group-with-rules",
        rule_id="SEC005",
        plant=swap("sg/web", is_default=False),
    ),
]


@pytest.mark.parametrize("case", VIOLATIONS, ids=str)
def test_violation_is_found_at_its_blueprint_key(case: Violation) -> None:
    """An insecure setting is reported on the right resource, pointing at the key to change."""
    assert_violation(case)


@pytest.mark.parametrize("case", COMPLIANT, ids=str)
def test_near_miss_is_not_reported(case: Compliant) -> None:
    """A setting that looks risky but is not raises no finding."""
    assert_compliant(case)


def test_user_data_finding_never_echoes_the_secret() -> None:
    """A report about leaked keys can be shared without leaking them again."""
    user_data = f"AWS_ACCESS_KEY_ID={KEY_ID}\naws_secret_access_key={SECRET}\n"
    arch = swap("instance/web-1", user_data=user_data)(seed_arch())
    (finding,) = findings("SEC003", arch)
    assert KEY_ID not in finding.message
    assert SECRET not in finding.message
    assert "access key id" in finding.message and "secret access key" in finding.message


def test_world_open_finding_names_every_port() -> None:
    """One finding per group lists each admin and database port it exposes."""
    arch = web_ingress(*ingress("tcp", 0, 65535, "0.0.0.0/0"))(seed_arch())
    (finding,) = findings("SEC004", arch)
    for port in ("22", "3389", "3306", "5432", "1433", "1521", "27017", "6379"):
        assert f"({port})" in finding.message
