"""NET010: a load balancer has deletion protection on."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.balancing import label
from awsarch.rules.base import Rule, at

DOCS = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
    "edit-load-balancer-attributes.html#deletion-protection"
)


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for lb in arch.load_balancers:
        if not lb.deletion_protection:
            yield (
                lb.id,
                f"load balancer {label(arch, lb)} can be deleted by one call — set"
                " deletion_protection: true",
                at(arch, lb.id, "deletion_protection"),
            )


RULE = Rule(
    id="NET010",
    title="Load balancers have deletion protection",
    rationale=(
        "The load balancer's DNS name is what clients and DNS records point at; deleted, it"
        " never comes back under the same name."
    ),
    severity="warning",
    check=check,
    fix="Set deletion_protection: true on the load balancer (turn it off only to delete it).",
    docs=DOCS,
)
