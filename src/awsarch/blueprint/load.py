"""Load a blueprint file: parse, validate against the schema, then check what spans keys."""

from __future__ import annotations

from awsarch.blueprint import reader
from awsarch.blueprint.cidr import (
    PlannedSubnet,
    VpcTooSmall,
    default_subnet_prefix,
    inside,
    overlapping,
    plan_subnets,
)
from awsarch.blueprint.document import Document, parse
from awsarch.blueprint.names import first_problem
from awsarch.blueprint.prefix_lists import source_kind
from awsarch.blueprint.regions import REGION_AZS
from awsarch.blueprint.schema import BLUEPRINT
from awsarch.blueprint.spec import Blueprint, ListenerSpec, blueprint_from
from awsarch.record import record


@record
class Loaded:
    """A blueprint and the document it came from (for FILE:LINE:COL)."""

    blueprint: Blueprint
    document: Document


def load_file(path: str) -> Loaded:
    """Read and validate the blueprint at path; any problem is one InputError."""
    fix = "name a blueprint YAML file, or run `awsarch init` to write one"
    return load_text(reader.read_file(path, fix=fix), file=path)


def load_text(text: str, *, file: str) -> Loaded:
    document = parse(text, file=file)
    if document.data is None:
        raise document.error(
            (), "the blueprint is empty — run `awsarch init` to start from the seed"
        )
    blueprint = blueprint_from(BLUEPRINT.check(document, (), document.data))
    _check_region(document, blueprint)
    _check_tiers(document, blueprint)
    _check_references(document, blueprint)
    _check_prefix_lists(document, blueprint)
    _check_scaling(document, blueprint)
    _check_load_balancers(document, blueprint)
    _check_names(document, blueprint)
    return Loaded(blueprint=blueprint, document=document)


def _check_region(doc: Document, bp: Blueprint) -> None:
    if bp.region not in REGION_AZS:
        import difflib  # only to suggest a fix: not at start-up

        close = difflib.get_close_matches(bp.region, REGION_AZS, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "use a region like ap-northeast-2"
        raise doc.error(("region",), f"unknown region '{bp.region}' — {hint}")
    zones = REGION_AZS[bp.region]
    if bp.network.azs > len(zones):
        raise doc.error(
            ("network", "azs"),
            f"{bp.region} has {len(zones)} availability zones ({', '.join(zones)}), not"
            f" {bp.network.azs} — set network.azs to {len(zones)} or fewer",
        )


def _check_tiers(doc: Document, bp: Blueprint) -> None:
    net = bp.network
    if not net.tiers:
        raise doc.error(("network", "tiers"), "no tiers — add at least `public: public`")
    vpc_prefix = int(net.cidr.split("/")[1])
    if net.subnet_size is not None and net.subnet_size < vpc_prefix:
        raise doc.error(
            ("network", "subnet_size"),
            f"subnets of /{net.subnet_size} cannot fit in a /{vpc_prefix} VPC"
            f" — use {vpc_prefix} or more (e.g. {default_subnet_prefix(net.cidr)})",
        )
    try:
        planned = plan_subnets(net.cidr, [t.name for t in net.tiers], net.azs, net.subnet_size)
    except VpcTooSmall as exc:
        size = net.subnet_size or default_subnet_prefix(net.cidr)
        raise doc.error(
            ("network", "cidr"),
            f"the VPC {net.cidr} is too small for {len(net.tiers)} tier(s) × {net.azs} AZ(s) of"
            f" /{size} subnets ({exc}) — use a larger network.cidr or a longer network.subnet_size",
        ) from None
    for tier in net.tiers:
        _check_explicit_cidrs(doc, bp, tier.name, tier.cidrs)
    _check_overlaps(doc, bp, planned)


def _check_explicit_cidrs(doc: Document, bp: Blueprint, tier: str, cidrs: tuple[str, ...]) -> None:
    path = ("network", "tiers", tier, "cidrs")
    if cidrs and len(cidrs) != bp.network.azs:
        raise doc.error(
            path,
            f"tier '{tier}' lists {len(cidrs)} CIDR(s) for {bp.network.azs} AZ(s)"
            " — give one per AZ",
        )
    for i, cidr in enumerate(cidrs):
        if not inside(cidr, bp.network.cidr):
            raise doc.error(
                (*path, i),
                f"{cidr} lies outside the VPC {bp.network.cidr} — pick a block inside it",
            )


def _check_overlaps(doc: Document, bp: Blueprint, planned: list[PlannedSubnet]) -> None:
    """Explicit CIDRs take their subnet's place; no two subnets may overlap."""
    chosen: list[tuple[str, tuple[str | int, ...]]] = []
    for subnet in planned:
        tier = bp.tier(subnet.tier)
        assert tier is not None
        if tier.cidrs:
            path: tuple[str | int, ...] = ("network", "tiers", tier.name, "cidrs", subnet.az_index)
            chosen.append((tier.cidrs[subnet.az_index], path))
        else:
            chosen.append((subnet.cidr, ("network", "tiers", tier.name)))
    clash = overlapping([cidr for cidr, _ in chosen])
    if clash is not None:
        (first, _), (second, where) = chosen[clash[0]], chosen[clash[1]]
        raise doc.error(
            where, f"{second} overlaps {first} — choose a block that overlaps no other subnet"
        )


def _check_references(doc: Document, bp: Blueprint) -> None:
    tiers = [t.name for t in bp.network.tiers]
    servers = [s.name for s in bp.servers]
    databases = [d.name for d in bp.databases]
    if bp.network.nat != "none" and not any(t.kind == "public" for t in bp.network.tiers):
        raise doc.error(
            ("network", "nat"),
            f"nat: {bp.network.nat} needs a public tier to hold the NAT gateway"
            " — add a public tier or set nat: none",
        )
    for server in bp.servers:
        _must_exist(doc, ("servers", server.name, "tier"), server.tier, tiers, "tier")
        for i, secret in enumerate(server.role.read_secrets):
            path = ("servers", server.name, "role", "read_secrets", i)
            _must_exist(doc, path, secret, databases, "database")
    for db in bp.databases:
        _must_exist(doc, ("databases", db.name, "tier"), db.tier, tiers, "tier")
        for i, source in enumerate(db.allow_from):
            _must_exist(
                doc, ("databases", db.name, "allow_from", i), source, servers, "server group"
            )


def _check_prefix_lists(doc: Document, bp: Blueprint) -> None:
    """A list holds no more CIDRs than its max_entries; a server's `allow` names a list that
    exists (its own) or looks like an existing one (`pl-…`, `com.amazonaws.…`)."""
    for plist in bp.prefix_lists:
        if len(plist.cidrs) > plist.max_entries:
            raise doc.error(
                ("prefix_lists", plist.name, "max_entries"),
                f"prefix list '{plist.name}' has {len(plist.cidrs)} CIDRs but max_entries is"
                f" {plist.max_entries} — raise max_entries to {len(plist.cidrs)} or more",
            )
    own = [p.name for p in bp.prefix_lists]
    for server in bp.servers:
        for i, rule in enumerate(server.allow):
            if source_kind(rule.source) == "own" and rule.source not in own:
                path = ("servers", server.name, "allow", i, "from")
                raise doc.error(path, _unknown_list(rule.source, own))


def _check_scaling(doc: Document, bp: Blueprint) -> None:
    for server in bp.servers:
        scaling = server.scaling
        if scaling is None:
            continue
        path = ("servers", server.name, "scaling")
        if scaling.min > scaling.max:
            raise doc.error(
                (*path, "max"),
                f"max {scaling.max} is below min {scaling.min} — set max to {scaling.min} or more",
            )
        if not scaling.min <= scaling.desired <= scaling.max:
            raise doc.error(
                (*path, "desired"),
                f"desired {scaling.desired} lies outside min {scaling.min} and max"
                f" {scaling.max} — pick a number between them",
            )


def _check_load_balancers(doc: Document, bp: Blueprint) -> None:
    """A load balancer lives in a tier that exists (a public one when internet-facing), sends
    to a server group that exists, and redirects only to an HTTPS listener of its own."""
    tiers = [t.name for t in bp.network.tiers]
    servers = [s.name for s in bp.servers]
    for lb in bp.load_balancers:
        path: tuple[str | int, ...] = ("load_balancers", lb.name)
        _must_exist(doc, (*path, "tier"), lb.tier, tiers, "tier")
        tier = bp.tier(lb.tier)
        if lb.scheme == "internet-facing" and tier is not None and tier.kind != "public":
            public = [t.name for t in bp.network.tiers if t.kind == "public"]
            fix = f"set tier: {public[0]}" if public else "add a public tier"
            raise doc.error(
                (*path, "tier"),
                f"an internet-facing load balancer needs a public tier, and '{lb.tier}' is"
                f" {tier.kind} — {fix}, or set scheme: internal",
            )
        _must_exist(doc, (*path, "target", "servers"), lb.target.servers, servers, "server group")
        _check_listeners(doc, path, lb.listeners)


def _check_listeners(
    doc: Document, path: tuple[str | int, ...], listeners: tuple[ListenerSpec, ...]
) -> None:
    https = {x.port for x in listeners if x.protocol == "HTTPS"}
    seen: set[int] = set()
    for i, listener in enumerate(listeners):
        where = (*path, "listeners", i)
        if listener.port in seen:
            raise doc.error(
                (*where, "port"), f"two listeners on port {listener.port} — give each its own port"
            )
        seen.add(listener.port)
        if listener.redirect is None:
            continue
        if listener.protocol != "HTTP":
            raise doc.error(
                (*where, "redirect"),
                "only an HTTP listener redirects (to HTTPS) — remove redirect or use HTTP",
            )
        if listener.redirect not in https:
            raise doc.error(
                (*where, "redirect"),
                f"redirect: {listener.redirect} names no HTTPS listener — add"
                f" {{port: {listener.redirect}, protocol: HTTPS}} or redirect to one of"
                f" {sorted(https) or 'none yet'}",
            )


def _unknown_list(name: str, known: list[str]) -> str:
    import difflib  # only to suggest a fix: not at start-up

    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "define it under prefix_lists:"
    return (
        f"no prefix list named '{name}' — {hint} (or name an existing list by its id, pl-…,"
        " or an AWS-managed list by its name, com.amazonaws.…)"
    )


def _check_names(doc: Document, bp: Blueprint) -> None:
    """Every AWS name built from the stack (RDS identifiers, IAM names, tags) is one AWS takes."""
    found = first_problem(bp)
    if found is not None:
        where, message = found
        raise doc.error(where, message, key=where != ("stack",))


def _must_exist(
    doc: Document, path: tuple[str | int, ...], name: str, known: list[str], what: str
) -> None:
    if name in known:
        return
    import difflib  # only to suggest a fix: not at start-up

    close = difflib.get_close_matches(name, known, n=1)
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif known:
        hint = f"use one of: {', '.join(known)}"
    else:
        hint = f"define the {what} first"
    raise doc.error(path, f"no {what} named '{name}' — {hint}")
