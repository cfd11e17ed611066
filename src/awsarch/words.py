"""Counts in words (`1 NAT gateway`, `2 NAT gateways`), pure so every layer may use them:
the analysis, the rules and the use cases as well as render and the CLI."""

from __future__ import annotations

IRREGULAR = {"VPC": "VPCs", "Elastic IP": "Elastic IPs", "network ACL": "network ACLs"}


def plural(count: int, singular: str, many: str = "") -> str:
    """`count` and the noun, singular for exactly one (an acronym just gains an `s`)."""
    if count == 1:
        return f"{count} {singular}"
    return f"{count} {many or IRREGULAR.get(singular) or _regular(singular)}"


def _regular(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def of_total(part: int, total: int, noun: str) -> str:
    """`3 of 4 placements`, `1 of 1 placement`: the noun agrees with the total."""
    return f"{part} of {plural(total, noun)}"
