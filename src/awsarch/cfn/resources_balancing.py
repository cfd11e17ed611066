"""Application Load Balancers with their listeners and target groups, and Auto Scaling groups
that launch a server group's instances from its launch template.

An Auto Scaling group's members are the group's to launch and replace: they are not resources of
the template (resources_compute.py gives them only their launch template).
"""

from __future__ import annotations

from awsarch.cfn.builder import Builder, CannotSynthesize, Json, get_att, ref
from awsarch.model import Architecture, AutoScalingGroup, Listener, LoadBalancer, TargetGroup

ACM_ARN = r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$"
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
"""TLS 1.3 and 1.2 only, the policy AWS recommends for HTTPS listeners
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html)."""


def add_balancing(b: Builder, arch: Architecture) -> None:
    for group in arch.target_groups:
        _target_group(b, group)
    for lb in arch.load_balancers:
        _load_balancer(b, lb)
    for scaling in arch.auto_scaling_groups:
        _scaling_group(b, scaling)


def _waits_for_routes(b: Builder, subnet_ids: tuple[str, ...]) -> Json:
    """Created once its subnets route out: an internet-facing load balancer needs the VPC's
    internet gateway attached, and members' user data finds the NAT gateway at boot
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html)."""
    routing = dict.fromkeys(logical for s in subnet_ids for logical in b.routing.get(s, ()))
    return {"DependsOn": list(routing)} if routing else {}


def _target_group(b: Builder, group: TargetGroup) -> None:
    """Instances on the traffic port; the health check on its own port only when it differs
    (AWS's default is `traffic-port`,
    https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html)."""
    properties: Json = {
        "TargetType": "instance",
        "Protocol": group.protocol,
        "Port": group.port,
        "VpcId": b.ref(group.vpc_id),
        "HealthCheckPath": group.health_check_path,
    }
    if group.health_check_port is not None:
        properties["HealthCheckPort"] = str(group.health_check_port)
    if group.target_ids:
        properties["Targets"] = [{"Id": b.ref(i)} for i in group.target_ids]
    properties["Tags"] = b.tags(group.id)
    b.add(b.name(group.id), "AWS::ElasticLoadBalancingV2::TargetGroup", properties)


def _load_balancer(b: Builder, lb: LoadBalancer) -> None:
    logical = b.name(lb.id)
    properties: Json = {
        "Type": "application",
        "Scheme": lb.scheme,
        "Subnets": [b.ref(s) for s in lb.subnet_ids],
        "SecurityGroups": [get_att(b.name(g), "GroupId") for g in lb.security_group_ids],
        "LoadBalancerAttributes": [
            {
                "Key": "deletion_protection.enabled",
                "Value": b.protection() if lb.deletion_protection else "false",
            }
        ],
        "Tags": b.tags(lb.id),
    }
    kind = "AWS::ElasticLoadBalancingV2::LoadBalancer"
    b.add(logical, kind, properties, **_waits_for_routes(b, lb.subnet_ids))
    certificate = _certificate(b, logical, lb)
    for listener in lb.listeners:
        _listener(b, lb, logical, listener, certificate)


def _listener(
    b: Builder, lb: LoadBalancer, lb_logical: str, listener: Listener, certificate: Json
) -> None:
    name = lb.id.split("/", 1)[1]
    properties: Json = {
        "LoadBalancerArn": ref(lb_logical),
        "Port": listener.port,
        "Protocol": listener.protocol,
        "DefaultActions": [_action(b, lb, listener)],
    }
    if listener.protocol == "HTTPS":
        properties["SslPolicy"] = TLS_POLICY
        given = listener.certificate_arn
        properties["Certificates"] = [{"CertificateArn": given or certificate}]
    properties["Tags"] = b.tags(f"listener/{name}-{listener.port}")
    logical = b.derived(f"{lb_logical}Listener{listener.port}")
    b.add(logical, "AWS::ElasticLoadBalancingV2::Listener", properties)


def _action(b: Builder, lb: LoadBalancer, listener: Listener) -> Json:
    """Forward to the target group, or answer with a permanent redirect to HTTPS
    (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions)."""
    if listener.redirect_port is not None:
        return {
            "Type": "redirect",
            "RedirectConfig": {
                "Protocol": "HTTPS",
                "Port": str(listener.redirect_port),
                "StatusCode": "HTTP_301",
            },
        }
    if not listener.target_group_id:
        raise CannotSynthesize(f"{lb.id}: listener {listener.port} neither forwards nor redirects")
    return {"Type": "forward", "TargetGroupArn": b.ref(listener.target_group_id)}


def _certificate(b: Builder, lb_logical: str, lb: LoadBalancer) -> Json:
    """A parameter the user fills in for HTTPS listeners the blueprint gives no certificate:
    CloudFormation and Elastic Load Balancing require one
    (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html)."""
    if not any(x.protocol == "HTTPS" and not x.certificate_arn for x in lb.listeners):
        return {}
    parameter = b.derived(f"{lb_logical}CertificateArn")
    b.parameters[parameter] = {
        "Type": "String",
        "AllowedPattern": ACM_ARN,
        "Description": f"The ACM certificate ARN of the HTTPS listeners of load balancer {lb.name}",
    }
    return ref(parameter)


def _scaling_group(b: Builder, group: AutoScalingGroup) -> None:
    """Over the tier's subnets, registered with its target groups; a launch template change
    replaces the members one at a time, keeping the rest in service
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatepolicy.html)."""
    template = b.launch_templates.get(group.id)
    if template is None:
        raise CannotSynthesize(
            f"{group.id} has no member in the model to take its launch template from"
            " — give it a desired capacity of 1 or more"
        )
    properties: Json = {
        "VPCZoneIdentifier": [b.ref(s) for s in group.subnet_ids],
        "MinSize": str(group.min_size),
        "MaxSize": str(group.max_size),
        "DesiredCapacity": str(group.desired),
        "LaunchTemplate": {
            "LaunchTemplateId": ref(template),
            "Version": get_att(template, "LatestVersionNumber"),
        },
    }
    if group.target_group_ids:
        properties["TargetGroupARNs"] = [b.ref(t) for t in group.target_group_ids]
    properties["Tags"] = _propagated(b, group)
    in_service = min(group.min_size, max(group.max_size - 1, 0))
    update = {"AutoScalingRollingUpdate": {"MinInstancesInService": in_service, "MaxBatchSize": 1}}
    b.add(
        b.name(group.id),
        "AWS::AutoScaling::AutoScalingGroup",
        properties,
        UpdatePolicy=update,
        **_waits_for_routes(b, group.subnet_ids),
    )


def _propagated(b: Builder, group: AutoScalingGroup) -> list[Json]:
    """The group's tags; its members get the stack, their people's name and their server
    group, never the group's own `awsarch:name`
    (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-tagging.html)."""
    tags = b.tags(group.id, **{"awsarch:group": group.server_group})
    return [{**t, "PropagateAtLaunch": t["Key"] != "awsarch:name"} for t in tags]
