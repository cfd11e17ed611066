"""How `awsarch demo` judges its steps: pure functions of exit codes, the verbs' JSON and the
files they wrote (never their printed text), and the lines for people drawn from that JSON.

Tests feed them recorded JSON: a step whose JSON shows a failure fails, whatever it printed.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from awsarch.blueprint.seed import seed_text
from awsarch.render.changes import KINDS, MARKS
from awsarch.render.words import held_of, of_total, plural

Outcome = tuple[bool, str]
"""A step's verdict: whether it showed what it should, and the figures that say so."""

DEPLOYER = "awsarch-demo-deployer"
VIEWER = "awsarch-demo-viewer"
"""The IAM users `iam bootstrap` creates: the demo deploys as them, not as root (the IAM rule)."""

CLASSIC = {
    "Vpc",
    "Subnet",
    "InternetGateway",
    "NatGateway",
    "SecurityGroup",
    "Instance",
    "Database",
}
"""What the seed must expand to, at least: the classic secure architecture."""


def judge_init(code: int, written: str) -> Outcome:
    ok = code == 0 and written == seed_text()
    if not ok:
        return False, f"exit {code}" if code else "not the seed"
    return True, f"{plural(len(written.splitlines()), 'line')}, the seed"


def judge_check(code: int, doc: dict[str, Any]) -> Outcome:
    """No error finding, and every intent holds (a conditional one does not)."""
    summary, intents = doc["summary"], doc["intents"]
    held = _held(intents)
    figures = (
        f"{plural(summary['errors'], 'error')}, {plural(summary['warnings'], 'warning')};"
        f" {held_of(held, len(intents))} ({doc['rules']} rules on {doc['resources']} resources)"
    )
    return code == 0 and not summary["errors"] and held == len(intents) > 0, figures


def judge_expansion(code: int, expansion: dict[str, Any]) -> Outcome:
    kinds = Counter(r["type"] for r in expansion["resources"])
    missing = sorted(CLASSIC - kinds.keys())
    figures = f"{plural(kinds.total(), 'resource')} in stack {expansion['stack']}"
    return code == 0 and not missing, figures + (
        f"; missing {', '.join(missing)}" if missing else ""
    )


def judge_bootstrap(codes: list[int], profiles: set[str], *, private: bool) -> Outcome:
    """Both users made, their keys in the credentials file, readable by its owner only."""
    made = [user for user in (DEPLOYER, VIEWER) if user in profiles]
    ok = not any(codes) and len(made) == 2 and private
    where = "the credentials file (mode 0600)" if private else "a credentials file others can read"
    return ok, f"users {' and '.join(made) or 'none'}; their keys in {where}"


def judge_new_stack(code: int, planned: dict[str, Any]) -> Outcome:
    """A new stack: everything to create, nothing to update, replace or delete."""
    totals = planned["totals"]
    ok = code == 0 and totals["create"] > 0 and not any(totals[k] for k in KINDS[1:])
    return ok, _totals(totals)


def judge_up(code: int, objects: list[dict[str, Any]], *, expect: str) -> Outcome:
    """The stack converged (no change remains, no action failed) and the live audit is clean:
    no error finding, every intent holds, nothing drifted. `expect`: create, update or nothing
    (what this `up` had to do)."""
    summary = next((o for o in reversed(objects) if o.get("type") == "summary"), None)
    if summary is None:
        return False, f"exit {code}, no summary"
    totals = summary["totals"]
    planned = next((o for o in objects if o.get("type") == "plan"), {})
    nothing = planned.get("changes") is False and not any(totals.values())
    done = {"create": totals["create"] > 0, "update": totals["update"] > 0}
    expected = done.get(expect, nothing)
    failed = [o["action"] for o in objects if o.get("type") == "failed"]
    remaining = (summary.get("remaining") or {}).get("actions", [])
    audited = summary.get("audit")
    clean = audited is not None and _clean(audited)
    figures = [_done(totals)]
    figures += [f"live audit: {_audit_figures(audited)}"] if audited else []
    figures += [f"{plural(len(remaining), 'change')} remain"] if remaining else []
    figures += [f"failed: {', '.join(failed)}"] if failed else []
    ok = code == 0 and summary["ok"] and clean and expected and not failed and not remaining
    return ok, "; ".join(figures)


def _clean(audited: dict[str, Any]) -> bool:
    """No error finding, nothing drifted, every intent (and at least one) holds."""
    counts, intents = audited["summary"], audited["intents"]
    return not counts["errors"] and not counts["drift"] and _held(intents) == len(intents) > 0


def judge_pictures(codes: list[int], texts: dict[str, str]) -> Outcome:
    drawn = [name for name, text in texts.items() if ("<svg" in text or "<html" in text)]
    return not any(codes) and len(drawn) == len(texts), ", ".join(drawn) or "nothing drawn"


def judge_reachable(verdict: dict[str, Any], *, placements: int) -> Outcome:
    """Reachable, through at least `placements` destination placements (AZs)."""
    ends = {
        p["placement"].split(" -> ")[-1] for p in verdict["paths"] if p["verdict"] == "reachable"
    }
    return verdict["verdict"] == "reachable" and len(ends) >= placements, _verdict_line(verdict)


def judge_unreachable(verdict: dict[str, Any]) -> Outcome:
    """Unreachable on every port: nothing gets through, and a hop blocks every placement."""
    blocked = sorted({f"{b['resource']} {b['kind']}" for b in verdict["blocked_by"]})
    ok = verdict["verdict"] == "unreachable" and not verdict["ports"] and bool(blocked)
    return ok, f"{verdict['verdict']}, blocked at {', '.join(blocked) or 'nothing'}"


def judge_drift(code: int, planned: dict[str, Any]) -> Outcome:
    """The hand-made rule is seen: one update, of the database's group, removing 0.0.0.0/0."""
    actions = [a for a in planned["actions"] if not a["follow_up"]]
    found = [(a["action"], a["resource"]) for a in actions]
    opened = any("0.0.0.0/0" in line for a in actions for line in a["changes"])
    ok = code == 0 and found == [("update", "sg/db-main")] and opened
    return ok, _totals(planned["totals"]) + "".join(f": {k} {r}" for k, r in found[:1])


def judge_audit(code: int, doc: dict[str, Any], *, intent: str) -> Outcome:
    """A clean live audit, and `intent` holds through every placement (primary and standby)."""
    proofs = [i for i in doc["intents"] if i["intent"] == intent]
    ends = {
        p["placement"].split(" -> ")[-1]
        for i in proofs
        for p in (i.get("proof") or {}).get("paths", [])
        if p["verdict"] == "reachable"
    }
    holds = bool(proofs) and all(i["holds"] and not i["conditional"] for i in proofs)
    clean = _clean(doc)
    figures = f"{intent} {'holds' if holds else 'FAILS'} in {len(ends)} AZs; {_audit_figures(doc)}"
    return code == 0 and holds and len(ends) >= 2 and clean, figures


def judge_down(code: int, summary: dict[str, Any], *, stack: str) -> Outcome:
    """Everything deleted (down checks nothing tagged remains before its summary says ok), and a
    final snapshot of the database kept."""
    if not summary:
        return False, f"exit {code}, no summary"
    totals, snapshots = summary["totals"], summary["snapshots"]
    gone = code == 0 and summary["ok"]
    figures = [
        _done(totals) if totals["delete"] else "nothing deleted",
        f"nothing tagged awsarch:stack={stack} remains" if gone else f"exit {code}",
        f"final snapshot {', '.join(snapshots)}" if snapshots else "no final snapshot",
    ]
    return gone and totals["delete"] > 0 and bool(snapshots), "; ".join(figures)


# --- figures and lines for people, from the JSON -----------------------------------------------


def _held(intents: list[dict[str, Any]]) -> int:
    return sum(1 for i in intents if i["holds"] and not i["conditional"])


def _totals(totals: dict[str, int]) -> str:
    return ", ".join(f"{totals[k]} to {k}" for k in KINDS)


def _done(totals: dict[str, int]) -> str:
    """`21 created`, `1 updated`, or `no changes` (as `plan` and `up` say it)."""
    done = [f"{totals[k]} {k.removesuffix('e')}ed" for k in KINDS if totals[k]]
    return ", ".join(done) or "no changes"


def _audit_figures(doc: dict[str, Any]) -> str:
    counts, intents = doc["summary"], doc["intents"]
    return (
        f"{plural(counts['errors'], 'error')}, {held_of(_held(intents), len(intents))},"
        f" {counts['drift']} drifted"
    )


def _verdict_line(verdict: dict[str, Any]) -> str:
    passing = sum(1 for p in verdict["paths"] if p["verdict"] == "reachable")
    return f"{verdict['verdict']} ({of_total(passing, len(verdict['paths']), 'placement')})"


def finding_lines(findings: list[dict[str, Any]]) -> list[str]:
    return [f"{f['severity']} {f['rule']} {f['resource']}: {f['message']}" for f in findings]


def intent_lines(intents: list[dict[str, Any]]) -> list[str]:
    marks = {(True, False): "✓", (False, False): "✗"}
    return [
        f"{marks.get((i['holds'], i['conditional']), '?')} {i['intent']}  — {i['summary']}"
        for i in intents
    ]


def expansion_lines(expansion: dict[str, Any]) -> list[str]:
    """One line per kind of resource, with the blueprint's names."""
    names: dict[str, list[str]] = {}
    for resource in expansion["resources"]:
        names.setdefault(resource["type"], []).append(resource.get("name") or resource["id"])
    return [f"  {plural(len(n), _kind(kind))}: {', '.join(n)}" for kind, n in names.items()]


def _kind(type_name: str) -> str:
    """`InternetGateway` → `internet gateway`; a few as AWS writes them."""
    known = {"Vpc": "VPC", "ElasticIp": "Elastic IP", "NetworkAcl": "network ACL"}
    known |= {"NatGateway": "NAT gateway"}
    known |= {"DbSubnetGroup": "DB subnet group", "Role": "IAM role"}
    return known.get(type_name) or re.sub(r"(?<!^)(?=[A-Z])", " ", type_name).lower()


def action_lines(planned: dict[str, Any], *, changes: bool = False) -> list[str]:
    """`+ create vpc/main`, one per resource, with what changes in it when asked."""
    lines = []
    for action in planned["actions"]:
        if not action["follow_up"]:
            lines.append(f"  {MARKS[action['action']]} {action['action']} {action['resource']}")
            if changes:
                lines += [f"      {line}" for line in action["changes"]]
    return lines


def applied_lines(objects: list[dict[str, Any]]) -> list[str]:
    """What an apply did, from its progress events: how many resources changed (as the plan
    counts them: `21 created` beside `21 resources changed`), any follow-up steps by name
    (`grant role/web` once the database exists), and the slowest step."""
    done = [o for o in objects if o.get("type") == "done"]
    if not done:
        return []
    follow_ups = [str(o["action"]) for o in done if str(o["action"]).split()[0] not in KINDS]
    changed = plural(len(done) - len(follow_ups), "resource") + " changed"
    if follow_ups:
        changed += f", plus {plural(len(follow_ups), 'follow-up step')} ({', '.join(follow_ups)})"
    slowest = max(done, key=lambda o: float(o.get("seconds", 0)))
    return [
        f"  {changed}; the slowest: {slowest['action']} ({float(slowest.get('seconds', 0)):.1f} s)"
    ]


def path_lines(verdict: dict[str, Any]) -> list[str]:
    """Each placement's verdict, the hops of a path that passes, the hop that blocks one."""
    blocked = {b["placement"]: b for b in verdict["blocked_by"]}
    lines = []
    for path in verdict["paths"]:
        line = f"  {path['verdict']:<11} {path['placement']}"
        if path["placement"] in blocked:
            hop = blocked[path["placement"]]
            line += f": blocked at {hop['resource']} ({hop['kind']}): {hop['reason']}"
        elif path["verdict"] == "reachable":
            line += ": " + " → ".join(h["resource"] for h in path["hops"])
        lines.append(line)
    return lines
