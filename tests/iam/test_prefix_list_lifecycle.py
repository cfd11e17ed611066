"""A blueprint with its own prefix list, deployed as the least-privilege deployer on the emulator
enforcing IAM: the list is created tagged, the web group's rule names it, the live proof agrees
with the blueprint's, a change of CIDRs modifies the list in place, and `down` deletes it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from click.testing import CliRunner, Result

from awsarch.adapters import emulator as emulator_module
from awsarch.adapters.emulator.behaviours.iam_enforcement import Checked
from awsarch.analysis.iam import evaluate
from awsarch.blueprint.expand import expand
from awsarch.blueprint.load import load_text
from awsarch.cli.main import cli
from awsarch.deploy.permissions import deployer_policy, granted_actions

REGION = "ap-northeast-2"
DEPLOYER = "awsarch-demo-deployer"
VIEWER = "awsarch-demo-viewer"
BLUEPRINT = """\
stack: demo
region: ap-northeast-2
network: {cidr: 10.0.0.0/16, nat: none, tiers: {public: public}}
prefix_lists:
  office: {cidrs: [203.0.113.0/24, 198.51.100.0/24], max_entries: 5}
servers:
  web:
    count: 1
    public_ports: [443]
    allow:
      - {ports: [22], from: office}
      - {ports: [80], from: com.amazonaws.global.cloudfront.origin-facing}
intents:
  - internet -> web:443
  - internet -> web:22      # the office reaches SSH
  - internet -/-> web:3389
"""
CLOUDFRONT = "com.amazonaws.global.cloudfront.origin-facing"
MOVED = BLUEPRINT.replace("198.51.100.0/24", "192.0.2.0/24")


def _awsarch(endpoint: str, *args: str, profile: str = "") -> Result:
    chosen = ["--profile", profile] if profile else []
    return CliRunner().invoke(cli, [*args, *chosen, "--endpoint-url", endpoint])


def _ec2(endpoint: str) -> Any:
    return boto3.client("ec2", endpoint_url=endpoint, region_name=REGION)


def _office(endpoint: str) -> dict[str, Any]:
    listed = _ec2(endpoint).describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": ["demo-office"]}]
    )["PrefixLists"]
    live = [p for p in listed if "delete" not in p["State"]]
    assert len(live) <= 1, live
    return dict(live[0]) if live else {}


def _entries(endpoint: str, list_id: str) -> list[str]:
    got = _ec2(endpoint).get_managed_prefix_list_entries(PrefixListId=list_id)["Entries"]
    return sorted(e["Cidr"] for e in got)


def _web_rules(endpoint: str) -> list[dict[str, Any]]:
    groups = _ec2(endpoint).describe_security_groups(
        Filters=[{"Name": "tag:awsarch:name", "Values": ["sg/web"]}]
    )["SecurityGroups"]
    return list(groups[0]["IpPermissions"])


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """bootstrap (root), then as the deployer: up, up again, CIDRs changed, down; live reach
    as the viewer between them. What each step saw is kept for the tests."""
    enforcing = emulator_module.start()
    folder = tmp_path_factory.mktemp("prefix-lists")
    blueprint = folder / "blueprint.yaml"
    blueprint.write_text(BLUEPRINT, encoding="utf-8")
    credentials = folder / "credentials"
    endpoint = enforcing.endpoint_url
    seen: dict[str, Any] = {}
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
            for kind in ((), ("--viewer",)):
                args = ["iam", "bootstrap", str(blueprint), "--credentials-file", str(credentials)]
                result = _awsarch(endpoint, *args, *kind)
                assert result.exit_code == 0, result.output
            enforcing.behaviour("iam_enforcement").checked.clear()
            seen["up"] = _awsarch(endpoint, "up", str(blueprint), "--yes", profile=DEPLOYER)
            assert seen["up"].exit_code == 0, seen["up"].output
            seen["office"] = _office(endpoint)
            seen["rules"] = _web_rules(endpoint)
            seen["cloudfront"] = _ec2(endpoint).describe_managed_prefix_lists(
                Filters=[{"Name": "prefix-list-name", "Values": [CLOUDFRONT]}]
            )["PrefixLists"][0]["PrefixListId"]
            seen["again"] = _awsarch(endpoint, "up", str(blueprint), "--yes", profile=DEPLOYER)
            seen["audit"] = _awsarch(
                endpoint, "audit", "--blueprint", str(blueprint), "--format", "json", profile=VIEWER
            )
            seen["reach"] = {
                port: _awsarch(
                    endpoint,
                    *("reach", str(blueprint), "--live", "--from", "internet", "--to", "web"),
                    *("--port", str(port), "--format", "json"),
                    profile=VIEWER,
                )
                for port in (22, 3389)
            }
            blueprint.write_text(MOVED, encoding="utf-8")
            seen["plan"] = _awsarch(endpoint, "plan", str(blueprint), profile=DEPLOYER)
            seen["moved"] = _awsarch(endpoint, "up", str(blueprint), "--yes", profile=DEPLOYER)
            seen["moved_office"] = _office(endpoint)
            seen["moved_entries"] = _entries(endpoint, seen["moved_office"]["PrefixListId"])
            seen["down"] = _awsarch(endpoint, "down", str(blueprint), "--yes", profile=DEPLOYER)
            seen["after_down"] = _office(endpoint)
        seen["checked"] = list(enforcing.behaviour("iam_enforcement").checked)
        yield seen
    finally:
        enforcing.stop()


def test_up_creates_the_list_tagged_and_the_rule_names_it(run: dict[str, Any]) -> None:
    assert run["up"].exit_code == 0, run["up"].output
    assert "create prefix-list/office" in run["up"].output, run["up"].output
    office = run["office"]
    tags = {t["Key"]: t["Value"] for t in office["Tags"]}
    assert tags["awsarch:stack"] == "demo" and tags["awsarch:name"] == "prefix-list/office"
    assert office["AddressFamily"] == "IPv4" and office["MaxEntries"] == 5
    ssh = [p for p in run["rules"] if p.get("FromPort") == 22]
    assert [r["PrefixListId"] for p in ssh for r in p["PrefixListIds"]] == [office["PrefixListId"]]
    cloudfront = [
        r["PrefixListId"]
        for p in run["rules"]
        if p.get("FromPort") == 80
        for r in p["PrefixListIds"]
    ]
    assert cloudfront == [run["cloudfront"]]  # looked up by name, never created
    assert run["again"].exit_code == 0 and "no changes" in run["again"].output, run["again"].output


def test_the_live_proof_agrees_with_the_blueprint_s(run: dict[str, Any]) -> None:
    """Audit proves the blueprint's intents on what is live; reach names the created list."""
    audit = json.loads(run["audit"].stdout)
    assert "not authorized" not in run["audit"].output
    assert all(i["holds"] for i in audit["intents"]), audit["intents"]
    ssh = json.loads(run["reach"][22].stdout)
    assert ssh["verdict"] == "reachable" and ssh["unknown_at"] == [], ssh
    reasons = " ".join(h["reason"] for p in ssh["paths"] for h in p["hops"])
    assert "prefix-list/office" in reasons or run["office"]["PrefixListId"] in reasons, reasons
    assert json.loads(run["reach"][3389].stdout)["verdict"] == "unreachable"


def test_changed_cidrs_modify_the_list_in_place(run: dict[str, Any]) -> None:
    assert "update prefix-list/office" in run["plan"].output, run["plan"].output
    assert run["moved"].exit_code == 0, run["moved"].output
    moved = run["moved_office"]
    assert moved["PrefixListId"] == run["office"]["PrefixListId"]
    assert moved["Version"] > run["office"]["Version"]
    assert moved["PrefixListName"] == "demo-office"
    assert run["moved_entries"] == ["192.0.2.0/24", "203.0.113.0/24"]


def test_down_deletes_the_list(run: dict[str, Any]) -> None:
    assert run["down"].exit_code == 0, run["down"].output
    assert run["after_down"] == {}


def test_every_call_was_allowed_and_each_prefix_list_grant_needed(run: dict[str, Any]) -> None:
    checked: list[Checked] = [c for c in run["checked"] if c.principal.endswith(f"/{DEPLOYER}")]
    assert [c.request.action for c in checked if not c.decision.allowed] == []
    policy = deployer_policy(expand(load_text(BLUEPRINT, file="b.yaml").blueprint))
    authorized = {c.request.action for c in checked}
    ours = {a for a in granted_actions(policy) if "PrefixList" in a}
    assert len(ours) == 5 and ours <= authorized, ours - authorized
    sids = [s["Sid"] for s in policy["Statement"] if "PrefixList" in s["Sid"]]
    assert sids == ["CreatePrefixListsTagged", "ChangeOwnPrefixLists", "ReadPrefixListEntries"]
    for statement in [s for s in policy["Statement"] if s["Sid"] in sids]:
        without = {**policy, "Statement": [s for s in policy["Statement"] if s is not statement]}
        assert any(not evaluate(c.request, [without]).allowed for c in checked), statement["Sid"]
