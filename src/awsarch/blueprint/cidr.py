"""The CIDR planner: stable subnet allocation by (tier, AZ index).

Each tier owns a fixed block of AZ_STRIDE slots, in the order the tiers are written, and each AZ
index owns a fixed slot inside it: slot = tier_index * AZ_STRIDE + az_index. Adding an AZ, or a
tier at the end, therefore never moves an existing subnet. AZ_STRIDE is 8 because no AWS region
has more than 6 availability zones.
"""

from __future__ import annotations

import ipaddress

from awsarch.errors import InputError
from awsarch.record import record

AZ_STRIDE = 8
SMALLEST_SUBNET_PREFIX = 28
"""AWS's smallest subnet is a /28."""


class VpcTooSmall(InputError):
    """The VPC cannot hold a slot for every (tier, AZ); the loader places it at `network.cidr`."""

    def __init__(self, tier_index: int, needed_slots: int, available_slots: int) -> None:
        self.tier_index = tier_index
        self.needed_slots = needed_slots
        self.available_slots = available_slots
        super().__init__(f"needs {needed_slots} subnet slots, the VPC has {available_slots}")


def default_subnet_prefix(vpc_cidr: str) -> int:
    """Subnets are 8 bits longer than the VPC (a /16 gives /24s), never smaller than a /28."""
    return min(ipaddress.IPv4Network(vpc_cidr).prefixlen + 8, SMALLEST_SUBNET_PREFIX)


@record
class PlannedSubnet:
    """The CIDR a (tier, AZ) gets in the VPC."""

    tier: str
    az_index: int
    cidr: str


def plan_subnets(
    vpc_cidr: str, tiers: list[str], azs: int, subnet_prefix: int | None = None
) -> list[PlannedSubnet]:
    """One subnet per (tier, AZ index) at its fixed slot; raises VpcTooSmall when it cannot."""
    vpc = ipaddress.IPv4Network(vpc_cidr)
    prefix = subnet_prefix or default_subnet_prefix(vpc_cidr)
    available = 2 ** max(prefix - vpc.prefixlen, 0) if prefix >= vpc.prefixlen else 0
    planned = []
    for tier_index, tier in enumerate(tiers):
        needed = tier_index * AZ_STRIDE + azs
        if needed > available:
            raise VpcTooSmall(tier_index, needed, available)
        for az_index in range(azs):
            planned.append(
                PlannedSubnet(
                    tier=tier, az_index=az_index, cidr=_slot(vpc, prefix, tier_index, az_index)
                )
            )
    return planned


def _slot(vpc: ipaddress.IPv4Network, prefix: int, tier_index: int, az_index: int) -> str:
    size = 2 ** (32 - prefix)
    start = int(vpc.network_address) + (tier_index * AZ_STRIDE + az_index) * size
    return str(ipaddress.IPv4Network((start, prefix)))


def overlapping(cidrs: list[str]) -> tuple[int, int] | None:
    """The indexes of the first two CIDRs that overlap, or None."""
    networks = [ipaddress.IPv4Network(c) for c in cidrs]
    for i, first in enumerate(networks):
        for j in range(i):
            if first.overlaps(networks[j]):
                return j, i
    return None


def inside(cidr: str, vpc_cidr: str) -> bool:
    return ipaddress.IPv4Network(cidr).subnet_of(ipaddress.IPv4Network(vpc_cidr))
