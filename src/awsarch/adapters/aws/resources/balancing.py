"""Application Load Balancers, their listeners, and target groups (ELBv2)."""

from __future__ import annotations

from typing import Any

from awsarch.adapters.aws.errors import AwsError, error_code
from awsarch.adapters.aws.resources.base import Handler, first
from awsarch.adapters.aws.resources.compute import ProtectedError
from awsarch.adapters.aws.resources.context import ApplyContext
from awsarch.deploy.diff import Change
from awsarch.deploy.plan import Action
from awsarch.errors import InputError
from awsarch.model import Listener, LoadBalancer, TargetGroup

PROTECTION = "deletion_protection.enabled"
NO_INTERFACES = {
    "operation": "DescribeNetworkInterfaces",
    "acceptors": [
        {
            "matcher": "path",
            "argument": "length(NetworkInterfaces[]) == `0`",
            "expected": True,
            "state": "success",
        },
    ],
}
"""A deleted load balancer's network interfaces (`ELB app/<name>/…`) are gone: AWS keeps them a
while, and they hold the subnets and security groups until then."""


class TargetGroupHandler(Handler):
    def create(self, ctx: ApplyContext, desired: TargetGroup, action: Action) -> None:
        found = _describe(
            ctx,
            "describe_target_groups",
            "TargetGroups",
            "TargetGroupNotFound",
            Names=[desired.name],
        )
        health = _health_check(desired)
        if found is None:
            found = ctx.call(
                "elbv2",
                "create_target_group",
                Name=desired.name,
                Protocol=desired.protocol,
                Port=desired.port,
                VpcId=ctx.resolve(desired.vpc_id),
                TargetType="instance",
                Tags=ctx.tags(desired.id, **_group_tag(desired)),
                **health,
            )["TargetGroups"][0]
        elif any(found.get(k) != v for k, v in health.items()):
            ctx.call(
                "elbv2", "modify_target_group", TargetGroupArn=found["TargetGroupArn"], **health
            )
        arn = str(found["TargetGroupArn"])
        ctx.remember(desired.id, arn)
        if desired.target_ids:
            targets = [{"Id": ctx.resolve(t), "Port": desired.port} for t in desired.target_ids]
            ctx.call("elbv2", "register_targets", TargetGroupArn=arn, Targets=targets)

    def update(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        self.create(ctx, change.desired, action)
        gone = set(change.observed.target_ids) - set(change.desired.target_ids)
        if gone:
            ctx.call(
                "elbv2",
                "deregister_targets",
                TargetGroupArn=change.live_id,
                Targets=[{"Id": ctx.resolve(t)} for t in sorted(gone)],
            )

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        """A listener still forwarding to it makes AWS answer ResourceInUse (retried while the
        load balancer goes)."""
        ctx.call("elbv2", "delete_target_group", TargetGroupArn=change.live_id)


def _group_tag(tg: TargetGroup) -> dict[str, str]:
    return {"awsarch:group": tg.server_group} if tg.server_group else {}


def _health_check(tg: TargetGroup) -> dict[str, Any]:
    port = "traffic-port" if tg.health_check_port is None else str(tg.health_check_port)
    return {
        "HealthCheckProtocol": tg.protocol,
        "HealthCheckPath": tg.health_check_path,
        "HealthCheckPort": port,
        "HealthCheckEnabled": True,
    }


class LoadBalancerHandler(Handler):
    def create(self, ctx: ApplyContext, desired: LoadBalancer, action: Action) -> None:
        _require_certificates(ctx, desired)
        found = _describe(
            ctx,
            "describe_load_balancers",
            "LoadBalancers",
            "LoadBalancerNotFound",
            Names=[desired.name],
        )
        subnets = sorted(ctx.resolve(s) for s in desired.subnet_ids)
        groups = sorted(ctx.resolve(g) for g in desired.security_group_ids)
        if found is None:
            found = ctx.call(
                "elbv2",
                "create_load_balancer",
                Name=desired.name,
                Type="application",
                Scheme=desired.scheme,
                IpAddressType="ipv4",
                Subnets=subnets,
                SecurityGroups=groups,
                Tags=ctx.tags(desired.id),
            )["LoadBalancers"][0]
        arn = str(found["LoadBalancerArn"])
        ctx.remember(desired.id, arn)
        ctx.wait("elbv2", "load_balancer_available", LoadBalancerArns=[arn])
        _converge(ctx, found, subnets, groups)
        _set_protection(ctx, arn, desired.deletion_protection)
        _sync_listeners(ctx, desired, arn)

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        """Deletion protection is turned off by `down` only, and said; then the load balancer
        goes (its listeners with it) and its network interfaces after it."""
        arn, live = change.live_id, change.observed
        if live.deletion_protection:
            if not ctx.unprotect:
                raise ProtectedError(
                    f"{live.name} has deletion protection on and only `awsarch down` turns it"
                    " off — set `deletion_protection: false` and run `awsarch up` first"
                )
            ctx.announce(f"turning deletion protection off for {live.name} (to delete it)")
            _set_protection(ctx, arn, False)
        ctx.call("elbv2", "delete_load_balancer", LoadBalancerArn=arn)
        ctx.wait("elbv2", "load_balancers_deleted", LoadBalancerArns=[arn])
        ctx.wait_for(
            "ec2",
            "LoadBalancerInterfacesGone",
            NO_INTERFACES,
            Filters=[{"Name": "description", "Values": [f"ELB app/{live.name}/*"]}],
        )


def _require_certificates(ctx: ApplyContext, desired: LoadBalancer) -> None:
    """AWS requires a certificate on every HTTPS listener
    (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html);
    the emulator needs none, so only a real AWS target (no endpoint override) is refused — before
    anything is created."""
    if ctx.session.endpoint_url:
        return
    for listener in desired.listeners:
        if listener.protocol == "HTTPS" and not listener.certificate_arn:
            raise InputError(
                f"{desired.id}: the HTTPS listener on port {listener.port} has no certificate and"
                " AWS requires one — give the load balancer `certificate:` an ACM certificate ARN"
            )


def _describe(ctx: ApplyContext, operation: str, key: str, missing: str, **params: Any) -> Any:
    try:
        return first(ctx.session.call("elbv2", operation, **params)[key])
    except AwsError as exc:
        if error_code(exc) == missing:
            return None
        raise


def _converge(
    ctx: ApplyContext, found: dict[str, Any], subnets: list[str], groups: list[str]
) -> None:
    arn = found["LoadBalancerArn"]
    live_subnets = sorted(z["SubnetId"] for z in found.get("AvailabilityZones", []))
    if live_subnets != subnets:
        ctx.call("elbv2", "set_subnets", LoadBalancerArn=arn, Subnets=subnets)
    if sorted(found.get("SecurityGroups", [])) != groups:
        ctx.call("elbv2", "set_security_groups", LoadBalancerArn=arn, SecurityGroups=groups)


def _set_protection(ctx: ApplyContext, arn: str, on: bool) -> None:
    ctx.call(
        "elbv2",
        "modify_load_balancer_attributes",
        LoadBalancerArn=arn,
        Attributes=[{"Key": PROTECTION, "Value": "true" if on else "false"}],
    )


def _sync_listeners(ctx: ApplyContext, desired: LoadBalancer, arn: str) -> None:
    """Listeners by port: missing ones created, changed ones modified, extra ones deleted."""
    live = {
        int(x["Port"]): x
        for x in ctx.call("elbv2", "describe_listeners", LoadBalancerArn=arn)["Listeners"]
    }
    wanted = {x.port: _listener_params(ctx, x) for x in desired.listeners}
    for port, params in sorted(wanted.items()):
        found = live.get(port)
        if found is None:
            ctx.call(
                "elbv2",
                "create_listener",
                LoadBalancerArn=arn,
                Port=port,
                Tags=ctx.tags(desired.id),
                **params,
            )
        elif _listener_view(found) != _listener_view(params):
            ctx.call(
                "elbv2", "modify_listener", ListenerArn=found["ListenerArn"], Port=port, **params
            )
    for port in sorted(live.keys() - wanted.keys()):
        ctx.call("elbv2", "delete_listener", ListenerArn=live[port]["ListenerArn"])


def _listener_params(ctx: ApplyContext, listener: Listener) -> dict[str, Any]:
    params: dict[str, Any] = {"Protocol": listener.protocol}
    if listener.redirect_port is not None:
        redirect = {
            "Protocol": "HTTPS",
            "Port": str(listener.redirect_port),
            "StatusCode": "HTTP_301",
        }
        params["DefaultActions"] = [{"Type": "redirect", "RedirectConfig": redirect}]
    else:
        arn = ctx.resolve(listener.target_group_id)
        params["DefaultActions"] = [{"Type": "forward", "TargetGroupArn": arn}]
    if listener.certificate_arn:
        params["Certificates"] = [{"CertificateArn": listener.certificate_arn}]
    return params


def _listener_view(listener: dict[str, Any]) -> tuple[Any, ...]:
    """What decides a listener: protocol, its action (target group or redirect port), and its
    certificate."""
    action = (listener.get("DefaultActions") or [{}])[0]
    redirect = action.get("RedirectConfig") or {}
    certificates = sorted(c.get("CertificateArn", "") for c in listener.get("Certificates") or [])
    return (
        listener.get("Protocol"),
        action.get("Type"),
        action.get("TargetGroupArn", ""),
        str(redirect.get("Port", "")),
        certificates,
    )
