"""NET008: a load balancer sits in subnets of at least two Availability Zones."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.balancing import label
from awsarch.rules.base import Rule, at

DOCS = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
    "application-load-balancers.html#availability-zones"
)


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for lb in arch.load_balancers:
        zones = sorted({arch.subnet(s).az for s in lb.subnet_ids})
        if len(zones) < 2:
            where = ", ".join(zones) or "no zone"
            yield (
                lb.id,
                f"load balancer {label(arch, lb)} sits in {where} only — give its tier a subnet"
                " in a second zone (network.azs: 2 or more)",
                at(arch, lb.id, "tier"),
            )


RULE = Rule(
    id="NET008",
    title="A load balancer spans at least two Availability Zones",
    rationale=(
        "AWS requires an Application Load Balancer in subnets of two zones at least; in one"
        " zone, losing that zone takes the whole application off the internet."
    ),
    severity="error",
    check=check,
    fix=(
        "Put the load balancer in subnets of at least two Availability Zones (network.azs: 2 "
        "or more)."
    ),
    docs=DOCS,
)
