"""Application Load Balancers (with their listeners), target groups and Auto Scaling groups of a
template, as the model has them.

An Auto Scaling group's instances do not exist before it is deployed. The model still needs
them — the proofs place the group's servers in its subnets — so they are read as the blueprint
expands them: `DesiredCapacity` members (MinSize when unsaid) from the group's launch template,
round-robin over its subnets in the order written, as Auto Scaling balances its zones
(https://docs.aws.amazon.com/autoscaling/ec2/userguide/auto-scaling-benefits.html#AutoScalingBehavior.InstanceUsage).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from awsarch.cfn.ingest_compute import Launched, launch_aliases, launch_template, launched
from awsarch.cfn.intrinsics import Unknown
from awsarch.cfn.names import DEFAULT_GROUP, friendly, implicit_id, literal, server_group, tag
from awsarch.cfn.reading import Reading, flag, number, strings
from awsarch.model import (
    AutoScalingGroup,
    Instance,
    Listener,
    LoadBalancer,
    Subnet,
    TargetGroup,
)

ELB = "AWS::ElasticLoadBalancingV2::"
ASG = "AWS::AutoScaling::AutoScalingGroup"
READ_TYPES = frozenset((f"{ELB}LoadBalancer", f"{ELB}Listener", f"{ELB}TargetGroup", ASG))


def _name(r: Reading, lid: str, p: Mapping[str, Any], prop: str) -> str:
    """The name property when written, else the `Name` tag synth writes (CloudFormation makes
    up the real name when none is given), else the friendly logical id."""
    return literal(p, prop, tag(p, "Name") or friendly(r.logical(lid)))


def load_balancers(r: Reading, subnets: list[Subnet]) -> list[LoadBalancer]:
    """Application Load Balancers; AWS's defaults when unsaid: internet-facing, the VPC's
    default group, deletion protection off
    (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html)."""
    vpc_of = {s.id: s.vpc_id for s in subnets}
    found = []
    for lid, p in r.of_type(f"{ELB}LoadBalancer"):
        if p.get("Type", "application") != "application":
            continue
        r.origin(r.id(lid), lid)
        subnet_ids = strings(p.get("Subnets")) or tuple(
            str(m.get("SubnetId")) for m in p.get("SubnetMappings") or () if isinstance(m, dict)
        )
        groups = strings(p.get("SecurityGroups"))
        if not groups and subnet_ids and subnet_ids[0] in vpc_of:
            groups = (implicit_id(vpc_of[subnet_ids[0]], DEFAULT_GROUP),)
        r.alias(lid, "deletion_protection", "LoadBalancerAttributes")
        r.alias(lid, "scheme", "Scheme")
        scheme = p.get("Scheme")
        found.append(
            LoadBalancer(
                id=r.id(lid),
                name=_name(r, lid, p, "Name"),
                scheme="internal" if scheme == "internal" else "internet-facing",
                subnet_ids=subnet_ids,
                security_group_ids=groups,
                listeners=_listeners(r, r.id(lid)),
                deletion_protection=_attribute(p, "deletion_protection.enabled"),
            )
        )
    return found


def _attribute(p: Mapping[str, Any], key: str) -> bool:
    for item in p.get("LoadBalancerAttributes") or ():
        if isinstance(item, dict) and item.get("Key") == key:
            return flag(item.get("Value"))
    return False


def _listeners(r: Reading, lb_id: str) -> tuple[Listener, ...]:
    found = []
    for _, p in r.of_type(f"{ELB}Listener"):
        if p.get("LoadBalancerArn") != lb_id:
            continue
        port = number(p.get("Port"), 0)
        actions = [a for a in p.get("DefaultActions") or () if isinstance(a, dict)]
        action = actions[-1] if actions else {}  # authentication actions come first
        certificates = [c for c in p.get("Certificates") or () if isinstance(c, dict)]
        certificate = certificates[0].get("CertificateArn") if certificates else ""
        found.append(
            Listener(
                port=port,
                protocol="HTTPS" if p.get("Protocol") == "HTTPS" else "HTTP",
                target_group_id=_forwards_to(action),
                redirect_port=_redirects_to(action, port),
                certificate_arn=certificate if isinstance(certificate, str) else "",
            )
        )
    return tuple(found)


def _forwards_to(action: Mapping[str, Any]) -> str:
    if action.get("Type") != "forward":
        return ""
    target = action.get("TargetGroupArn")
    if target is None:  # a weighted ForwardConfig: the first group
        groups = (action.get("ForwardConfig") or {}).get("TargetGroups") or [{}]
        target = groups[0].get("TargetGroupArn") if isinstance(groups[0], dict) else None
    return str(target) if isinstance(target, str) else ""


def _redirects_to(action: Mapping[str, Any], port: int) -> int | None:
    """The port a redirect sends to; `#{port}` or unsaid: the listener's own
    (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions)."""
    if action.get("Type") != "redirect":
        return None
    return number((action.get("RedirectConfig") or {}).get("Port"), port)


def target_groups(
    r: Reading, scaling: list[AutoScalingGroup], instances: list[Instance]
) -> list[TargetGroup]:
    """Instance target groups; their server group is that of the Auto Scaling group that
    registers with them, else that of their first registered instance."""
    groups = {i.id: i.group for i in instances}
    found = []
    for lid, p in r.of_type(f"{ELB}TargetGroup"):
        if p.get("TargetType", "instance") != "instance":
            continue
        r.origin(r.id(lid), lid)
        targets = tuple(str(t.get("Id")) for t in p.get("Targets") or () if isinstance(t, dict))
        senders = [a.server_group for a in scaling if r.id(lid) in a.target_group_ids]
        senders += [groups[t] for t in targets if t in groups]
        health_port = p.get("HealthCheckPort")
        found.append(
            TargetGroup(
                id=r.id(lid),
                name=_name(r, lid, p, "Name"),
                vpc_id=r.text(p.get("VpcId"), lid, "VpcId"),
                port=number(p.get("Port"), 0),
                protocol="HTTPS" if p.get("Protocol") == "HTTPS" else "HTTP",
                server_group=senders[0] if senders else "",
                health_check_path=literal(p, "HealthCheckPath", "/"),
                health_check_port=None
                if health_port in (None, "traffic-port") or isinstance(health_port, Unknown)
                else number(health_port, 0),
                target_ids=targets,
            )
        )
    return found


def scaling_groups(r: Reading) -> list[AutoScalingGroup]:
    found = []
    for lid, p in r.of_type(ASG):
        r.origin(r.id(lid), lid)
        template_lid, _ = launch_template(r, p)
        minimum = number(p.get("MinSize"), 0)
        found.append(
            AutoScalingGroup(
                id=r.id(lid),
                name=_name(r, lid, p, "AutoScalingGroupName"),
                server_group=server_group(lid, p),
                subnet_ids=strings(p.get("VPCZoneIdentifier")),
                min_size=minimum,
                max_size=number(p.get("MaxSize"), minimum),
                desired=number(p.get("DesiredCapacity"), minimum),
                target_group_ids=strings(p.get("TargetGroupARNs")),
                launch_template=_template_name(r, template_lid),
            )
        )
    return found


def _template_name(r: Reading, template_lid: str) -> str:
    if not template_lid:
        return ""
    p = r.props(template_lid)
    named = next(
        (tag(s, "Name") for s in p.get("TagSpecifications") or () if isinstance(s, dict)), ""
    )
    return literal(p, "LaunchTemplateName", named or template_lid)


def members(
    r: Reading,
    scaling: list[AutoScalingGroup],
    subnets: list[Subnet],
    profiles: Mapping[str, str],
) -> list[Instance]:
    """Each group's `desired` instances, as the blueprint places them (module docstring)."""
    by_id = {s.id: s for s in subnets}
    found = []
    for group in scaling:
        lid = r.logical(group.id)
        p = r.props(lid)
        template_lid, data = launch_template(r, p)
        launch_aliases(r, lid, p, template_lid)
        for n in range(1, group.desired + 1):
            subnet_id = (
                group.subnet_ids[(n - 1) % len(group.subnet_ids)] if group.subnet_ids else ""
            )
            name = f"{group.server_group}-{n}"
            who = Launched(
                id=f"instance/{name}" if group.id != lid else f"{lid}Member{n}",
                name=name,
                group=group.server_group,
                scaling_group=group.id,
            )
            r.origin(who.id, lid)
            found.append(
                launched(r, who, data, by_id.get(subnet_id), profiles, subnet_id=subnet_id)
            )
    return found
