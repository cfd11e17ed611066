"""The template bench's generator writes what `awsarch check` reads: no error, every intent of
its Metadata proved (at ~100 resources; bench/template_bench.py times ~1,000 and ~3,000)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from .support import check_json, write

BENCH = Path(__file__).parents[2] / "bench" / "template_bench.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("template_bench", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_cdk_style_template_reads_clean_and_proves_its_intents(tmp_path: Path) -> None:
    bench = _bench()
    doc = bench.template(4, 12)
    assert 100 <= len(doc["Resources"]) <= 130
    path = write(tmp_path, json.dumps(doc, indent=1), "bench.template.json")
    code, report = check_json(path)
    assert code == 0
    assert [f["rule"] for f in report["findings"]] == ["CFN000"]  # the Lambda, listed once
    intents = report["intents"]
    assert len(intents) == len(bench.intents(4)) and all(i["holds"] for i in intents)


def test_generated_logical_ids_carry_the_cdk_hash() -> None:
    doc = _bench().template(2, 3)
    assert all(lid[-8:].isalnum() and lid[-8:].upper() == lid[-8:] for lid in doc["Resources"])
    ingress = [
        r for r in doc["Resources"].values() if r["Type"] == "AWS::EC2::SecurityGroupIngress"
    ]
    assert ingress and all("Fn::GetAtt" in r["Properties"]["GroupId"] for r in ingress)
