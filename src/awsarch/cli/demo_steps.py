"""The steps of `awsarch demo`: each runs what a user would type and checks what it shows."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from awsarch.blueprint.seed import seed_text
from awsarch.cli import console
from awsarch.cli.demo import run_awsarch

Outcome = tuple[bool, str]
REGION = "ap-northeast-2"
DEPLOYER = "awsarch-demo-deployer"
VIEWER = "awsarch-demo-viewer"
"""The IAM users `iam bootstrap` creates: the demo deploys as them, not as root (the IAM rule)."""


@dataclass
class Steps:
    folder: Path
    endpoint: str

    @property
    def blueprint(self) -> str:
        return str(self.folder / "blueprint.yaml")

    @property
    def credentials(self) -> Path:
        return self.folder / "credentials"

    def live(self, *args: str, user: str = DEPLOYER, show: bool = True) -> tuple[int, str]:
        """A command against the emulator as one of the IAM users (its credentials profile)."""
        return run_awsarch(*args, "--profile", user, "--endpoint-url", self.endpoint, show=show)

    def as_root(self, *args: str) -> tuple[int, str]:
        return run_awsarch(*args, "--endpoint-url", self.endpoint)

    def all(self) -> list[tuple[str, Callable[[], Outcome]]]:
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
        Path(self.blueprint).write_text(seed_text(), encoding="utf-8")
        code, _ = run_awsarch("init", self.blueprint, "--force")
        return code == 0, f"{len(seed_text().splitlines())} lines"

    def check(self) -> Outcome:
        code, out = run_awsarch("check", self.blueprint)
        return code == 0 and "0 errors" in out, _last(out).split(": ", 1)[-1]

    def plan(self) -> Outcome:
        code, out = run_awsarch("plan", self.blueprint)
        return code == 0, _last(out)

    def bootstrap(self) -> Outcome:
        click.echo("(the emulator's root credentials, used for this step only)")
        made = []
        for extra in ((), ("--viewer",)):
            code, out = self.as_root(
                "iam",
                "bootstrap",
                self.blueprint,
                "--credentials-file",
                str(self.credentials),
                *extra,
            )
            if code != 0:
                return False, _last(out)
            made.append(next(line for line in out.splitlines() if line.startswith("user ")))
        click.echo(f"(from here on: --profile {DEPLOYER} to deploy, --profile {VIEWER} to read)")
        return True, "; ".join(made)

    def plan_live(self) -> Outcome:
        code, out = self.live("plan", self.blueprint)
        return code == 0 and "to create" in out, _last(out)

    def up(self) -> Outcome:
        code, out = self.live("up", self.blueprint, "--yes")
        return code == 0 and "0 errors" in out, _last(out)

    def pictures(self) -> Outcome:
        drawn = [
            run_awsarch("diagram", self.blueprint, "-o", str(self.folder / "architecture.svg")),
            self.live(
                "diagram",
                self.blueprint,
                "--live",
                "-o",
                str(self.folder / "architecture-live.svg"),
                user=VIEWER,
            ),
            self.live(
                "report",
                self.blueprint,
                "--live",
                "-o",
                str(self.folder / "report.html"),
                user=VIEWER,
            ),
        ]
        names = ("architecture.svg", "architecture-live.svg", "report.html")
        written = [n for n in names if (self.folder / n).stat().st_size > 0]
        return all(code == 0 for code, _ in drawn) and len(written) == 3, ", ".join(written)

    def reach_web(self) -> Outcome:
        verdict = self._reach("internet", "web", "443")
        return verdict["verdict"] == "reachable", _verdict_line(verdict)

    def reach_database(self) -> Outcome:
        verdict = self._reach("internet", "main")
        blocked = [b["resource"] + " " + b["kind"] for b in verdict["blocked_by"]][:1]
        ok = verdict["verdict"] == "unreachable"
        return ok, f"{verdict['verdict']}, blocked at {', '.join(blocked)}"

    def reach_web_database(self) -> Outcome:
        verdict = self._reach("web", "main", "3306")
        placements = {
            p["placement"].split(" -> ")[1] for p in verdict["paths"] if p["verdict"] == "reachable"
        }
        return verdict["verdict"] == "reachable" and len(placements) == 2, _verdict_line(verdict)

    def _reach(self, source: str, destination: str, port: str = "") -> dict[str, Any]:
        """Answer on what is live (shown as text), and read the verdict from the JSON form."""
        query = ("--from", source, "--to", destination, *(("--port", port) if port else ()))
        self.live("reach", self.blueprint, "--live", *query, user=VIEWER)
        args = ("reach", self.blueprint, "--live", *query, "--format", "json")
        _, out = self.live(*args, user=VIEWER, show=False)
        return dict(json.loads(out))

    def up_again(self) -> Outcome:
        code, out = self.live("up", self.blueprint, "--yes")
        return (
            code == 0 and "nothing to do" in out,
            "nothing to do" if "nothing to do" in out else _last(out),
        )

    def drift(self) -> Outcome:
        group = self._open_database_group()
        click.echo(f"(by hand, as root, outside awsarch: 3306 opened to 0.0.0.0/0 on {group})")
        code, out = self.live("plan", self.blueprint)
        return code == 0 and "update sg/db-main" in out, _last(out)

    def repair(self) -> Outcome:
        code, out = self.live("up", self.blueprint, "--yes")
        return code == 0 and "0 drifted" in out, _last(out)

    def failover(self) -> Outcome:
        session = self._session()
        console.echo(
            console.style(
                "$ aws rds reboot-db-instance --db-instance-identifier demo-main --force-failover",
                "command",
            )
        )
        session.call(
            "rds", "reboot_db_instance", DBInstanceIdentifier="demo-main", ForceFailover=True
        )
        click.echo(
            "(the emulator does not move the primary; the proof already covers both subnets)"
        )
        _, out = self.live("audit", "--blueprint", self.blueprint, user=VIEWER)
        # audit also judges the account itself: the emulator's root user has no MFA, and says so
        held = "✓ web -> main:3306" in out
        return held, "web → database:3306 still holds in both AZs"

    def down(self) -> Outcome:
        code, out = self.live("down", self.blueprint, "--yes")
        snapshot = next(
            (line.split(": ", 1)[1] for line in out.splitlines() if "final snapshot kept" in line),
            "",
        )
        return code == 0 and "remains" in out and bool(snapshot), f"final snapshot {snapshot}"

    def _session(self) -> Any:
        from awsarch.adapters.aws.session import AwsSession

        return AwsSession(region=REGION, endpoint_url=self.endpoint)

    def _open_database_group(self) -> str:
        session = self._session()
        filters = [{"Name": "tag:awsarch:name", "Values": ["sg/db-main"]}]
        group = session.call("ec2", "describe_security_groups", Filters=filters)["SecurityGroups"][
            0
        ]
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


def _last(out: str) -> str:
    lines = [line for line in out.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _verdict_line(verdict: dict[str, Any]) -> str:
    passing = sum(1 for p in verdict["paths"] if p["verdict"] == "reachable")
    return f"{verdict['verdict']} ({passing} of {len(verdict['paths'])} placements)"
