"""Ids that findings carry but that are no rule of the registry (a failed intent, a stale
acceptance, a template resource not read): described as rules are, so `explain`, `rules` and
SARIF say the same of them."""

from __future__ import annotations

from collections.abc import Iterator

from awsarch.model import Architecture, Path
from awsarch.rules.base import Rule


def _nothing(_: Architecture) -> Iterator[tuple[str, str, Path]]:
    return iter(())


PSEUDO_RULES = (
    Rule(
        id="INTENT",
        title="An intent of the blueprint does not hold",
        severity="error",
        check=_nothing,
        rationale=(
            "An intent is a promise the blueprint makes about who reaches what (`internet -/->"
            " main`, `web -> main:3306`). awsarch proves it hop by hop on the blueprint, a"
            " template or what is live; a promise that does not hold is an error, so `awsarch"
            " up` refuses the blueprint."
        ),
        fix=(
            "Read the finding: it names the hop that lets the flow through (or blocks it) with"
            " its rule or route. Change that setting, or the intent if the promise was wrong;"
            " `awsarch reach --from A --to B` shows every hop."
        ),
        docs="https://docs.aws.amazon.com/vpc/latest/reachability/what-is-reachability-analyzer.html",
    ),
    Rule(
        id="ACCEPT",
        title="An acceptance has expired or matches no finding",
        severity="warning",
        check=_nothing,
        rationale=(
            "An `accept:` entry shows a finding as accepted only while it is current and names"
            " a finding that exists; one that expired or matches nothing would otherwise"
            " outlive its reason unnoticed."
        ),
        fix=(
            "Fix the finding and remove the entry, renew it with a new `expires:` and a reason"
            " that still holds, or name the rule and resource as `awsarch check` prints them"
            " (e.g. `rule: DATA004, resource: db/main`)."
        ),
    ),
    Rule(
        id="CFN000",
        title="A template resource outside the architecture is not read",
        severity="info",
        check=_nothing,
        rationale=(
            "awsarch reads the resources its architecture is made of (VPC, subnets, routes,"
            " gateways, security groups, instances, the database, IAM). Others in a template"
            " (a Lambda function, a bucket) are listed so that none is skipped silently, but"
            " nothing about them is checked or proved."
        ),
        fix=(
            "Nothing, if the resource does not change who reaches what; otherwise review it"
            " yourself or with a linter that knows its type (cfn-lint, checkov)."
        ),
        docs="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-template-resource-type-ref.html",
    ),
)
"""Ids that findings carry but that are no rule of the registry."""
