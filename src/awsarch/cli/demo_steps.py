"""The steps of `awsarch demo`: each runs what a user would type and judges what it showed.

A verb with `--format json` is judged from its JSON (its stable contract), never from its text;
`init`, `iam bootstrap`, `diagram` and `report` write files, and are judged by the files they
wrote (their text is shown as it is). The judges are in demo_judges.py.
"""

from __future__ import annotations

import configparser
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from awsarch.cli import audit, check, console, diagram, down, iam, init, plan, reach, report, up
from awsarch.cli.demo_judges import (
    DEPLOYER,
    VIEWER,
    Outcome,
    action_lines,
    applied_lines,
    expansion_lines,
    finding_lines,
    intent_lines,
    judge_audit,
    judge_bootstrap,
    judge_check,
    judge_down,
    judge_drift,
    judge_expansion,
    judge_init,
    judge_new_stack,
    judge_pictures,
    judge_reachable,
    judge_unreachable,
    judge_up,
    path_lines,
)
from awsarch.cli.output import outputs_lines
from awsarch.cli.runner import Ran, run
from awsarch.errors import ToolError

Step = tuple[str, Callable[[], Outcome]]
Runner = Callable[[click.Command, Sequence[str]], Ran]

REGION = "ap-northeast-2"

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
            ("up again: no changes", self.up_again),
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
        outcome = _judge_up(ran, expect="create")
        summary = ran.last("summary")
        if summary.get("outputs"):
            console.echo_lines(outputs_lines(summary["outputs"]))
        return outcome

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
        return _judge_up(self.live("up", self.blueprint, "--yes"), expect="nothing")

    def drift(self) -> Outcome:
        group = self._open_database_group()
        click.echo(f"(by hand, as root, outside awsarch: 3306 opened to 0.0.0.0/0 on {group})")
        ran = self.live("plan", self.blueprint)
        planned = _object(ran, "plan")
        console.echo_lines(action_lines(planned, changes=True), "change")
        return judge_drift(ran.code, planned)

    def repair(self) -> Outcome:
        return _judge_up(self.live("up", self.blueprint, "--yes"), expect="update")

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
        console.echo_lines(applied_lines(ran.objects()))
        return judge_down(ran.code, ran.last("summary"), stack="demo")

    def _session(self) -> Any:
        from awsarch.adapters.aws.session import AwsSession

        return AwsSession(region=REGION, endpoint_url=self.endpoint)

    def _open_database_group(self) -> str:
        session = self._session()
        filters = [{"Name": "tag:awsarch:name", "Values": ["sg/db-main"]}]
        groups = session.call("ec2", "describe_security_groups", Filters=filters)
        if not groups["SecurityGroups"]:
            raise ToolError("no security group tagged sg/db-main to open: the stack is not up")
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


def _judge_up(ran: Ran, *, expect: str) -> Outcome:
    console.echo_lines(applied_lines(ran.objects()))
    return judge_up(ran.code, ran.objects(), expect=expect)
