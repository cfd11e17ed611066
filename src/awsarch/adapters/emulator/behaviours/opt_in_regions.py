"""Opt-in regions are disabled in an account until it enables them, as AWS does; moto 5.2.5 lists
every region (those of the GovCloud and China partitions too) and answers in all of them.

https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html: regions launched
after March 20, 2019 are disabled by default; "you cannot use these Regions ... until they are
enabled" — a request there is refused as if its credentials were bad (EC2 `AuthFailure`, the
other query APIs `InvalidClientTokenId`, the JSON ones `UnrecognizedClientException`: "The
security token included in the request is invalid"). An account only sees its own partition's
regions. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html lists
the regions enabled for the account, all of them with `AllRegions=true` (each with its
`OptInStatus`: opt-in-not-required | opted-in | not-opted-in), the named ones with `RegionName.N`
whatever their status, and filters on `opt-in-status`, `region-name` and `endpoint`.

Here every account starts with the opt-in regions disabled, except the emulator's own account,
which has enabled them all (a long-lived account whose owner did). moto has no Account API
(`account:EnableRegion`), so a test enables or disables one with `enable`/`disable` on the
running behaviour (`emulator.behaviour("opt_in_regions").enable(account, region)`). S3 is left
alone: its error for a disabled region is not emulated.
"""

from __future__ import annotations

import functools
import json
import re

from awsarch.adapters.aws.session import OPT_IN_REGIONS
from awsarch.adapters.emulator.behaviours.backends import caller_account
from awsarch.adapters.emulator.layer import (
    ACCOUNT_ID,
    Answer,
    Behaviour,
    Call,
    Clock,
    ec2_error,
    query_error,
)

NAME = "opt_in_regions"
TOKEN_INVALID = "The security token included in the request is invalid."
QUERY_SERVICES = frozenset(
    {"rds", "sts", "iam", "autoscaling", "elasticloadbalancing", "cloudformation", "sns"}
)
"""Services of the query protocol (XML errors); the others here speak JSON."""
_FILTER = re.compile(r"^Filter\.(\d+)\.Name$")


class _EveryServiceButS3(frozenset[str]):
    def __contains__(self, service: object) -> bool:
        return service != "s3"


class OptInRegions(Behaviour):
    name = NAME
    services = _EveryServiceButS3()

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self._opted_in: dict[str, set[str]] = {ACCOUNT_ID: set(OPT_IN_REGIONS)}

    def enable(self, account: str, region: str) -> None:
        """Opt `account` in to `region` (what account:EnableRegion does, once it has finished)."""
        with self.lock:
            self._opted_in.setdefault(account, set()).add(region)

    def disable(self, account: str, region: str) -> None:
        with self.lock:
            self._opted_in.setdefault(account, set()).discard(region)

    def enabled(self, account: str, region: str) -> bool:
        with self.lock:
            return region not in OPT_IN_REGIONS or region in self._opted_in.get(account, set())

    def before(self, call: Call) -> Answer | None:
        regions = call.service == "ec2" and call.action == "DescribeRegions"
        if call.region not in OPT_IN_REGIONS and not regions:
            return None  # most requests: no need to look the caller's account up
        account = caller_account(call)
        if not self.enabled(account, call.region):
            return _refused(call.service)
        return self._describe_regions(call, account) if regions else None

    def _describe_regions(self, call: Call, account: str) -> Answer:
        named = call.listed("RegionName")
        every = call.params.get("AllRegions", "").lower() == "true"
        items = []
        for region in partition_regions():
            status = self._status(account, region)
            if named and region not in named:
                continue
            if not named and not every and status == "not-opted-in":
                continue
            endpoint = f"ec2.{region}.amazonaws.com"
            if not _filtered(
                call, {"region-name": region, "opt-in-status": status, "endpoint": endpoint}
            ):
                continue
            items.append(
                f"<item><regionName>{region}</regionName><regionEndpoint>{endpoint}</regionEndpoint>"
                f"<optInStatus>{status}</optInStatus></item>"
            )
        body = (
            '<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
            f"<requestId>awsarch-emulator</requestId><regionInfo>{''.join(items)}</regionInfo>"
            "</DescribeRegionsResponse>"
        )
        return Answer(status=200, body=body.encode())

    def _status(self, account: str, region: str) -> str:
        if region not in OPT_IN_REGIONS:
            return "opt-in-not-required"
        return "opted-in" if self.enabled(account, region) else "not-opted-in"


@functools.cache
def partition_regions() -> tuple[str, ...]:
    """The `aws` partition's regions, as botocore knows them (never GovCloud's nor China's)."""
    import boto3  # type: ignore[import-untyped]

    return tuple(sorted(boto3.Session().get_available_regions("ec2", partition_name="aws")))


def _filtered(call: Call, values: dict[str, str]) -> bool:
    """Whether a region passes the request's filters (each filter one of its values)."""
    for key, name in call.params.items():
        match = _FILTER.match(key)
        if match and name in values:
            wanted = call.listed(f"Filter.{match.group(1)}.Value")
            if values[name] not in wanted:
                return False
    return True


def _refused(service: str) -> Answer:
    """What AWS answers a request to a region the account has not enabled."""
    if service == "ec2":
        answer = ec2_error(
            "AuthFailure", "AWS was not able to validate the provided access credentials"
        )
        return Answer(status=401, body=answer.body)
    if service in QUERY_SERVICES:
        return query_error("InvalidClientTokenId", TOKEN_INVALID, status=403)
    body = json.dumps({"__type": "UnrecognizedClientException", "message": TOKEN_INVALID})
    return Answer(status=400, body=body.encode(), content_type="application/x-amz-json-1.1")
