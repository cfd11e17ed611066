"""Regenerate the golden diagrams (SVG and Mermaid) in tests/render/golden; review the diff."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.render.support import CASES, GOLDEN  # noqa: E402

from awsarch.render.diagram import render_svg  # noqa: E402
from awsarch.render.mermaid import render_mermaid  # noqa: E402


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, build in CASES.items():
        arch = build()
        for suffix, text in ((".svg", render_svg(arch)), (".mmd", render_mermaid(arch))):
            target = GOLDEN / f"{name}{suffix}"
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
