"""DATA010: a database's security groups never admit a load balancer's group."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path, SecurityGroup
from awsarch.rules.balancing import balancer_group_ids
from awsarch.rules.base import Rule, at

DOCS = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.RDSSecurityGroups.html"


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    balancers = balancer_group_ids(arch)
    for db in arch.databases:
        for group in map(arch.find, db.security_group_ids):
            if not isinstance(group, SecurityGroup):
                continue  # DATA003 says so
            for rule in group.ingress:
                if rule.peer.kind == "group" and rule.peer.value in balancers:
                    yield (
                        db.id,
                        f"security group {group.name} of database {db.name} admits the load"
                        f" balancer's group {rule.peer.value} on port {rule.ports} — admit the"
                        " app servers' group only (allow_from)",
                        at(arch, db.id, "allow_from"),
                    )


RULE = Rule(
    id="DATA010",
    title="The database never admits a load balancer's security group",
    rationale=(
        "A load balancer is the internet's door to the app servers; a database that admits its"
        " group is one listener or rule change away from the internet."
    ),
    severity="error",
    check=check,
    fix=(
        "Admit the database port only from the application servers' security group, never the"
        " load balancer's."
    ),
    docs=DOCS,
)
