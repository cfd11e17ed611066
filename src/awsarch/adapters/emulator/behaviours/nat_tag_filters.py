"""DescribeNatGateways honours `tag:<key>` and `tag-key` filters, as every EC2 Describe does.

https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNatGateways.html (Filter:
`tag:<key>`, `tag-key`). moto 5.2.5 applies only nat-gateway-id, vpc-id, subnet-id and state and
silently ignores the rest, so a lookup by tag finds every NAT gateway of the region.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.layer import Behaviour, enabled

NAME = "nat_tag_filters"


class NatTagFilters(Behaviour):
    name = NAME
    services = frozenset({"ec2"})

    def install(self) -> None:
        from moto.ec2.models.nat_gateways import NatGatewayBackend

        original = NatGatewayBackend.describe_nat_gateways
        if getattr(original, "_awsarch", False):
            return

        def describe(backend: Any, filters: Any, nat_gateway_ids: Any) -> Any:
            found = original(backend, filters, nat_gateway_ids)
            if not enabled(NAME) or not filters:
                return found
            return [nat for nat in found if _matches(nat.get_tags(), filters)]

        describe._awsarch = True  # type: ignore[attr-defined]
        NatGatewayBackend.describe_nat_gateways = describe  # type: ignore[assignment,method-assign]


def _matches(tags: list[dict[str, str]], filters: dict[str, list[str]]) -> bool:
    present = {t["key"]: t["value"] for t in tags}
    for name, values in filters.items():
        if name.startswith("tag:") and present.get(name[4:]) not in values:
            return False
        if name == "tag-key" and not set(values) & present.keys():
            return False
    return True
