"""Regenerate the README's table of rules from the rules' own metadata (ALL_RULES)."""

from __future__ import annotations

from pathlib import Path

from awsarch.rules.registry import ALL_RULES

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rules_table() -> str:
    lines = ["| id | severity | rule (links the AWS guide) | why | fix |", "|---|---|---|---|---|"]
    lines += [
        f"| {r.id} | {r.severity} | [{r.title}]({r.docs}) | {r.rationale} | {r.fix} |"
        for r in ALL_RULES
    ]
    return "\n".join(lines)


def with_table(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{rules_table()}\n{END}{tail}"


if __name__ == "__main__":
    README.write_text(with_table(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {README.name}: {len(ALL_RULES)} rules")
