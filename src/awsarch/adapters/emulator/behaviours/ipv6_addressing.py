"""IPv6 in a VPC as AWS documents it, where moto falls short.

- A subnet's IPv6 block reads back with `Ipv6CidrBlockState: {State: associated}`
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SubnetIpv6CidrBlockAssociation.html);
  moto nests the state dict inside itself and renders it as text.
- A VPC's default network ACL gets rules that allow all IPv6 traffic in and out (rule 101, `::/0`)
  and an IPv6 `*` rule when the VPC is created with, or later given, an IPv6 block
  (https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html); moto adds the IPv4
  rules only.
- A network interface created in a subnet that assigns IPv6 addresses on creation gets one when
  the request asks for none explicitly
  (https://docs.aws.amazon.com/vpc/latest/userguide/modify-subnets.html, "Auto-assign IPv6
  address"); moto assigns IPv6 addresses only when a count is given.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.behaviours.backends import ec2_backend
from awsarch.adapters.emulator.layer import Answer, Behaviour, Call, enabled

NAME = "ipv6_addressing"
ALLOW_ALL_IPV6 = 101
IPV6_STAR = 32768
"""The number AWS gives the IPv6 `*` rule (the IPv4 one is 32767)."""
VPC_ACTIONS = frozenset({"CreateVpc", "AssociateVpcCidrBlock"})


class Ipv6Addressing(Behaviour):
    name = NAME
    services = frozenset({"ec2"})

    def install(self) -> None:
        _patch_subnet_state()
        _patch_interface_creation()

    def after(self, call: Call, answer: Answer) -> Answer:
        if call.action in VPC_ACTIONS and answer.status == 200:
            with self.lock:
                _open_default_acls_to_ipv6(ec2_backend(call.region))
        return answer


def _patch_subnet_state() -> None:
    from moto.ec2.models.subnets import Subnet

    original: Any = Subnet.__dict__["ipv6_cidr_block_association_set"]
    if getattr(original.fget, "_awsarch", False):
        return

    def association_set(subnet: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = original.fget(subnet)
        if not enabled(NAME):
            return found
        return [{**a, "ipv6CidrBlockState": {"state": "associated"}} for a in found]

    association_set._awsarch = True  # type: ignore[attr-defined]
    Subnet.ipv6_cidr_block_association_set = property(association_set)  # type: ignore[method-assign,assignment]


def _patch_interface_creation() -> None:
    from moto.ec2.models.elastic_network_interfaces import NetworkInterface
    from moto.ec2.utils import random_private_ip

    original = NetworkInterface.__init__
    if getattr(original, "_awsarch", False):
        return

    def create(interface: Any, *args: Any, **kwargs: Any) -> None:
        original(interface, *args, **kwargs)
        if not enabled(NAME) or interface.ipv6_addresses:
            return
        if kwargs.get("ipv6_address_count") is not None:
            return  # an explicit count (0 included) is what the caller asked for
        subnet = interface.subnet
        blocks = [
            a["ipv6CidrBlock"]
            for a in subnet.ipv6_cidr_block_associations.values()
            if a["ipv6CidrBlockState"].get("State") == "associated"
        ]
        if blocks and subnet.assign_ipv6_address_on_creation:
            interface.ipv6_addresses.append(random_private_ip(blocks[0], ipv6=True))

    create._awsarch = True  # type: ignore[attr-defined]
    NetworkInterface.__init__ = create  # type: ignore[method-assign,assignment]


def _open_default_acls_to_ipv6(backend: Any) -> None:
    """Rule 101 allowing `::/0` and the IPv6 `*` rule, both ways, on the default ACL of every
    VPC that has an IPv6 block and lacks them."""
    for vpc in list(backend.vpcs.values()):
        if not vpc.get_cidr_block_association_set(ipv6=True):
            continue
        for acl in list(backend.network_acls.values()):
            if acl.vpc_id == vpc.id and acl.default:
                _add_ipv6_rules(backend, acl)


def _add_ipv6_rules(backend: Any, acl: Any) -> None:
    for egress in (False, True):
        taken = {e.rule_number for e in acl.network_acl_entries if e.egress == egress}
        for number, action in ((ALLOW_ALL_IPV6, "allow"), (IPV6_STAR, "deny")):
            if number in taken:
                continue
            backend.create_network_acl_entry(
                network_acl_id=acl.id,
                rule_number=number,
                protocol="-1",
                rule_action=action,
                egress=egress,
                cidr_block=None,
                icmp_code=None,
                icmp_type=None,
                port_range_from=None,
                port_range_to=None,
                ipv6_cidr_block="::/0",
            )
