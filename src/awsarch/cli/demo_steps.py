"""The steps of `awsarch demo`: each runs what a user would type and judges what it showed.

A verb with `--format json` is judged from its JSON (its stable contract), never from its text;
`init`, `iam bootstrap`, `diagram` and `report` write files, and are judged by the files they
wrote (their text is shown as it is). The judges are pure functions of that evidence, so tests
feed them recorded JSON.
"""

from __future__ import annotations

import configparser
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from awsarch.blueprint.seed import seed_text
from awsarch.cli import audit, check, console, diagram, down, iam, init, plan, reach, report, up
from awsarch.cli.output import outputs_lines
from awsarch.cli.runner import Ran, run
from awsarch.errors import ToolError
from awsarch.render.changes import KINDS, MARKS
from awsarch.render.words import held_of, plural

Outcome = tuple[bool, str]
"""A step's verdict: whether it showed what it should, and the figures that say so."""
Step = tuple[str, Callable[[], Outcome]]
Runner = Callable[[click.Command, Sequence[str]], Ran]

REGION = "ap-northeast-2"
DEPLOYER = "awsarch-demo-deployer"
VIEWER = "awsarch-demo-viewer"
"""The IAM users `iam bootstrap` creates: the demo deploys as them, not as root (the IAM rule)."""

VERBS: dict[str, click.Command] = {
    "init": init.command,
    "check": check.command,
    "plan": plan.command,
    "iam": iam.group,
    "up": up.command,
    "diagram": diagram.command,
    "report": report.command,
    "reach": reach.command,
    "audit": audit.command,
    "down": down.command,
}
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


@dataclass
class Steps:
    folder: Path
    endpoint: str
    runner: Runner = field(default=run)
    """How a verb runs (tests give recorded answers instead)."""

    @property
    def blueprint(self) -> str:
        return str(self.folder / "blueprint.yaml")

    @property
    def credentials(self) -> Path:
        return self.folder / "credentials"

    def verb(self, name: str, *args: str) -> Ran:
        return self.runner(VERBS[name], args)

    def live(self, name: str, *args: str, user: str = DEPLOYER) -> Ran:
        """A verb's JSON against the emulator, as one of the IAM users (a credentials profile)."""
        target = ("--profile", user, "--endpoint-url", self.endpoint)
        return self.verb(name, *args, "--format", "json", *target)

    def all(self) -> list[Step]:
        return [
            ("write the seed blueprint", self.init),
            ("check: rules and proofs, before anything exists", self.check),
            ("plan: every resource of the blueprint", self.plan),
            ("iam bootstrap: root creates the deployer and viewer users", self.bootstrap),
            ("plan against the emulator: the change set", self.plan_live),
            ("up: deploy, then prove it again on what is live", self.up),
            ("diagram and report: the blueprint and what is live", self.pictures),
            ("reach: internet → web:443", self.reach_web),
            ("reach: internet → database, every port", self.reach_database),
            ("reach: web → database:3306 in both AZs", self.reach_web_database),
            ("up again: nothing to do", self.up_again),
            ("drift: 3306 opened to the world by hand", self.drift),
            ("up repairs the drift", self.repair),
            ("forced failover of the database", self.failover),
            ("down: final snapshot, nothing left", self.down),
        ]

    def init(self) -> Outcome:
        ran = _shown(self.verb("init", self.blueprint, "--force"))
        path = Path(self.blueprint)
        return judge_init(ran.code, path.read_text(encoding="utf-8") if path.is_file() else "")

    def check(self) -> Outcome:
        ran = self.verb("check", self.blueprint, "--format", "json")
        doc = _document(ran)
        console.echo_lines(
            [*finding_lines(doc["findings"]), *intent_lines(doc["intents"])], "report"
        )
        return judge_check(ran.code, doc)

    def plan(self) -> Outcome:
        ran = self.verb("plan", self.blueprint, "--format", "json")
        expansion = _object(ran, "expansion")
        console.echo_lines(expansion_lines(expansion))
        return judge_expansion(ran.code, expansion)

    def bootstrap(self) -> Outcome:
        click.echo("(the emulator's root credentials, used for this step only)")
        codes = []
        for extra in ((), ("--viewer",)):
            args = ("--credentials-file", str(self.credentials), *extra)
            ran = self.verb(
                "iam", "bootstrap", self.blueprint, *args, "--endpoint-url", self.endpoint
            )
            codes.append(_shown(ran).code)
        click.echo(f"(from here on: --profile {DEPLOYER} to deploy, --profile {VIEWER} to read)")
        private = self.credentials.is_file() and not self.credentials.stat().st_mode & 0o077
        return judge_bootstrap(codes, _profiles(self.credentials), private=private)

    def plan_live(self) -> Outcome:
        ran = self.live("plan", self.blueprint)
        planned = _object(ran, "plan")
        console.echo_lines(action_lines(planned), "change")
        return judge_new_stack(ran.code, planned)

    def up(self) -> Outcome:
        ran = self.live("up", self.blueprint, "--yes")
        summary = ran.last("summary")
        if summary.get("outputs"):
            console.echo_lines(outputs_lines(summary["outputs"]))
        return judge_up(ran, expect="create")

    def pictures(self) -> Outcome:
        names = ("architecture.svg", "architecture-live.svg", "report.html")
        svg, live_svg, html = (str(self.folder / name) for name in names)
        codes = [
            _shown(self.verb("diagram", self.blueprint, "-o", svg)).code,
            _shown(self._as_viewer("diagram", self.blueprint, "--live", "-o", live_svg)).code,
            _shown(self._as_viewer("report", self.blueprint, "--live", "-o", html)).code,
        ]
        texts = {name: _read(self.folder / name) for name in names}
        return judge_pictures(codes, texts)

    def _as_viewer(self, name: str, *args: str) -> Ran:
        """A verb without JSON output (it writes a file) as the read-only user."""
        return self.verb(name, *args, "--profile", VIEWER, "--endpoint-url", self.endpoint)

    def reach_web(self) -> Outcome:
        return judge_reachable(self._reach("internet", "web", "443"), placements=1)

    def reach_database(self) -> Outcome:
        return judge_unreachable(self._reach("internet", "main"))

    def reach_web_database(self) -> Outcome:
        return judge_reachable(self._reach("web", "main", "3306"), placements=2)

    def _reach(self, source: str, destination: str, port: str = "") -> dict[str, Any]:
        """The verdict on what is live, read from the JSON form, and its paths shown."""
        query = ("--from", source, "--to", destination, *(("--port", port) if port else ()))
        verdict: dict[str, Any] = _document(
            self.live("reach", self.blueprint, "--live", *query, user=VIEWER)
        )
        console.echo_lines(path_lines(verdict))
        return verdict

    def up_again(self) -> Outcome:
        return judge_up(self.live("up", self.blueprint, "--yes"), expect="nothing")

    def drift(self) -> Outcome:
        group = self._open_database_group()
        click.echo(f"(by hand, as root, outside awsarch: 3306 opened to 0.0.0.0/0 on {group})")
        ran = self.live("plan", self.blueprint)
        planned = _object(ran, "plan")
        console.echo_lines(action_lines(planned, changes=True), "change")
        return judge_drift(ran.code, planned)

    def repair(self) -> Outcome:
        return judge_up(self.live("up", self.blueprint, "--yes"), expect="update")

    def failover(self) -> Outcome:
        command = "aws rds reboot-db-instance --db-instance-identifier demo-main --force-failover"
        console.echo(console.style(f"$ {command}", "command"))
        self._session().call(
            "rds", "reboot_db_instance", DBInstanceIdentifier="demo-main", ForceFailover=True
        )
        click.echo(
            "(the emulator does not move the primary; the proof already covers both subnets)"
        )
        ran = self.live("audit", "--blueprint", self.blueprint, user=VIEWER)
        doc = _document(ran)
        console.echo_lines(
            [*finding_lines(doc["findings"]), *intent_lines(doc["intents"])], "report"
        )
        return judge_audit(ran.code, doc, intent="web -> main:3306")

    def down(self) -> Outcome:
        ran = self.live("down", self.blueprint, "--yes")
        return judge_down(ran.code, ran.last("summary"), stack="demo")

    def _session(self) -> Any:
        from awsarch.aws.session import AwsSession

        return AwsSession(region=REGION, endpoint_url=self.endpoint)

    def _open_database_group(self) -> str:
        session = self._session()
        filters = [{"Name": "tag:awsarch:name", "Values": ["sg/db-main"]}]
        groups = session.call("ec2", "describe_security_groups", Filters=filters)
        group = groups["SecurityGroups"][0]
        permission = {
            "IpProtocol": "tcp",
            "FromPort": 3306,
            "ToPort": 3306,
            "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
        }
        session.call(
            "ec2",
            "authorize_security_group_ingress",
            GroupId=group["GroupId"],
            IpPermissions=[permission],
        )
        return str(group["GroupId"])


# --- reading what a verb left ----------------------------------------------------------------


def _shown(ran: Ran) -> Ran:
    """A verb without JSON output: what it printed, shown as it is."""
    click.echo(ran.out, nl=False)
    return ran


def _document(ran: Ran) -> Any:
    """The verb's JSON document; a verb that ended before writing any says how it ended."""
    if not ran.out.strip():
        raise ToolError(f"exit {ran.code}, no JSON: {ran.error or 'nothing printed'}")
    return ran.document()


def _object(ran: Ran, kind: str) -> dict[str, Any]:
    """The last JSON line of that type in a streamed answer (`plan`, `summary`…)."""
    found = ran.last(kind)
    if not found:
        raise ToolError(f"exit {ran.code}, no `{kind}` in the JSON: {ran.error or 'none printed'}")
    return found


def _profiles(credentials: Path) -> set[str]:
    """The profiles with an access key in an AWS credentials file."""
    parser = configparser.ConfigParser()
    parser.read(credentials, encoding="utf-8")
    return {name for name in parser.sections() if parser.has_option(name, "aws_access_key_id")}


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


# --- the judges: pure functions of exit codes, JSON and files ---------------------------------


def judge_init(code: int, written: str) -> Outcome:
    ok = code == 0 and written == seed_text()
    return ok, f"{plural(len(written.splitlines()), 'line')}, the seed" if ok else "not the seed"


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


def judge_up(ran: Ran, *, expect: str) -> Outcome:
    """The stack converged (nothing remains to change), and the live audit is clean: no error
    finding, every intent holds, nothing drifted; `expect`: create, update or nothing."""
    summary = ran.last("summary")
    if not summary:
        return False, f"exit {ran.code}, no summary: {ran.error or 'none printed'}"
    totals = summary["totals"]
    done = {"create": totals["create"] > 0, "update": totals["update"] > 0}
    expected = done.get(expect, not any(totals.values()))
    audited = summary.get("audit") or {"summary": {"errors": 0, "drift": 0}, "intents": []}
    counts, intents = audited["summary"], audited["intents"]
    clean = not counts["errors"] and not counts["drift"] and _held(intents) == len(intents) > 0
    failed = [o["action"] for o in ran.objects() if o.get("type") == "failed"]
    figures = f"{_done(totals)}; live audit: {_audit_figures(audited)}"
    if failed:
        figures += f"; failed: {', '.join(failed)}"
    return ran.code == 0 and summary["ok"] and clean and expected and not failed, figures


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
    counts = doc["summary"]
    clean = (
        not counts["errors"]
        and not counts["drift"]
        and _held(doc["intents"]) == len(doc["intents"])
    )
    figures = f"{intent} {'holds' if holds else 'FAILS'} in {len(ends)} AZs; {_audit_figures(doc)}"
    return code == 0 and holds and len(ends) >= 2 and clean, figures


def judge_down(code: int, summary: dict[str, Any], *, stack: str) -> Outcome:
    """Everything deleted (down checks nothing tagged remains before its summary says ok), and a
    final snapshot of the database kept."""
    if not summary:
        return False, f"exit {code}, no summary"
    snapshots = summary["snapshots"]
    ok = code == 0 and summary["ok"] and summary["totals"]["delete"] > 0 and bool(snapshots)
    gone = f"nothing tagged awsarch:stack={stack} remains" if ok else "not all gone"
    return (
        ok,
        f"{_done(summary['totals'])}; {gone}; final snapshot {', '.join(snapshots) or 'none'}",
    )


# --- figures and lines for people, from the JSON -----------------------------------------------


def _held(intents: list[dict[str, Any]]) -> int:
    return sum(1 for i in intents if i["holds"] and not i["conditional"])


def _totals(totals: dict[str, int]) -> str:
    return ", ".join(f"{totals[k]} to {k}" for k in KINDS)


def _done(totals: dict[str, int]) -> str:
    """`21 created`, `1 updated`, or `nothing to do`."""
    done = [f"{totals[k]} {k.removesuffix('e')}ed" for k in KINDS if totals[k]]
    return ", ".join(done) or "nothing to do"


def _audit_figures(doc: dict[str, Any]) -> str:
    counts, intents = doc["summary"], doc["intents"]
    return (
        f"{plural(counts['errors'], 'error')}, {held_of(_held(intents), len(intents))},"
        f" {counts['drift']} drifted"
    )


def _verdict_line(verdict: dict[str, Any]) -> str:
    passing = sum(1 for p in verdict["paths"] if p["verdict"] == "reachable")
    return f"{verdict['verdict']} ({passing} of {len(verdict['paths'])} placements)"


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
