"""The availability zones this account may use in the session's region, read from the account.

Zone names are the account's own (AWS maps names to physical zones per account, and regions
gain zones), so a plan uses what DescribeAvailabilityZones answers; the offline table in
`awsarch.blueprint.regions` is only for `check`, which runs with no account at all.
"""

from __future__ import annotations

from awsarch.adapters.aws.session import AwsSession

ZONE_FILTERS = [
    {"Name": "zone-type", "Values": ["availability-zone"]},
    {"Name": "state", "Values": ["available"]},
]
"""Availability Zones only (not Local or Wavelength Zones), and only those that are available.
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html"""


def account_zones(session: AwsSession) -> tuple[str, ...]:
    """The names of the region's available Availability Zones, sorted by name (one call)."""
    reply = session.call("ec2", "describe_availability_zones", Filters=ZONE_FILTERS)
    return tuple(sorted(str(z["ZoneName"]) for z in reply.get("AvailabilityZones", [])))
