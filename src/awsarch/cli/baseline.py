"""`--baseline FILE` and `--write-baseline FILE`: report only the findings that are new.

A baseline is what `check` or `audit` printed with `--format json` (or `--format sarif`), or
what `--write-baseline` wrote. A finding is known when the baseline holds one of the same rule
on the same resource: messages may change wording between versions, identity does not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click

from awsarch.errors import InputError
from awsarch.rules.base import Finding

Key = tuple[str, str]
"""(rule id, resource id)."""

F = TypeVar("F", bound=Callable[..., Any])


def _fix() -> str:
    """How to write a baseline, with the verb at hand (`awsarch audit --write-baseline` for
    an audit: a check's baseline would hold the blueprint's findings, not the account's)."""
    context = click.get_current_context(silent=True)
    verb = context.command_path.split()[1:2] if context else []
    return (
        f"write one with `awsarch {(verb or ['check'])[0]} --write-baseline FILE`"
        " (or save `--format json`)"
    )


def baseline_options(command: F) -> F:
    """`--baseline FILE` and `--write-baseline FILE` on a verb that reports findings."""
    command = click.option(
        "--write-baseline",
        "write_baseline",
        default=None,
        metavar="FILE",
        type=click.Path(dir_okay=False),
        help="Save today's findings as the baseline that later runs compare with.",
    )(command)
    return click.option(
        "--baseline",
        "baseline",
        default=None,
        metavar="FILE",
        type=click.Path(dir_okay=False),
        help="Report only findings not in FILE (matched by rule and resource).",
    )(command)


def with_baseline(
    findings: Sequence[Finding], baseline: str | None, write: str | None
) -> tuple[list[Finding], int]:
    """Write today's findings when asked; then the findings not in the baseline, and how many
    were left out as known."""
    if write:
        write_baseline(write, findings)
    if not baseline:
        return list(findings), 0
    known = read_baseline(baseline)
    new = [f for f in findings if (f.rule_id, f.resource_id) not in known]
    return new, len(findings) - len(new)


def write_baseline(path: str, findings: Sequence[Finding]) -> None:
    import json  # only with a baseline: plain `check` starts without it

    entries = [
        {"rule": f.rule_id, "resource": f.resource_id, "message": f.message} for f in findings
    ]
    try:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"baseline": 1, "findings": entries}, handle, indent=2)
            handle.write("\n")
    except OSError as exc:
        raise InputError(
            f"{path}: cannot write the baseline ({exc.strerror}) — name a writable file"
        ) from exc
    count = "finding" if len(entries) == 1 else "findings"
    click.echo(f"wrote {path}: the baseline of {len(entries)} {count}", err=True)


def read_baseline(path: str) -> set[Key]:
    """The (rule, resource) pairs of an awsarch JSON, SARIF or baseline file."""
    import json

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise InputError(f"{path}: no such baseline — {_fix()}") from None
    except (OSError, UnicodeDecodeError) as exc:
        why = type(exc).__name__
        raise InputError(f"{path}: cannot read the baseline ({why}) — {_fix()}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}:{exc.lineno}:{exc.colno}: the baseline is not JSON ({exc.msg}) — {_fix()}"
        ) from None
    keys = _keys(data)
    if keys is None:
        raise InputError(f"{path}: not a baseline (no `findings` or SARIF `runs`) — {_fix()}")
    return keys


def _keys(data: Any) -> set[Key] | None:
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("findings"), list):
        return set(_pairs(data["findings"], "rule", _resource))
    if isinstance(data.get("runs"), list):
        runs = [run for run in data["runs"] if isinstance(run, dict)]
        results = [r for run in runs for r in run.get("results") or ()]
        return set(_pairs(results, "ruleId", _logical))
    return None


def _pairs(
    items: Iterable[Any], rule_key: str, resource: Callable[[dict[str, Any]], str]
) -> Iterable[Key]:
    for item in items:
        if isinstance(item, dict) and isinstance(item.get(rule_key), str):
            yield item[rule_key], resource(item)


def _resource(item: dict[str, Any]) -> str:
    return str(item.get("resource") or "")


def _logical(result: dict[str, Any]) -> str:
    for location in result.get("locations") or ():
        for logical in (location or {}).get("logicalLocations") or ():
            if isinstance(logical, dict) and logical.get("name"):
                return str(logical["name"])
    return ""


def known_line(count: int, baseline: str | None) -> str:
    """Said after the findings when the baseline left some out ("" when none)."""
    if not baseline or not count:
        return ""
    noun = "finding" if count == 1 else "findings"
    return f"{count} known {noun} in {baseline} not shown"
