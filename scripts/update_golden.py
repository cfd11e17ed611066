"""Regenerate the golden files of the expanded seed model; review the diff before committing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from blueprint.golden import GOLDEN_CASES, expanded_json  # noqa: E402


def main() -> None:
    for name, text in GOLDEN_CASES.items():
        target = ROOT / "tests" / "blueprint" / "golden" / f"{name}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(expanded_json(text), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
