"""DATA003: the database's security groups admit traffic only from security groups."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path, SecurityGroup
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for db in arch.databases:
        for group_id in db.security_group_ids:
            group = arch.find(group_id)
            if not isinstance(group, SecurityGroup):
                yield (
                    db.id,
                    f"database {db.name} names security group {group_id}, which is not among what"
                    " was read (another VPC's, or gone): its rules could not be checked — give"
                    " the database a group of its own VPC",
                    at(arch, db.id, "allow_cidrs"),
                )
                continue
            for rule in group.ingress:
                if rule.peer.kind == "group":
                    continue
                yield (
                    db.id,
                    f"security group {group.name} of database {db.name} admits"
                    f" {rule.peer.kind} {rule.peer.value} on port {rule.ports} — admit the"
                    " servers' security group instead (allow_from), never an address range",
                    at(arch, db.id, "allow_cidrs"),
                )


RULE = Rule(
    id="DATA003",
    title="The database admits traffic only from security groups, never from addresses",
    rationale=(
        "A rule that names a security group follows the servers wherever they run, now or"
        " later; an address range admits whatever happens to hold those addresses."
    ),
    severity="error",
    check=check,
    fix="Replace allow_cidrs with allow_from: the server groups that may connect.",
    docs="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.RDSSecurityGroups.html",
)
