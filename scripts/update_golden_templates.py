"""Regenerate the golden synthesized templates; review the diff before committing."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cfn.blueprints import GOLDEN_TEMPLATES, golden_text  # noqa: E402


def main() -> None:
    for name in GOLDEN_TEMPLATES:
        target = ROOT / "tests" / "cfn" / "golden" / f"{name}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(golden_text(name), encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
