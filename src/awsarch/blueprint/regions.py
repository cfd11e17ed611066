"""The regions awsarch knows offline, with their availability zone names (as of 2026)."""

from __future__ import annotations


def _azs(region: str, letters: str) -> tuple[str, ...]:
    return tuple(f"{region}{letter}" for letter in letters)


REGION_AZS: dict[str, tuple[str, ...]] = {
    "us-east-1": _azs("us-east-1", "abcdef"),
    "us-east-2": _azs("us-east-2", "abc"),
    "us-west-1": _azs("us-west-1", "ac"),
    "us-west-2": _azs("us-west-2", "abcd"),
    "ca-central-1": _azs("ca-central-1", "abd"),
    "sa-east-1": _azs("sa-east-1", "abc"),
    "eu-west-1": _azs("eu-west-1", "abc"),
    "eu-west-2": _azs("eu-west-2", "abc"),
    "eu-west-3": _azs("eu-west-3", "abc"),
    "eu-central-1": _azs("eu-central-1", "abc"),
    "eu-north-1": _azs("eu-north-1", "abc"),
    "ap-northeast-1": _azs("ap-northeast-1", "acd"),
    "ap-northeast-2": _azs("ap-northeast-2", "abcd"),
    "ap-northeast-3": _azs("ap-northeast-3", "abc"),
    "ap-southeast-1": _azs("ap-southeast-1", "abc"),
    "ap-southeast-2": _azs("ap-southeast-2", "abc"),
    "ap-south-1": _azs("ap-south-1", "abc"),
}
