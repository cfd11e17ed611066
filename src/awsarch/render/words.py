"""Counts in words: `1 NAT gateway`, `2 NAT gateways`, `1 warning`."""

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


def held_of(held: int, total: int, verb: str = "hold") -> str:
    """`7 of 7 intents hold`, `1 of 1 intent holds`."""
    return f"{held} of {plural(total, 'intent')} {verb + 's' if total == 1 else verb}"
