"""Every authorization AWS makes for one API call: the action, each resource ARN, its context.

Which resource types and condition keys a call involves comes from the Service Authorization
Reference (`awsarch.adapters.emulator.sar`); this module only finds, in the request, the
identifiers that
fill the reference's ARN templates, and the tags that fill its keys. A resource type the request
names is authorized on that resource (with `aws:ResourceTag/*` of what exists); a required type it
does not name is the resource being created (`…:vpc/*`, with `aws:RequestTag/*`).

Beyond the call's own action, AWS checks permissions the call needs (the reference's dependent
actions) in documented situations: see `DEPENDENCIES` below.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from awsarch.adapters.emulator.layer import ACCOUNT_ID, Call
from awsarch.adapters.emulator.sar import Privilege, ResourceType, privilege
from awsarch.analysis.iam import Request
from awsarch.record import record

Tags = Mapping[str, str]
ALWAYS_ALLOWED = frozenset({"sts:GetCallerIdentity"})
"""AWS: "No permissions are required to perform this operation" (GetCallerIdentity reference)."""
SERVICE_PREFIX = {"monitoring": "cloudwatch", "email": "ses"}
"""Where the signing name differs from the IAM prefix."""

CREATES_ALSO = {"ec2:RunInstances": ("volume",)}
"""Optional resource types a call creates all the same: an EBS-backed image (every image awsarch
launches) gives each instance a root volume (EC2 User Guide, "Root volumes for your instances")."""

EC2_IDS: dict[str, tuple[str, ...]] = {
    "vpc": ("VpcId",),
    "subnet": ("SubnetId",),
    "security-group": ("GroupId", "SecurityGroupId"),
    "instance": ("InstanceId",),
    "internet-gateway": ("InternetGatewayId",),
    "route-table": ("RouteTableId",),
    "natgateway": ("NatGatewayId",),
    "elastic-ip": ("AllocationId",),
    "network-acl": ("NetworkAclId",),
    "network-interface": ("NetworkInterfaceId",),
    "image": ("ImageId",),
    "volume": ("VolumeId",),
    "key-pair": ("KeyName",),
    "launch-template": ("LaunchTemplateId", "LaunchTemplate.LaunchTemplateId"),
    "prefix-list": ("PrefixListId",),
}
"""Request parameters that carry the identifier of each EC2 resource type (`GroupId.1`… too)."""
EC2_ID_PREFIXES = {
    "vpc-": "vpc",
    "subnet-": "subnet",
    "sg-": "security-group",
    "i-": "instance",
    "igw-": "internet-gateway",
    "rtb-": "route-table",
    "nat-": "natgateway",
    "eipalloc-": "elastic-ip",
    "acl-": "network-acl",
    "eni-": "network-interface",
    "ami-": "image",
    "vol-": "volume",
    "lt-": "launch-template",
    "pl-": "prefix-list",
}
"""CreateTags and DeleteTags name resources of any type: the id's prefix says which."""
IAM_IDS = {
    "role": "RoleName",
    "instance-profile": "InstanceProfileName",
    "user": "UserName",
    "group": "GroupName",
    "policy": "PolicyName",
}
RDS_IDS = {
    "db": ("DBInstanceIdentifier",),
    "subgrp": ("DBSubnetGroupName",),
    "snapshot": ("DBSnapshotIdentifier",),
    "og": ("OptionGroupName",),
    "pg": ("DBParameterGroupName",),
}


class Facts(Protocol):
    """What the account holds, as far as authorization needs it."""

    def tags(self, service: str, kind: str, ident: str) -> Tags | None:
        """The tags of an existing resource; None when it does not exist."""

    def iam_path(self, kind: str, name: str) -> str | None:
        """The path of an existing IAM role, user, group or instance profile."""

    def profile_roles(self, profile: str) -> list[str]:
        """The ARNs of the roles an instance profile holds."""

    def service_linked_role_exists(self, service: str) -> bool: ...

    def copies_tags_to_snapshot(self, db_instance: str) -> bool: ...

    def association(self, association_id: str) -> dict[str, str]:
        """A route table association's `route-table` and `subnet` ids."""

    def group_arn(self, name: str) -> str:
        """The ARN of an existing Auto Scaling group; "" when there is none."""

    def template_profile(self, template: str) -> str:
        """The instance profile a launch template (id or name) launches with; "" for none."""

    def template_id(self, template: str) -> str:
        """A launch template's id, from its id or its name."""


@record
class Principal:
    arn: str
    kind: str
    """`User` or `AssumedRole` (aws:PrincipalType)."""
    name: str
    user_id: str
    tags: Tags = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """One resource a call acts on: its type, ARN and whether it exists already."""

    kind: str
    arn: str
    ident: str


def own_authorizations(call: Call, base: dict[str, Any], facts: Facts) -> list[Request]:
    """The requests IAM evaluates for the call's own action; none when it needs no permission."""
    action = f"{SERVICE_PREFIX.get(call.service, call.service)}:{call.action}"
    if action in ALWAYS_ALLOWED:
        return []
    found = privilege(action)
    if found is None:
        return [_request(action, "*", base)]
    return list(_own(call, found, base, facts))


def global_context(call: Call, principal: Principal) -> dict[str, Any]:
    """Keys AWS puts in every request context (IAM User Guide, "AWS global condition context
    keys"). aws:MultiFactorAuthPresent is absent: long-term access keys carry no MFA."""
    context: dict[str, Any] = {
        "aws:PrincipalArn": principal.arn,
        "aws:PrincipalAccount": ACCOUNT_ID,
        "aws:PrincipalType": principal.kind,
        "aws:userid": principal.user_id,
        "aws:RequestedRegion": call.region,
        "aws:SecureTransport": "false",
        "aws:SourceIp": "127.0.0.1",
        "aws:ViaAWSService": "false",
    }
    if principal.kind == "User":
        context["aws:username"] = principal.name
    for key, value in principal.tags.items():
        context[f"aws:PrincipalTag/{key}"] = value
    return context


def _request(action: str, resource: str, context: Mapping[str, Any]) -> Request:
    return Request(action=action, resource=resource, context=dict(context), context_complete=True)


def _own(call: Call, found: Privilege, base: dict[str, Any], facts: Facts) -> Iterator[Request]:
    prefix = found.action.split(":", 1)[0]
    action_keys = dict(base)
    action_keys.update(_action_keys(call, found))
    if not found.resource_types:
        yield _request(
            found.action, "*", _with_request_tags(action_keys, found.condition_keys, call, None)
        )
        return
    requests = 0
    named = {
        rtype.name: list(_targets(call, prefix, rtype, facts)) for rtype in found.resource_types
    }
    for rtype in found.resource_types:
        targets = named[rtype.name]
        if not targets and _variant_named(prefix, rtype.name, named):
            continue
        if not targets and (rtype.required or rtype.name in CREATES_ALSO.get(found.action, ())):
            targets = [Target(rtype.name, _fill(rtype.arn, call.region, "*"), "")]
        for target in targets:
            requests += 1
            yield _request(
                found.action, target.arn, _context(call, found, rtype, target, action_keys, facts)
            )
    if not requests:  # nothing the request names: the action is authorized on `*`
        yield _request(
            found.action, "*", _with_request_tags(action_keys, found.condition_keys, call, None)
        )


def _variant_named(prefix: str, kind: str, named: dict[str, list[Target]]) -> bool:
    """ELBv2 lists a resource type once per load balancer type (`listener/app`, `listener/net`,
    `listener/gwy`), all "required": the call acts on the one its ARN names, not on the others."""
    family = kind.split("/", 1)[0]
    return prefix == "elasticloadbalancing" and any(
        targets and other.split("/", 1)[0] == family for other, targets in named.items()
    )


def _context(
    call: Call,
    found: Privilege,
    rtype: ResourceType,
    target: Target,
    action_keys: dict[str, Any],
    facts: Facts,
) -> dict[str, Any]:
    keys = rtype.condition_keys | found.condition_keys
    if not rtype.condition_keys:
        keys |= rtype.resource_keys
    context = _with_request_tags(action_keys, keys, call, rtype.name)
    prefix = found.action.split(":", 1)[0]
    existing = facts.tags(prefix, rtype.name, target.ident) if target.ident else None
    if existing is not None and "aws:ResourceTag/${TagKey}" in keys:
        context = with_resource_tags(context, existing)
    return context


def with_request_tags(
    base: Mapping[str, Any],
    tags: Mapping[str, str],
    keys: frozenset[str] = frozenset({"aws:RequestTag/${TagKey}", "aws:TagKeys"}),
) -> dict[str, Any]:
    """The context with the request's tags (`aws:RequestTag/K`, `aws:TagKeys`), as far as the
    reference says the authorization brings those keys."""
    context = dict(base)
    if tags and "aws:RequestTag/${TagKey}" in keys:
        for key, value in tags.items():
            context[f"aws:RequestTag/{key}"] = value
    if tags and "aws:TagKeys" in keys:
        context["aws:TagKeys"] = sorted(tags)
    return context


def with_resource_tags(base: Mapping[str, Any], tags: Mapping[str, str]) -> dict[str, Any]:
    """The context with an existing resource's tags (`aws:ResourceTag/K`)."""
    return {**base, **{f"aws:ResourceTag/{key}": value for key, value in tags.items()}}


def _with_request_tags(
    base: Mapping[str, Any], keys: frozenset[str], call: Call, kind: str | None
) -> dict[str, Any]:
    return with_request_tags(base, request_tags(call, kind), keys)


def _action_keys(call: Call, found: Privilege) -> dict[str, Any]:
    keys: dict[str, Any] = {}
    if "iam:PolicyARN" in found.condition_keys and call.params.get("PolicyArn"):
        keys["iam:PolicyARN"] = call.params["PolicyArn"]
    if "ssm:Overwrite" in found.condition_keys and "Overwrite" in call.params:
        keys["ssm:Overwrite"] = call.params["Overwrite"].lower()
    return keys


_EC2_TAG_SPEC = re.compile(r"^TagSpecification\.(\d+)\.ResourceType$")


def request_tags(call: Call, kind: str | None) -> dict[str, str]:
    """The tags the request asks for, for resources of `kind` (EC2 tags each type separately)."""
    if call.service == "ec2":
        if call.action == "CreateTags":
            return _pairs(call.params, "Tag")
        specs = [
            m.group(1)
            for k, v in call.params.items()
            if (m := _EC2_TAG_SPEC.match(k)) and v == kind
        ]
        tags: dict[str, str] = {}
        for n in specs:
            tags.update(_pairs(call.params, f"TagSpecification.{n}.Tag"))
        return tags
    if "Tags" in call.params and call.params["Tags"].startswith("["):
        return {str(t["Key"]): str(t.get("Value", "")) for t in json.loads(call.params["Tags"])}
    return _pairs(call.params, "Tags")


def _pairs(params: Mapping[str, str], prefix: str) -> dict[str, str]:
    pattern = re.compile(rf"^{re.escape(prefix)}\.(?:member\.|Tag\.)?(\d+)\.Key$")
    pairs: dict[str, str] = {}
    for key, value in params.items():
        if pattern.match(key):
            pairs[value] = params.get(key[: -len("Key")] + "Value", "")
    return pairs


def _fill(template: str, region: str, ident: str) -> str:
    """An ARN from the reference's template: the last variable is the resource's identifier."""
    filled = template.replace("${Partition}", "aws").replace("${Region}", region)
    filled = filled.replace("${Account}", ACCOUNT_ID)
    return re.sub(r"\$\{[^}]+\}$", lambda _: ident, filled).replace("${", "").replace("}", "")


def _targets(call: Call, prefix: str, rtype: ResourceType, facts: Facts) -> Iterator[Target]:
    if prefix == "ec2":
        yield from _ec2_targets(call, rtype, facts)
    elif prefix == "iam":
        yield from _iam_targets(call, rtype, facts)
    elif prefix == "rds":
        yield from _rds_targets(call, rtype)
    elif prefix == "ssm":
        yield from _ssm_targets(call, rtype)
    elif prefix == "elasticloadbalancing":
        yield from _elb_targets(call, rtype)
    elif prefix == "autoscaling":
        yield from _autoscaling_targets(call, rtype, facts)
    elif prefix == "sts" and rtype.name == "role" and call.params.get("RoleArn"):
        arn = call.params["RoleArn"]
        yield Target("role", arn, arn.rsplit("/", 1)[-1])


def _ec2_targets(call: Call, rtype: ResourceType, facts: Facts) -> Iterator[Target]:
    ids: list[str] = []
    if call.action in ("CreateTags", "DeleteTags"):
        ids = [i for i in call.listed("ResourceId") if _ec2_kind(i) == rtype.name]
    if call.params.get("AssociationId", "").startswith("rtbassoc-"):
        associated = facts.association(call.params["AssociationId"]).get(rtype.name)
        ids += [associated] if associated else []
    names = EC2_IDS.get(rtype.name, ())
    ids += [value for key, value in call.params.items() if _ec2_id_param(key) in names]
    for ident in dict.fromkeys(ids):
        yield Target(rtype.name, _fill(rtype.arn, call.region, ident), ident)


_INDEX = re.compile(r"\.\d+(?=\.|$)")
_NESTED_IDS = ("NetworkInterface.", "LaunchTemplate.")


def _ec2_id_param(key: str) -> str:
    """`SecurityGroupId.1` and `NetworkInterface.1.SubnetId` name ids of the call's resources;
    `IpPermissions.1.Groups.1.GroupId` names a peer, which AWS does not authorize."""
    plain = _INDEX.sub("", key)
    for nested in _NESTED_IDS:
        plain = plain.removeprefix(nested)
    return plain


def _ec2_kind(ident: str) -> str:
    return next((kind for p, kind in EC2_ID_PREFIXES.items() if ident.startswith(p)), "")


def _iam_targets(call: Call, rtype: ResourceType, facts: Facts) -> Iterator[Target]:
    if rtype.name == "policy" and call.params.get("PolicyArn"):
        yield Target("policy", call.params["PolicyArn"], call.params["PolicyArn"])
        return
    if rtype.name == "mfa" and call.params.get("SerialNumber", "").startswith("arn:"):
        yield Target("mfa", call.params["SerialNumber"], "")
        return
    param = IAM_IDS.get(rtype.name)
    if param is None or not call.params.get(param):
        return
    if call.action == "ListGroupsForUser" and rtype.name != "user":
        return
    name = call.params[param]
    path = facts.iam_path(rtype.name, name) or call.params.get("Path", "/")
    yield Target(rtype.name, _fill(rtype.arn, "", path.lstrip("/") + name), name)


def _rds_targets(call: Call, rtype: ResourceType) -> Iterator[Target]:
    if call.params.get("ResourceName", "").startswith("arn:"):
        arn = call.params["ResourceName"]
        kind, _, ident = arn.split(":", 5)[-1].partition(":")
        if kind == rtype.name:
            yield Target(kind, arn, ident)
        return
    for param in RDS_IDS.get(rtype.name, ()):
        if call.params.get(param):
            yield Target(
                rtype.name, _fill(rtype.arn, call.region, call.params[param]), call.params[param]
            )
            return
    default = _rds_default(call, rtype.name)
    if default:
        yield Target(rtype.name, _fill(rtype.arn, call.region, default), default)


def _rds_default(call: Call, kind: str) -> str:
    """CreateDBInstance without an option or parameter group uses the engine's default ones, and
    RDS authorizes those too (RDS User Guide, "Identity-based policy examples": og:*, pg:*)."""
    if call.action != "CreateDBInstance" or kind not in ("og", "pg"):
        return ""
    engine = call.params.get("Engine", "mysql")
    major = ".".join(call.params.get("EngineVersion", "8.0").split(".")[:2])
    if kind == "og":
        return f"default:{engine}-{major.replace('.', '-')}"
    return f"default.{engine}{major}"


def _ssm_targets(call: Call, rtype: ResourceType) -> Iterator[Target]:
    if rtype.name != "parameter":
        return
    names = [call.params["Name"]] if call.params.get("Name") else []
    if call.params.get("Names", "").startswith("["):
        names += [str(n) for n in json.loads(call.params["Names"])]
    if call.action in ("AddTagsToResource", "RemoveTagsFromResource", "ListTagsForResource"):
        names += [call.params["ResourceId"]] if call.params.get("ResourceId") else []
    for name in names:
        yield Target("parameter", parameter_arn(call.region, name), name)


def parameter_arn(region: str, name: str) -> str:
    """AWS's public parameters (`/aws/service/…`) belong to no account."""
    account = "" if name.startswith("/aws/") else ACCOUNT_ID
    return f"arn:aws:ssm:{region}:{account}:parameter/{name.lstrip('/')}"


ELB_ARN_PARAMS = ("LoadBalancerArn", "TargetGroupArn", "ListenerArn", "ResourceArns")
ELB_KINDS = {
    ":loadbalancer/app/": "loadbalancer/app/",
    ":listener/app/": "listener/app",
    ":targetgroup/": "targetgroup",
}
ELB_CREATES = {
    "CreateLoadBalancer": ("loadbalancer/app/", "loadbalancer/app/{}/*"),
    "CreateTargetGroup": ("targetgroup", "targetgroup/{}/*"),
}
"""What an ELBv2 call acts on: the ARNs it names (by their kind), or the resource it creates,
named by its `Name` (its id is not known yet)."""


def _elb_targets(call: Call, rtype: ResourceType) -> Iterator[Target]:
    created = ELB_CREATES.get(call.action)
    if created is not None and created[0] == rtype.name:
        arn = f"arn:aws:elasticloadbalancing:{call.region}:{ACCOUNT_ID}:"
        yield Target(rtype.name, arn + created[1].format(call.params.get("Name", "")), "")
        return
    arns = [
        value
        for key, value in call.params.items()
        if _INDEX.sub("", key.replace(".member", "")) in ELB_ARN_PARAMS
    ]
    for arn in dict.fromkeys(arns):
        if any(marker in arn and kind == rtype.name for marker, kind in ELB_KINDS.items()):
            yield Target(rtype.name, arn, arn)


def _autoscaling_targets(call: Call, rtype: ResourceType, facts: Facts) -> Iterator[Target]:
    """An Auto Scaling group, named by its name (`Tags.member.N.ResourceId` in the tagging
    calls); its ARN carries a generated id, `*` while it is being created."""
    if rtype.name != "autoScalingGroup":
        return
    names = [call.params["AutoScalingGroupName"]] if call.params.get("AutoScalingGroupName") else []
    names += [v for k, v in call.params.items() if re.match(r"^Tags\.member\.\d+\.ResourceId$", k)]
    for name in dict.fromkeys(names):
        arn = facts.group_arn(name) or (
            f"arn:aws:autoscaling:{call.region}:{ACCOUNT_ID}:autoScalingGroup:*"
            f":autoScalingGroupName/{name}"
        )
        yield Target(rtype.name, arn, name)
