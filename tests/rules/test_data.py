"""Data rules: one planted violation and one near miss per rule, from the seed."""

from __future__ import annotations

import pytest

from awsarch.model import Peer, PortRange, SecurityGroupRule

from .support import (
    Compliant,
    Violation,
    assert_compliant,
    assert_violation,
    both,
    seed_arch,
    swap,
)

DB = ("databases", "main")
FROM_WEB = seed_arch().security_group("sg/db-main").ingress


def db_ingress_from(peer: Peer) -> SecurityGroupRule:
    return SecurityGroupRule(protocol="tcp", ports=PortRange.single(3306), peer=peer)


VIOLATIONS = [
    Violation(
        name="standby-subnet-is-public",
        rule_id="DATA001",
        plant=swap("dbsubnets/main", subnet_ids=("subnet/private-a", "subnet/public-b")),
        resource_id="db/main",
        path=(*DB, "tier"),
    ),
    Violation(
        name="private-tier-routed-to-igw",
        rule_id="DATA001",
        plant=swap("rtb/private", routes=seed_arch().get("rtb/public").routes),
        resource_id="db/main",
        path=(*DB, "tier"),
    ),
    Violation(
        name="public",
        rule_id="DATA002",
        plant=swap("db/main", publicly_accessible=True),
        resource_id="db/main",
        path=(*DB, "publicly_accessible"),
    ),
    Violation(
        name="cidr-peer",
        rule_id="DATA003",
        plant=swap("sg/db-main", ingress=(*FROM_WEB, db_ingress_from(Peer.cidr("10.0.0.0/24")))),
        resource_id="db/main",
        path=(*DB, "allow_cidrs"),
    ),
    Violation(
        name="prefix-list-peer",
        rule_id="DATA003",
        plant=swap(
            "sg/db-main",
            ingress=(db_ingress_from(Peer(kind="prefix-list", value="pl-0123")),),
        ),
        resource_id="db/main",
        path=(*DB, "allow_cidrs"),
    ),
    Violation(
        name="single-az",
        rule_id="DATA004",
        plant=swap("db/main", multi_az=False),
        resource_id="db/main",
        path=(*DB, "multi_az"),
    ),
    Violation(
        name="unencrypted",
        rule_id="DATA005",
        plant=swap("db/main", storage_encrypted=False),
        resource_id="db/main",
        path=(*DB, "encrypted"),
    ),
    Violation(
        name="unprotected",
        rule_id="DATA006",
        plant=swap("db/main", deletion_protection=False),
        resource_id="db/main",
        path=(*DB, "deletion_protection"),
    ),
    Violation(
        name="no-backups",
        rule_id="DATA007",
        plant=swap("db/main", backup_retention_days=0),
        resource_id="db/main",
        path=(*DB, "backup_days"),
    ),
    Violation(
        name="short-retention",
        rule_id="DATA008",
        plant=swap("db/main", backup_retention_days=6),
        resource_id="db/main",
        path=(*DB, "backup_days"),
    ),
    Violation(
        name="one-az",
        rule_id="DATA009",
        plant=swap("dbsubnets/main", subnet_ids=("subnet/private-a",)),
        resource_id="dbsubnets/main",
        path=(*DB, "tier"),
    ),
    Violation(
        name="two-subnets-one-az",
        rule_id="DATA009",
        plant=swap("subnet/private-b", az="ap-northeast-2a"),
        resource_id="dbsubnets/main",
        path=(*DB, "tier"),
    ),
]

COMPLIANT = [
    Compliant(
        name="isolated-tier",
        rule_id="DATA001",
        plant=both(
            swap("rtb/private", routes=seed_arch().get("rtb/main").routes),
            swap("subnet/private-a", kind="isolated"),
        ),
    ),
    Compliant(
        name="two-source-groups",
        rule_id="DATA003",
        plant=swap("sg/db-main", ingress=(*FROM_WEB, db_ingress_from(Peer.group("sg/admin")))),
    ),
    Compliant(
        name="one-day-backups", rule_id="DATA007", plant=swap("db/main", backup_retention_days=1)
    ),
    Compliant(
        name="retention-off", rule_id="DATA008", plant=swap("db/main", backup_retention_days=0)
    ),
    Compliant(
        name="retention-max", rule_id="DATA008", plant=swap("db/main", backup_retention_days=35)
    ),
]


@pytest.mark.parametrize("case", VIOLATIONS, ids=str)
def test_violation_is_found_at_its_blueprint_key(case: Violation) -> None:
    """A risk to the data is reported on the right resource, pointing at the key to change."""
    assert_violation(case)


@pytest.mark.parametrize("case", COMPLIANT, ids=str)
def test_near_miss_is_not_reported(case: Compliant) -> None:
    """A database setup that bends but keeps the rule raises no finding."""
    assert_compliant(case)


def test_a_database_group_outside_what_was_read_is_said_not_a_key_error() -> None:
    """A database whose security group lies outside its VPC (another VPC's, or gone): DATA003
    says which group it could not check, instead of failing on a missing key."""
    import dataclasses

    from awsarch.rules.data.database_peers_are_groups import RULE

    arch = seed_arch()
    database = dataclasses.replace(arch.databases[0], security_group_ids=("sg-0elsewhere",))
    findings = list(RULE.run(dataclasses.replace(arch, databases=(database,))))
    assert [f.rule_id for f in findings] == ["DATA003"]
    assert "names security group sg-0elsewhere, which is not among" in findings[0].message
    assert "could not evaluate" not in findings[0].message


def test_a_rule_that_meets_a_missing_resource_says_which() -> None:
    from awsarch.rules.base import Rule

    def broken(arch: object) -> list[tuple[str, str, tuple[str, ...]]]:
        raise KeyError("sg-0gone")

    rule = Rule(id="X001", title="t", rationale="r", severity="error", check=broken)  # type: ignore[arg-type]
    (finding,) = rule.run(seed_arch())
    assert finding.message == (
        "could not evaluate this rule: it refers to sg-0gone, which is not among the resources read"
    )
