"""Security groups and their rules, group references by `Fn::GetAtt …GroupId`.

A rule naming a group is written inline, on the group, unless the two groups name each other
(directly or through others, or a group names itself): CloudFormation cannot create either first,
so those rules become standalone `AWS::EC2::SecurityGroupIngress` / `…Egress` resources
(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroupingress.html).
"""

from __future__ import annotations

from awsarch.blueprint.prefix_lists import list_name
from awsarch.cfn.builder import Builder, CannotSynthesize, Json, get_att, ref
from awsarch.cfn.logical_ids import camel, readable
from awsarch.model import Architecture, SecurityGroup, SecurityGroupRule

AWS_MANAGED = "com.amazonaws."
NO_EGRESS: Json = {"IpProtocol": "-1", "CidrIp": "127.0.0.1/32", "Description": "no egress"}
"""A group with no egress rule: CloudFormation keeps AWS's allow-all egress unless the template
names some rule, so it names one that matches nothing, as the AWS documentation suggests. The
VPC's default group comes with the VPC: CloudFormation can neither create nor empty it, so it
keeps AWS's default rules (SEC005 says so once deployed) and is not in the template
(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html)."""


def add_prefix_lists(b: Builder, arch: Architecture) -> dict[str, Json]:
    """The stack's own prefix lists, and how a rule names every list: `Ref` to an own list, a
    parameter for an AWS-managed list (CloudFormation cannot look one up by name; the user
    passes the region's id), an existing `pl-…` id as written
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-prefixlist.html)."""
    refs: dict[str, Json] = {}
    for listed in arch.prefix_lists:
        properties: Json = {
            "PrefixListName": list_name(arch.stack, listed.name),
            "AddressFamily": "IPv4",
            "MaxEntries": listed.max_entries or len(listed.cidrs),
            "Entries": [{"Cidr": cidr} for cidr in listed.cidrs],
            "Tags": b.tags(listed.id),
        }
        refs[listed.id] = ref(b.add(b.name(listed.id), "AWS::EC2::PrefixList", properties))
    named = {
        r.peer.value
        for g in arch.security_groups
        for r in (*g.ingress, *g.egress)
        if r.peer.kind == "prefix-list" and r.peer.value.startswith(AWS_MANAGED)
    }
    for name in sorted(named):
        parameter = b.derived(f"PrefixList{readable(name)}")
        b.parameters[parameter] = {
            "Type": "String",
            "AllowedPattern": "^pl-[0-9a-f]+$",
            "Description": f"The id of the AWS-managed prefix list {name} in this region",
        }
        b.managed_lists[parameter] = name
        refs[name] = ref(parameter)
    return refs


def add_security_groups(b: Builder, arch: Architecture) -> None:
    groups = [g for g in arch.security_groups if not g.is_default]
    refs = {g.id: get_att(b.name(g.vpc_id), "DefaultSecurityGroup") for g in arch.security_groups}
    refs.update({g.id: get_att(b.name(g.id), "GroupId") for g in groups})
    refs.update(add_prefix_lists(b, arch))
    cycle_of = _components(groups)
    for group in groups:
        inline: dict[str, list[Json]] = {"ingress": [], "egress": []}
        standalone = []
        for direction, rules in (("ingress", group.ingress), ("egress", group.egress)):
            for rule in rules:
                peer = rule.peer
                if peer.kind == "group" and cycle_of.get(peer.value) == cycle_of[group.id]:
                    standalone.append((direction, rule))
                else:
                    inline[direction].append(_rule(refs, direction, rule))
        properties: Json = {
            "GroupDescription": group.description or group.name,
            "VpcId": b.ref(group.vpc_id),
        }
        if inline["ingress"]:
            properties["SecurityGroupIngress"] = inline["ingress"]
        properties["SecurityGroupEgress"] = inline["egress"] or [NO_EGRESS]
        properties["Tags"] = b.tags(group.id)
        logical = b.add(b.name(group.id), "AWS::EC2::SecurityGroup", properties)
        for direction, rule in standalone:
            _standalone(b, refs, logical, direction, rule)


def _components(groups: list[SecurityGroup]) -> dict[str, int]:
    """Each group's strongly connected component in the "names" graph (Tarjan's algorithm):
    two groups share one exactly when their references form a cycle."""
    edges = {
        g.id: sorted({r.peer.value for r in (*g.ingress, *g.egress) if r.peer.kind == "group"})
        for g in groups
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    component: dict[str, int] = {}

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for peer in edges.get(node, ()):
            if peer not in edges:
                continue  # a group outside the template: referenced by id, no cycle
            if peer not in index:
                visit(peer)
                low[node] = min(low[node], low[peer])
            elif peer not in component:
                low[node] = min(low[node], index[peer])
        if low[node] == index[node]:
            number = len(set(component.values()))
            while True:
                member = stack.pop()
                component[member] = number
                if member == node:
                    break

    for group in groups:
        if group.id not in index:
            visit(group.id)
    return component


def _rule(refs: dict[str, Json], direction: str, rule: SecurityGroupRule) -> Json:
    """A rule as CloudFormation writes it, inside the group or standing alone."""
    properties: Json = {"IpProtocol": "-1" if rule.protocol == "all" else rule.protocol}
    if rule.protocol == "icmp":
        icmp_type, code = rule.ports.icmp_type_code()
        properties.update(FromPort=icmp_type, ToPort=code)
    elif rule.protocol != "all":
        properties.update(FromPort=rule.ports.first, ToPort=rule.ports.last)
    ingress = direction == "ingress"
    peer = rule.peer
    if peer.kind == "group":
        key = "SourceSecurityGroupId" if ingress else "DestinationSecurityGroupId"
        properties[key] = refs.get(peer.value, peer.value)  # sg-…: a group outside the template
    elif peer.kind == "prefix-list":
        key = "SourcePrefixListId" if ingress else "DestinationPrefixListId"
        properties[key] = refs.get(peer.value, peer.value)  # pl-…: an existing list
    else:
        properties["CidrIpv6" if ":" in peer.value else "CidrIp"] = peer.value
    if rule.description:
        properties["Description"] = rule.description
    return properties


def _standalone(
    b: Builder, refs: dict[str, Json], group: str, direction: str, rule: SecurityGroupRule
) -> None:
    if rule.peer.kind != "group":
        raise CannotSynthesize("only rules naming a group stand alone")
    word = "Ingress" if direction == "ingress" else "Egress"
    ports = "All" if rule.protocol == "all" else f"{camel(rule.protocol)}{camel(str(rule.ports))}"
    towards = "From" if direction == "ingress" else "To"
    logical = b.derived(f"{group}{word}{towards}{readable(rule.peer.value)}{ports}")
    properties = {"GroupId": get_att(group, "GroupId"), **_rule(refs, direction, rule)}
    b.add(logical, f"AWS::EC2::SecurityGroup{word}", properties)
