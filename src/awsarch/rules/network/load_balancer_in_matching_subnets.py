"""NET009: an internet-facing load balancer sits in public subnets only, an internal one in none."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.balancing import label
from awsarch.rules.base import Rule, at

DOCS = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
    "application-load-balancers.html#load-balancer-scheme"
)


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for lb in arch.load_balancers:
        public = [s for s in lb.subnet_ids if arch.routes_to_internet_gateway(s)]
        private = [s for s in lb.subnet_ids if s not in public]
        if lb.internet_facing and private:
            yield (
                lb.id,
                f"internet-facing load balancer {label(arch, lb)} sits in {', '.join(private)},"
                " with no route to an internet gateway: its nodes there cannot answer the"
                " internet — place it in the public tier",
                at(arch, lb.id, "tier"),
            )
        if not lb.internet_facing and public:
            yield (
                lb.id,
                f"internal load balancer {label(arch, lb)} sits in public subnets"
                f" {', '.join(public)} — place it in a private tier",
                at(arch, lb.id, "tier"),
            )


RULE = Rule(
    id="NET009",
    title="Internet-facing load balancers in public subnets only, internal ones in none",
    rationale=(
        "An internet-facing load balancer's nodes answer the internet through the subnet's"
        " internet gateway route; an internal one has no business in a subnet routed to it."
    ),
    severity="error",
    check=check,
    fix=(
        "Put an internet-facing load balancer in public subnets and an internal one in "
        "private subnets."
    ),
    docs=DOCS,
)
