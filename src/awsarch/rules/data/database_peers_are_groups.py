"""DATA003: the database's security groups admit traffic only from security groups."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule, at


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for db in arch.databases:
        for group_id in db.security_group_ids:
            group = arch.security_group(group_id)
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
)
