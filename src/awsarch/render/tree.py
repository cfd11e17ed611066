"""The expanded architecture as a readable tree: VPC → AZ → subnet → what lives there."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from awsarch.model import Architecture, Database, Instance, RouteTable, SecurityGroupRule, Subnet
from awsarch.render.words import plural

Node = tuple[str, list["Node"]]


def architecture_tree(arch: Architecture) -> list[str]:
    """Lines of the tree, with box-drawing branches, then the totals."""
    header = f"stack {arch.stack} · {arch.region}"
    nodes = [_vpc_node(arch, vpc.id) for vpc in arch.vpcs]
    nodes += [_security_node(arch), _iam_node(arch)]
    lines = [header, *_draw([n for n in nodes if n[1]])]
    return [*lines, "", totals_line(arch)]


def totals_line(arch: Architecture) -> str:
    counts = Counter(_kind_label(r) for r in arch.resources())
    parts = [plural(n, kind) for kind, n in counts.items()]
    return plural(sum(counts.values()), "resource") + ": " + ", ".join(parts)


def _kind_label(resource: object) -> str:
    return {
        "Vpc": "VPC",
        "Subnet": "subnet",
        "RouteTable": "route table",
        "InternetGateway": "internet gateway",
        "ElasticIp": "Elastic IP",
        "NatGateway": "NAT gateway",
        "NetworkAcl": "network ACL",
        "PrefixList": "prefix list",
        "SecurityGroup": "security group",
        "Instance": "instance",
        "DbSubnetGroup": "DB subnet group",
        "Database": "database",
        "Role": "IAM role",
        "InstanceProfile": "instance profile",
        "User": "IAM user",
        "Group": "IAM group",
        "TargetGroup": "target group",
        "LoadBalancer": "load balancer",
        "AutoScalingGroup": "Auto Scaling group",
        "Listener": "listener",
    }.get(type(resource).__name__, type(resource).__name__)


def _draw(nodes: list[Node], prefix: str = "") -> Iterator[str]:
    for index, (label, children) in enumerate(nodes):
        last = index == len(nodes) - 1
        yield f"{prefix}{'└── ' if last else '├── '}{label}"
        yield from _draw(children, prefix + ("    " if last else "│   "))


def _vpc_node(arch: Architecture, vpc_id: str) -> Node:
    vpc = arch.get(vpc_id)
    dns = "DNS hostnames on" if vpc.dns_hostnames else "DNS hostnames off"
    children: list[Node] = [
        (f"internet gateway {igw.name} (attached)", [])
        for igw in arch.internet_gateways
        if igw.vpc_id == vpc_id
    ]
    subnets = [s for s in arch.subnets if s.vpc_id == vpc_id]
    for az in sorted({s.az for s in subnets}):
        children.append((az, [_subnet_node(arch, s) for s in subnets if s.az == az]))
    return (f"VPC {vpc.name} {vpc.cidr} ({dns})", children)


def _subnet_node(arch: Architecture, subnet: Subnet) -> Node:
    table = arch.route_table_of(subnet.id)
    kind = f" [{subnet.kind}]" if subnet.kind else ""
    label = f"subnet {subnet.name} {subnet.cidr}{kind} → route table {_routes(arch, table)}"
    children: list[Node] = [
        (f"NAT gateway {nat.name} (Elastic IP)", [])
        for nat in arch.nat_gateways
        if nat.subnet_id == subnet.id
    ]
    children += [(_instance_label(arch, i), []) for i in arch.instances if i.subnet_id == subnet.id]
    for db in arch.databases:
        role = _database_placement(arch, db, subnet.id)
        if role:
            children.append((f"database {db.name} ({role}) {_database_label(db)}", []))
    return (label, children)


def _routes(arch: Architecture, table: RouteTable | None) -> str:
    if table is None:
        return "none"
    outside = [r for r in table.routes if r.target != "local"]
    routes = ", ".join(f"{r.destination} → {_target_name(arch, r.target_id)}" for r in outside)
    return f"{table.name} ({routes or 'local only'})"


def _target_name(arch: Architecture, target_id: str) -> str:
    target = arch.find(target_id)
    kind = target_id.split("/")[0] if "/" in target_id else "target"
    return f"{kind} {target.name}" if target is not None else target_id


def _instance_label(arch: Architecture, instance: Instance) -> str:
    groups = ", ".join(arch.get(g).name if arch.find(g) else g for g in instance.security_group_ids)
    extras = [f"sg {groups}"]
    extras.append(
        f"profile {instance.instance_profile}" if instance.instance_profile else "no profile"
    )
    extras.append("IMDSv2" if instance.imdsv2_required else "IMDSv1 allowed")
    if instance.has_public_ip:
        extras.append("public IP")
    return f"instance {instance.name} {instance.instance_type} ({', '.join(extras)})"


def _database_placement(arch: Architecture, db: Database, subnet_id: str) -> str:
    """primary in the subnet group's first AZ, standby in the second (Multi-AZ)."""
    subnets = arch.subnet_group(db.subnet_group_id).subnet_ids
    zones = sorted({arch.subnet(s).az for s in subnets})
    here = arch.subnet(subnet_id).az
    first_in_zone = next((s for s in subnets if arch.subnet(s).az == here), None)
    if subnet_id not in subnets or first_in_zone != subnet_id:
        return ""
    if here == zones[0]:
        return "primary"
    return "standby" if db.multi_az and len(zones) > 1 and here == zones[1] else ""


def _database_label(db: Database) -> str:
    flags = [
        "Multi-AZ" if db.multi_az else "single-AZ",
        "encrypted" if db.storage_encrypted else "UNENCRYPTED",
        "deletion protection" if db.deletion_protection else "no deletion protection",
        f"{db.backup_retention_days}-day backups",
    ]
    return (
        f"{db.engine} {db.engine_version} {db.instance_class} {db.storage_gb} GB"
        f" port {db.port} ({', '.join(flags)})"
    )


def _security_node(arch: Architecture) -> Node:
    children: list[Node] = []
    for group in arch.security_groups:
        rules = [_rule_label(arch, r) for r in group.ingress] or ["no inbound rules"]
        children.append((f"security group {group.name}: in " + "; ".join(rules), []))
    return ("security groups", children)


def _rule_label(arch: Architecture, rule: SecurityGroupRule) -> str:
    if rule.peer.kind == "group":
        peer = arch.find(rule.peer.value)
        source = f"sg {peer.name}" if peer is not None else rule.peer.value
    else:
        source = rule.peer.value
    return f"{rule.protocol} {rule.ports} from {source}"


def _iam_node(arch: Architecture) -> Node:
    children: list[Node] = []
    for role in arch.roles:
        policies = ", ".join(p.name for p in role.policies) or "no policies"
        children.append((f"role {role.name} (trusts {role.trusted_service}): {policies}", []))
    children += [
        (f"instance profile {p.name} → role {p.role_name}", []) for p in arch.instance_profiles
    ]
    for group in arch.groups:
        policies = ", ".join(p.name for p in group.policies) or "no policies"
        members = ", ".join(u.name for u in arch.users if group.id in u.groups) or "no members"
        children.append((f"group {group.name}: {policies}; members {members}", []))
    return ("IAM", children)
