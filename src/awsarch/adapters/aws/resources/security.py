"""Security groups: created empty, then their rules converged (revoke extra, authorize missing).

Rules are compared as (protocol, ports, peer) with peers in AWS ids, so a rule added by hand is
revoked and a rule removed by hand is restored — `up` repairs drift.
"""

from __future__ import annotations

from typing import Any

from awsarch.adapters.aws.ingest_security import sg_rules
from awsarch.adapters.aws.resources.base import Handler, first
from awsarch.adapters.aws.resources.context import ApplyContext
from awsarch.blueprint.prefix_lists import source_kind
from awsarch.deploy.diff import Change
from awsarch.deploy.plan import Action
from awsarch.errors import InputError
from awsarch.model import Peer, SecurityGroup, SecurityGroupRule

RuleKey = tuple[str, int, int, str, str]


class SecurityGroupHandler(Handler):
    def create(self, ctx: ApplyContext, desired: SecurityGroup, action: Action) -> None:
        group = self._find_or_create(ctx, desired)
        ctx.remember(desired.id, group["GroupId"])
        ingress, egress = desired.ingress, desired.egress
        if action.defer_groups:  # the plan's `rules sg/…` action adds the rest
            ingress, egress = _known(ctx, ingress), _known(ctx, egress)
        _sync(ctx, group, "ingress", ingress)
        _sync(ctx, group, "egress", egress)

    def _find_or_create(self, ctx: ApplyContext, desired: SecurityGroup) -> dict[str, Any]:
        if desired.is_default:
            filters = [
                {"Name": "vpc-id", "Values": [ctx.resolve(desired.vpc_id)]},
                {"Name": "group-name", "Values": ["default"]},
            ]
            group: dict[str, Any] = ctx.call("ec2", "describe_security_groups", Filters=filters)[
                "SecurityGroups"
            ][0]
            ctx.call("ec2", "create_tags", Resources=[group["GroupId"]], Tags=ctx.tags(desired.id))
            return group
        filters = ctx.stack_filters(desired.id)
        found = first(
            ctx.call("ec2", "describe_security_groups", Filters=filters)["SecurityGroups"]
        )
        if found is not None:
            return dict(found)
        created = ctx.call(
            "ec2",
            "create_security_group",
            GroupName=f"{ctx.stack}-{desired.name}",
            Description=desired.description or desired.name,
            VpcId=ctx.resolve(desired.vpc_id),
            TagSpecifications=ctx.tag_spec("security-group", desired.id),
        )
        described = ctx.call("ec2", "describe_security_groups", GroupIds=[created["GroupId"]])
        return dict(described["SecurityGroups"][0])

    def delete(self, ctx: ApplyContext, change: Change, action: Action) -> None:
        """Its rules naming other groups are revoked first, so two groups that name each other
        both go: AWS refuses to delete a group another group's rule names (DependencyViolation,
        retried by `ctx.call` while the other group revokes its own rules)
        (https://docs.aws.amazon.com/vpc/latest/userguide/deleting-security-groups.html)."""
        if change.observed.is_default:
            return  # the default group goes with its VPC
        described = ctx.call("ec2", "describe_security_groups", GroupIds=[change.live_id])
        group = described["SecurityGroups"][0]
        for direction, field in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress")):
            naming = [p for p in group.get(field, []) if p.get("UserIdGroupPairs")]
            if naming:
                ctx.call(
                    "ec2",
                    f"revoke_security_group_{direction}",
                    GroupId=change.live_id,
                    IpPermissions=naming,
                )
        ctx.call("ec2", "delete_security_group", GroupId=change.live_id)


def _sync(
    ctx: ApplyContext, group: dict[str, Any], direction: str, wanted: tuple[SecurityGroupRule, ...]
) -> None:
    field = "IpPermissions" if direction == "ingress" else "IpPermissionsEgress"
    live = {_key(rule): rule for rule in sg_rules(group.get(field, []))}
    desired = {_key(_in_aws_ids(ctx, rule)): _in_aws_ids(ctx, rule) for rule in wanted}
    extra = [live[k] for k in sorted(live.keys() - desired.keys())]
    missing = [desired[k] for k in sorted(desired.keys() - live.keys())]
    group_id = group["GroupId"]
    if extra:
        ctx.call(
            "ec2",
            f"revoke_security_group_{direction}",
            GroupId=group_id,
            IpPermissions=[_permission(r) for r in extra],
        )
    if missing:
        ctx.call(
            "ec2",
            f"authorize_security_group_{direction}",
            GroupId=group_id,
            IpPermissions=[_permission(r) for r in missing],
        )


def _known(
    ctx: ApplyContext, rules: tuple[SecurityGroupRule, ...]
) -> tuple[SecurityGroupRule, ...]:
    """The rules whose peer group exists already (its logical id resolves to an AWS id)."""
    return tuple(
        r
        for r in rules
        if r.peer.kind != "group" or not ctx.resolve(r.peer.value).startswith("sg/")
    )


def _in_aws_ids(ctx: ApplyContext, rule: SecurityGroupRule) -> SecurityGroupRule:
    if rule.peer.kind == "group":
        peer = Peer(kind="group", value=ctx.resolve(rule.peer.value))
    elif rule.peer.kind == "prefix-list":
        peer = Peer(kind="prefix-list", value=prefix_list_id(ctx, rule.peer.value))
    else:
        return rule
    return SecurityGroupRule(
        protocol=rule.protocol, ports=rule.ports, peer=peer, description=rule.description
    )


def prefix_list_id(ctx: ApplyContext, named: str) -> str:
    """The id of a list the blueprint names: the stack's own (created by now), an id as it is,
    or an AWS-managed list looked up by its name, never created."""
    resolved = ctx.resolve(named)
    if source_kind(resolved) != "aws-managed":
        return resolved
    listed = ctx.call(
        "ec2",
        "describe_managed_prefix_lists",
        Filters=[{"Name": "prefix-list-name", "Values": [named]}],
    )["PrefixLists"]
    if not listed:
        raise InputError(
            f"no AWS-managed prefix list named '{named}' in {ctx.session.region} — check the"
            " name (`aws ec2 describe-managed-prefix-lists`) or name the list by its id, pl-…"
        )
    found = str(listed[0]["PrefixListId"])
    return found


def _key(rule: SecurityGroupRule) -> RuleKey:
    if rule.protocol == "all":
        return ("all", 0, 65535, rule.peer.kind, rule.peer.value)
    return (rule.protocol, rule.ports.first, rule.ports.last, rule.peer.kind, rule.peer.value)


def _permission(rule: SecurityGroupRule) -> dict[str, Any]:
    permission: dict[str, Any] = {"IpProtocol": "-1" if rule.protocol == "all" else rule.protocol}
    if rule.protocol == "icmp":
        icmp_type, code = rule.ports.icmp_type_code()
        permission.update(FromPort=icmp_type, ToPort=code)
    elif rule.protocol != "all":
        permission.update(FromPort=rule.ports.first, ToPort=rule.ports.last)
    described = {"Description": rule.description} if rule.description else {}
    if rule.peer.kind == "group":
        permission["UserIdGroupPairs"] = [{"GroupId": rule.peer.value, **described}]
    elif rule.peer.kind == "prefix-list":
        permission["PrefixListIds"] = [{"PrefixListId": rule.peer.value, **described}]
    elif ":" in rule.peer.value:
        permission["Ipv6Ranges"] = [{"CidrIpv6": rule.peer.value, **described}]
    else:
        permission["IpRanges"] = [{"CidrIp": rule.peer.value, **described}]
    return permission
