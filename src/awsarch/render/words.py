"""Counts in words: `1 NAT gateway`, `2 NAT gateways`, `1 warning` (the nouns live in
`awsarch.words`, which every layer may import; render adds the phrases it prints)."""

from __future__ import annotations

from awsarch.words import IRREGULAR, of_total, plural

__all__ = ["IRREGULAR", "held_of", "of_total", "plural"]


def held_of(held: int, total: int, verb: str = "hold") -> str:
    """`7 of 7 intents hold`, `1 of 1 intent holds`."""
    return f"{of_total(held, total, 'intent')} {verb + 's' if total == 1 else verb}"
