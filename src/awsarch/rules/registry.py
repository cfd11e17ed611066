"""Every rule awsarch knows, listed by hand (no import magic), and the one way to run them."""

from __future__ import annotations

from collections.abc import Iterable

from awsarch.model import Architecture
from awsarch.rules.base import SEVERITY_ORDER, Finding, Rule
from awsarch.rules.data import (
    database_backed_up,
    database_backup_retention,
    database_deletion_protected,
    database_encrypted,
    database_in_private_subnets,
    database_multi_az,
    database_not_open_to_balancers,
    database_not_public,
    database_peers_are_groups,
    subnet_group_spans_azs,
)
from awsarch.rules.iam import (
    access_keys_rotated,
    console_users_have_mfa,
    no_daily_administrators,
    no_star_on_star,
    root_has_mfa,
    root_no_access_keys,
    root_not_used_recently,
)
from awsarch.rules.network import (
    load_balancer_deletion_protected,
    load_balancer_in_matching_subnets,
    load_balancer_spans_azs,
    nat_has_public_ip,
    nat_in_public_subnet,
    private_default_route_via_nat,
    public_default_route_via_igw,
    subnet_inside_vpc,
    subnets_do_not_overlap,
    subnets_span_azs,
)
from awsarch.rules.security import (
    default_group_unused,
    instance_has_profile,
    instance_requires_imdsv2,
    listeners_use_https,
    no_keys_in_user_data,
    no_world_open_admin_ports,
    root_volume_encrypted,
    targets_admit_only_balancer,
    targets_have_no_public_ip,
)

ALL_RULES: tuple[Rule, ...] = (
    subnet_inside_vpc.RULE,
    subnets_do_not_overlap.RULE,
    subnets_span_azs.RULE,
    nat_in_public_subnet.RULE,
    nat_has_public_ip.RULE,
    private_default_route_via_nat.RULE,
    public_default_route_via_igw.RULE,
    load_balancer_spans_azs.RULE,
    load_balancer_in_matching_subnets.RULE,
    load_balancer_deletion_protected.RULE,
    instance_has_profile.RULE,
    instance_requires_imdsv2.RULE,
    no_keys_in_user_data.RULE,
    no_world_open_admin_ports.RULE,
    default_group_unused.RULE,
    root_volume_encrypted.RULE,
    listeners_use_https.RULE,
    targets_have_no_public_ip.RULE,
    targets_admit_only_balancer.RULE,
    database_in_private_subnets.RULE,
    database_not_public.RULE,
    database_peers_are_groups.RULE,
    database_multi_az.RULE,
    database_encrypted.RULE,
    database_deletion_protected.RULE,
    database_backed_up.RULE,
    database_backup_retention.RULE,
    subnet_group_spans_azs.RULE,
    database_not_open_to_balancers.RULE,
    no_star_on_star.RULE,
    root_no_access_keys.RULE,
    root_has_mfa.RULE,
    root_not_used_recently.RULE,
    console_users_have_mfa.RULE,
    no_daily_administrators.RULE,
    access_keys_rotated.RULE,
)


def run_rules(arch: Architecture, rules: Iterable[Rule] = ALL_RULES) -> list[Finding]:
    """Every finding of every rule, errors first, then by rule id, resource and message."""
    findings = [finding for rule in rules for finding in rule.run(arch)]
    return sorted(
        findings,
        key=lambda f: (SEVERITY_ORDER[f.severity], f.rule_id, f.resource_id, f.message),
    )


def rule_by_id(rule_id: str) -> Rule:
    """The rule with this id; KeyError when there is none."""
    for rule in ALL_RULES:
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)
