"""Read load balancers (with their listeners, tags and attributes), target groups (with their
registered targets) and Auto Scaling groups into raw JSON.

Listings are paginated; with a stack, only the stack's own load balancers and target groups
(their `awsarch:stack` tag, read twenty at a time with DescribeTags) are read further, one
DescribeListeners, DescribeLoadBalancerAttributes and DescribeTargetHealth each, and Auto
Scaling groups are filtered by the tag server-side
(https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html).
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.aws.session import AwsSession

STACK_TAG = "awsarch:stack"
TAGS_PER_CALL = 20
"""DescribeTags takes at most 20 resource ARNs."""


def discover_balancing(session: AwsSession, *, stack: str, vpc_id: str | None) -> dict[str, Any]:
    balancers = _listed(session, "describe_load_balancers", "LoadBalancers", vpc_id)
    groups = _listed(session, "describe_target_groups", "TargetGroups", vpc_id)
    _tag(session, balancers, "LoadBalancerArn")
    _tag(session, groups, "TargetGroupArn")
    balancers = [b for b in balancers if _ours(b, stack)]
    groups = [g for g in groups if _ours(g, stack)]
    for balancer in balancers:
        arn = balancer["LoadBalancerArn"]
        balancer["Listeners"] = [
            listener
            for page in session.pages("elbv2", "describe_listeners", LoadBalancerArn=arn)
            for listener in page.get("Listeners", [])
        ]
        balancer["Attributes"] = session.call(
            "elbv2", "describe_load_balancer_attributes", LoadBalancerArn=arn
        ).get("Attributes", [])
    for group in groups:
        group["TargetHealthDescriptions"] = session.call(
            "elbv2", "describe_target_health", TargetGroupArn=group["TargetGroupArn"]
        ).get("TargetHealthDescriptions", [])
    return {
        "elbv2": {"LoadBalancers": balancers, "TargetGroups": groups},
        "autoscaling": {"AutoScalingGroups": _scaling_groups(session, stack)},
    }


def _listed(session: AwsSession, operation: str, key: str, vpc_id: str | None) -> list[Any]:
    found = [item for page in session.pages("elbv2", operation) for item in page.get(key, [])]
    return [dict(item) for item in found if not vpc_id or item.get("VpcId") == vpc_id]


def _tag(session: AwsSession, items: list[dict[str, Any]], arn_field: str) -> None:
    """Each item gets its `Tags`."""
    by_arn = {item[arn_field]: item for item in items}
    arns = sorted(by_arn)
    for start in range(0, len(arns), TAGS_PER_CALL):
        chunk = arns[start : start + TAGS_PER_CALL]
        described = session.call("elbv2", "describe_tags", ResourceArns=chunk)
        for entry in described.get("TagDescriptions", []):
            by_arn[entry["ResourceArn"]]["Tags"] = entry.get("Tags", [])


def _ours(item: dict[str, Any], stack: str) -> bool:
    tags = {t.get("Key"): t.get("Value") for t in item.get("Tags", [])}
    return not stack or tags.get(STACK_TAG) == stack


def _scaling_groups(session: AwsSession, stack: str) -> list[Any]:
    params: dict[str, Any] = {}
    if stack:
        params["Filters"] = [{"Name": f"tag:{STACK_TAG}", "Values": [stack]}]
    return [
        group
        for page in session.pages("autoscaling", "describe_auto_scaling_groups", **params)
        for group in page.get("AutoScalingGroups", [])
    ]
