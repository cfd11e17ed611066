"""The seed blueprint shipped with awsarch: the classic secure architecture."""

from __future__ import annotations

from importlib.resources import files


def seed_text() -> str:
    return files("awsarch.blueprint").joinpath("seed.yaml").read_text(encoding="utf-8")
