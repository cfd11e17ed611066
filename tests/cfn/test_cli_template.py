"""`check`, `reach`, `diagram` and `report` on a template; parameters, conditions, unknowns,
suppressions and bad input, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from .support import REGION, SEED, as_cdk_json, awsarch, check_json, findings, line_of, plant, write

MULTI_AZ_PARAMETERS = """\
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
"""


def test_reach_on_a_cdk_template(tmp_path: Path) -> None:
    """reach answers on a template by logical names: Web reaches the database on 3306, the
    internet does not."""
    path = write(tmp_path, as_cdk_json(SEED), "cdk.out/App.template.json")
    ok = awsarch("reach", path, "--from", "Web", "--to", "Database", "--port", "3306", *REGION)
    assert ok.exit_code == 0, ok.output
    blocked = awsarch(
        "reach", path, "--from", "internet", "--to", "Database", "--format", "json", *REGION
    )
    assert json.loads(blocked.stdout)["verdict"] == "unreachable"
    assert (
        json.loads(
            awsarch(
                "reach",
                path,
                "--from",
                "Web",
                "--to",
                "Database",
                "--port",
                "3306",
                "--format",
                "json",
                *REGION,
            ).stdout
        )["verdict"]
        == "reachable"
    )


def test_diagram_and_report_on_a_template(tmp_path: Path) -> None:
    """diagram draws a template's proved flows; report writes its page."""
    path = write(tmp_path, SEED)
    drawn = awsarch("diagram", path, "--format", "mermaid", "-o", "-", *REGION)
    assert drawn.exit_code == 0, drawn.output
    assert "WebSG" in drawn.stdout or "Web" in drawn.stdout
    page = tmp_path / "report.html"
    report = awsarch("report", path, "-o", page, "--strict", *REGION)
    assert report.exit_code == 0, report.output
    assert "7 of 7 intents hold" in report.stdout and page.exists()


def test_parameters_and_conditions(tmp_path: Path) -> None:
    """MultiAZ from Fn::If on a condition over a parameter: DATA004 with the default (dev),
    clean with `--parameter Env=prod`."""
    text = plant(SEED, "Resources:\n", MULTI_AZ_PARAMETERS + "Resources:\n")
    text = text.replace("Parameters:\n  Env:", "  Env:", 1)  # one Parameters section
    text = plant(text, "MultiAZ: true", "MultiAZ: !If [IsProd, true, false]")
    path = write(tmp_path, text)
    code, report = check_json(path)
    assert code == 3 and findings(report, "DATA004")
    code, report = check_json(path, "--parameter", "Env=prod")
    assert code == 0 and not findings(report, "DATA004")


def test_unknown_parameter_is_a_one_line_error(tmp_path: Path) -> None:
    """`--parameter` naming nothing is exit 2, one line, no traceback."""
    result = awsarch("check", write(tmp_path, SEED), "--parameter", "Nope=1")
    assert result.exit_code == 2
    assert "declares no such parameter" in result.stderr and "Traceback" not in result.output


def test_unresolvable_peer_makes_reach_unknown(tmp_path: Path) -> None:
    """HTTPS admitted from an imported CIDR: reach says unknown, never a guess; the intent
    `internet -> Web:443` fails as unknown."""
    text = plant(
        SEED,
        "- {CidrIp: 0.0.0.0/0, Description: from 0.0.0.0/0:443,",
        "- {CidrIp: !ImportValue OfficeCidr, Description: office,",
    )
    path = write(tmp_path, text)
    result = awsarch(
        "reach",
        path,
        "--from",
        "internet",
        "--to",
        "Web",
        "--port",
        "443",
        "--format",
        "json",
        *REGION,
    )
    verdict = json.loads(result.stdout)
    assert verdict["verdict"] == "unknown"
    assert "ImportValue" in json.dumps(verdict["unknown_at"])
    _, report = check_json(path)
    (https,) = [i for i in report["intents"] if i["intent"] == "internet -> Web:443"]
    assert not https["holds"] and https["summary"].startswith("unknown")


def test_suppression_with_a_reason(tmp_path: Path) -> None:
    """A cfn_nag-style suppression (and awsarch's own) marks the finding accepted (info) with
    the reason shown, as a blueprint's `accept:` does; the check passes."""
    text = plant(SEED, "MultiAZ: true", "MultiAZ: false")
    metadata = (
        "    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n"
        "          - {id: DATA004, reason: a dev copy; loss of a zone is fine}\n"
        "      awsarch:\n        suppress:\n"
        "          - {rule: DATA002, reason: not used}\n"
    )
    text = plant(
        text, "    DeletionPolicy: Snapshot\n", "    DeletionPolicy: Snapshot\n" + metadata
    )
    code, report = check_json(write(tmp_path, text))
    assert code == 0
    (found,) = findings(report, "DATA004")
    assert found["severity"] == "info"
    assert found["accepted"]["reason"] == "a dev copy; loss of a zone is fine"
    assert found["accepted"]["severity"] == "error"


def test_suppression_without_a_reason_is_an_error(tmp_path: Path) -> None:
    """A suppression must say why: exit 2 at its line."""
    metadata = "    Metadata:\n      awsarch:\n        suppress:\n          - {rule: DATA004}\n"
    text = plant(
        SEED, "    DeletionPolicy: Snapshot\n", "    DeletionPolicy: Snapshot\n" + metadata
    )
    path = write(tmp_path, text)
    result = awsarch("check", path, *REGION)
    assert result.exit_code == 2
    line = line_of(text, "- {rule: DATA004}")
    assert f"{path}:{line}:" in result.stderr and "needs a reason" in result.stderr


def test_bad_reference_is_located(tmp_path: Path) -> None:
    """A Ref to a missing resource: `FILE:LINE:COL: … — fix`, exit 2, no traceback."""
    text = plant(
        SEED, "DBSubnetGroupName: !Ref DatabaseSubnetGroup7D60F180", "DBSubnetGroupName: !Ref Nope"
    )
    path = write(tmp_path, text)
    result = awsarch("check", path, *REGION)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{path}:{line_of(text, '!Ref Nope')}:" in result.stderr
    assert "neither a parameter nor a resource" in result.stderr


def test_intents_from_a_file_point_at_that_file(tmp_path: Path) -> None:
    """`--intents FILE` replaces the template's own; a bad one is an error at its line."""
    path = write(tmp_path, SEED)
    intents = write(tmp_path, "intents:\n  - internet -> Nope:443\n", "intents.yaml")
    result = awsarch("check", path, "--intents", intents, *REGION)
    assert result.exit_code == 2
    assert f"{intents}:2:" in result.stderr and "unknown endpoint 'Nope'" in result.stderr


def test_resource_condition_decides_existence(tmp_path: Path) -> None:
    """A resource whose Condition is false is not there; one whose condition cannot be decided
    offline is an error at its Condition asking for --parameter."""
    text = plant(SEED, "Resources:\n", MULTI_AZ_PARAMETERS + "Resources:\n")
    text = text.replace("Parameters:\n  Env:", "  Env:", 1)
    text = plant(
        text,
        "  DatabaseSGfromAppWebSG3306C0FFEE12:\n    Type: AWS::EC2::SecurityGroupIngress\n",
        "  DatabaseSGfromAppWebSG3306C0FFEE12:\n    Type: AWS::EC2::SecurityGroupIngress\n"
        "    Condition: IsProd\n",
    )
    path = write(tmp_path, text)
    _, dev = check_json(path)
    (web_db,) = [i for i in dev["intents"] if i["intent"] == "Web -> Database:3306"]
    assert not web_db["holds"]
    _, prod = check_json(path, "--parameter", "Env=prod")
    assert all(i["holds"] for i in prod["intents"])
    vague = write(tmp_path, text.replace("Default: dev, ", ""), "vague.yaml")
    result = awsarch("check", vague, *REGION)
    assert result.exit_code == 2
    assert f"{vague}:{line_of(text, 'Condition: IsProd')}:" in result.stderr
    assert "--parameter" in result.stderr


def test_live_on_a_template_is_refused(tmp_path: Path) -> None:
    """`--live` needs a blueprint's stack: on a template it is one line, exit 2."""
    path = write(tmp_path, SEED)
    for verb in (("report", "--live"), ("diagram", "--live"), ("reach", "--live", "--matrix")):
        result = awsarch(verb[0], path, *verb[1:])
        assert result.exit_code == 2, verb
        assert "drop --live" in result.stderr
