"""Load balancers, target groups and Auto Scaling groups from discovery's raw JSON (pure).

Each is known by its ARN (an Auto Scaling group's name may be any other resource's name too: a
role's, an instance profile's). Instances an Auto Scaling group launched carry AWS's
`aws:autoscaling:groupName` tag: they are the group's members, not registered targets.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.aws.raw import Raw, tags_of
from awsarch.adapters.aws.raw import items as _list
from awsarch.model import AutoScalingGroup, Listener, LoadBalancer, TargetGroup

GROUP_NAME_TAG = "aws:autoscaling:groupName"
PROTECTION = "deletion_protection.enabled"


def load_balancers(raw: Raw, subnets: set[str]) -> tuple[LoadBalancer, ...]:
    found = _list(raw.get("elbv2", {}), "LoadBalancers")
    return tuple(
        load_balancer(b)
        for b in sorted(found, key=lambda b: str(b["LoadBalancerArn"]))
        if b.get("Type", "application") == "application" and _in(b, subnets)
    )


def load_balancer(item: Raw) -> LoadBalancer:
    attributes = {a.get("Key"): a.get("Value") for a in _list(item, "Attributes")}
    listeners = sorted(_list(item, "Listeners"), key=lambda x: int(x.get("Port", 0)))
    return LoadBalancer(
        id=str(item["LoadBalancerArn"]),
        name=str(item.get("LoadBalancerName", "")),
        scheme="internal" if item.get("Scheme") == "internal" else "internet-facing",
        subnet_ids=tuple(sorted(str(z["SubnetId"]) for z in _list(item, "AvailabilityZones"))),
        security_group_ids=tuple(sorted(str(g) for g in _list(item, "SecurityGroups"))),
        listeners=tuple(listener(x) for x in listeners),
        deletion_protection=str(attributes.get(PROTECTION, "false")).lower() == "true",
        dns_name=str(item.get("DNSName", "")),
    )


def listener(item: Raw) -> Listener:
    action = (_list(item, "DefaultActions") or [{}])[0]
    redirect = action.get("RedirectConfig") or {}
    port = redirect.get("Port")
    certificates = _list(item, "Certificates")
    return Listener(
        port=int(item.get("Port", 0)),
        protocol="HTTPS" if item.get("Protocol") == "HTTPS" else "HTTP",
        target_group_id=str(action.get("TargetGroupArn", ""))
        if action.get("Type") == "forward"
        else "",
        redirect_port=int(port) if action.get("Type") == "redirect" and port else None,
        certificate_arn=str(certificates[0].get("CertificateArn", "")) if certificates else "",
    )


def target_groups(raw: Raw, vpcs: set[str], scaled: set[str]) -> tuple[TargetGroup, ...]:
    """`scaled`: ids of instances an Auto Scaling group launched (its own registrations)."""
    found = _list(raw.get("elbv2", {}), "TargetGroups")
    return tuple(
        target_group(g, scaled)
        for g in sorted(found, key=lambda g: str(g["TargetGroupArn"]))
        if not vpcs or g.get("VpcId") in vpcs
    )


def target_group(item: Raw, scaled: set[str]) -> TargetGroup:
    health_port = str(item.get("HealthCheckPort") or "traffic-port")
    registered = {
        str(t["Target"]["Id"])
        for t in _list(item, "TargetHealthDescriptions")
        if (t.get("TargetHealth") or {}).get("State") != "draining"
    }
    return TargetGroup(
        id=str(item["TargetGroupArn"]),
        name=str(item.get("TargetGroupName", "")),
        vpc_id=str(item.get("VpcId", "")),
        port=int(item.get("Port", 0)),
        protocol="HTTPS" if item.get("Protocol") == "HTTPS" else "HTTP",
        server_group=tags_of(item).get("awsarch:group", ""),
        health_check_path=str(item.get("HealthCheckPath") or "/"),
        health_check_port=None if health_port == "traffic-port" else int(health_port),
        target_ids=tuple(sorted(registered - scaled)),
    )


def scaling_groups(raw: Raw, subnets: set[str]) -> tuple[AutoScalingGroup, ...]:
    found = _list(raw.get("autoscaling", {}), "AutoScalingGroups")
    return tuple(
        scaling_group(g)
        for g in sorted(found, key=lambda g: str(g["AutoScalingGroupName"]))
        if _zone_subnets(g) & subnets
    )


def scaling_group(item: Raw) -> AutoScalingGroup:
    template = item.get("LaunchTemplate") or {}
    return AutoScalingGroup(
        id=str(item.get("AutoScalingGroupARN") or item["AutoScalingGroupName"]),
        name=str(item["AutoScalingGroupName"]),
        server_group=tags_of(item).get("awsarch:group", ""),
        subnet_ids=tuple(sorted(_zone_subnets(item))),
        min_size=int(item.get("MinSize", 0)),
        max_size=int(item.get("MaxSize", 0)),
        desired=int(item.get("DesiredCapacity", 0)),
        target_group_ids=tuple(sorted(str(a) for a in _list(item, "TargetGroupARNs"))),
        launch_template=str(template.get("LaunchTemplateName", "")),
    )


def balancing_logical_ids(raw: Raw, stack: str) -> list[tuple[str, str]]:
    """(ARN or name, `awsarch:name`) of the stack's load balancers, target groups and groups."""
    sources = [
        (_list(raw.get("elbv2", {}), "LoadBalancers"), "LoadBalancerArn"),
        (_list(raw.get("elbv2", {}), "TargetGroups"), "TargetGroupArn"),
        (_list(raw.get("autoscaling", {}), "AutoScalingGroups"), "AutoScalingGroupARN"),
    ]
    found = []
    for listed, field in sources:
        for item in listed:
            tags = tags_of(item)
            if tags.get("awsarch:stack") == stack and tags.get("awsarch:name"):
                found.append((str(item[field]), tags["awsarch:name"]))
    return found


def scaling_group_ids(raw: Raw) -> dict[str, str]:
    """Auto Scaling group name → its id (ARN), for the instances that name their group."""
    return {
        str(g["AutoScalingGroupName"]): str(
            g.get("AutoScalingGroupARN") or g["AutoScalingGroupName"]
        )
        for g in _list(raw.get("autoscaling", {}), "AutoScalingGroups")
    }


def scaled_instances(instances: list[Any]) -> set[str]:
    return {str(i["InstanceId"]) for i in instances if tags_of(i).get(GROUP_NAME_TAG)}


def _zone_subnets(item: Raw) -> set[str]:
    return {s for s in str(item.get("VPCZoneIdentifier") or "").split(",") if s}


def _in(balancer: Raw, subnets: set[str]) -> bool:
    return any(str(z.get("SubnetId")) in subnets for z in _list(balancer, "AvailabilityZones"))
