"""Pure ingest of VPC peering connections (DescribeVpcPeeringConnections items).

A connection is `active` only in the status AWS calls so; until then (pending acceptance,
provisioning) and after (rejected, deleted, expired, failed) it carries nothing
(https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html). The CIDRs it carries
are each side's CidrBlockSet and Ipv6CidrBlockSet (CidrBlock alone when the set is absent)
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcPeeringConnectionVpcInfo.html).
"""

from __future__ import annotations

from awsarch.adapters.aws.raw import Raw, name_of
from awsarch.adapters.aws.raw import items as _list
from awsarch.adapters.aws.raw import sorted_items as _sorted
from awsarch.model import VpcPeering

ID = "VpcPeeringConnectionId"


def vpc_peerings(raw: Raw) -> tuple[VpcPeering, ...]:
    """Every connection discovery read; with a VPC scope, those that touch that VPC."""
    scope = str(raw.get("vpc_id") or "")
    found = (vpc_peering(item) for item in _sorted(raw.get("ec2", {}), "VpcPeeringConnections", ID))
    return tuple(p for p in found if not scope or scope in (p.requester_vpc_id, p.accepter_vpc_id))


def vpc_peering(item: Raw) -> VpcPeering:
    requester, accepter = item.get("RequesterVpcInfo") or {}, item.get("AccepterVpcInfo") or {}
    status = str((item.get("Status") or {}).get("Code", ""))
    return VpcPeering(
        id=str(item[ID]),
        name=name_of(item, str(item[ID])),
        requester_vpc_id=str(requester.get("VpcId", "")),
        accepter_vpc_id=str(accepter.get("VpcId", "")),
        requester_cidrs=side_cidrs(requester),
        accepter_cidrs=side_cidrs(accepter),
        active=status == "active",
        status=status,
    )


def side_cidrs(info: Raw) -> tuple[str, ...]:
    """One side's IPv4 blocks (the set, else CidrBlock) and IPv6 blocks."""
    ipv4 = [str(c["CidrBlock"]) for c in _list(info, "CidrBlockSet") if c.get("CidrBlock")]
    if not ipv4 and info.get("CidrBlock"):
        ipv4 = [str(info["CidrBlock"])]
    ipv6 = [
        str(c["Ipv6CidrBlock"]) for c in _list(info, "Ipv6CidrBlockSet") if c.get("Ipv6CidrBlock")
    ]
    return tuple(dict.fromkeys([*ipv4, *ipv6]))
