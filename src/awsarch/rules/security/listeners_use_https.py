"""SEC007: a load balancer's listeners use HTTPS; plain HTTP only redirects to HTTPS."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.balancing import label
from awsarch.rules.base import Rule, at

DOCS = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
    "load-balancer-listeners.html#redirect-actions"
)


def check(arch: Architecture) -> Iterator[tuple[str, str, Path]]:
    for lb in arch.load_balancers:
        for index, listener in enumerate(lb.listeners):
            if listener.protocol == "HTTP" and listener.redirect_port is None:
                yield (
                    lb.id,
                    f"load balancer {label(arch, lb)} serves plain HTTP on {listener.port} —"
                    " make it an HTTPS listener, or let it only redirect: {port: 80,"
                    " protocol: HTTP, redirect: 443}",
                    at(arch, lb.id, "listeners", index),
                )


RULE = Rule(
    id="SEC007",
    title="Load balancer listeners use HTTPS (plain HTTP only redirects)",
    rationale=(
        "Plain HTTP carries sessions, passwords and data readable by anyone on the path; a"
        " listener on port 80 should only send browsers to HTTPS."
    ),
    severity="warning",
    check=check,
    fix="Serve HTTPS with an ACM certificate and let the HTTP listener only redirect to it.",
    docs=DOCS,
)
