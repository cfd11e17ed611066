"""A load balancer with deletion protection on cannot be deleted: DeleteLoadBalancer answers
`OperationNotPermitted` until the `deletion_protection.enabled` attribute is turned off
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection).
moto (5.2.5) deletes it anyway.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.emulator.layer import ACCOUNT_ID, Answer, Behaviour, Call, query_error


class LoadBalancerProtection(Behaviour):
    name = "load_balancer_protection"
    services = frozenset({"elasticloadbalancing"})

    def before(self, call: Call) -> Answer | None:
        if call.action != "DeleteLoadBalancer":
            return None
        arn = call.params.get("LoadBalancerArn", "")
        balancer = _backend(call.region).load_balancers.get(arn)
        if balancer is None:
            return None
        if str(balancer.attrs.get("deletion_protection.enabled", "false")).lower() == "true":
            return query_error(
                "OperationNotPermitted",
                f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled",
            )
        return None


def _backend(region: str) -> Any:
    from moto.elbv2.models import elbv2_backends

    return elbv2_backends[ACCOUNT_ID][region]
