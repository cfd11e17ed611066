"""`awsarch audit --org`: every (account, region) of an AWS Organization, or one worker's shard.

Lists the organization's active accounts (narrowed by --accounts and --ou), assumes --role in
each, audits each unit in threads (--parallel), prints the merged report, and with --output
writes one JSON document per unit (an S3 prefix or a directory) for `awsarch audit merge`.
Exit 4 when a unit could not be audited, else 3 on error findings (or drift), else 0.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from awsarch.errors import FindingsError, IncompleteAuditError, InputError
from awsarch.record import record

if TYPE_CHECKING:
    from awsarch.cli.target import Target
    from awsarch.org.merge import OrgReport
    from awsarch.org.units import Unit

F = TypeVar("F", bound=Callable[..., Any])


@record
class OrgOptions:
    org: bool = False
    role: str = "OrganizationAccountAccessRole"
    external_id: str | None = None
    session_tags: bool = False
    regions: str | None = None
    accounts: str | None = None
    ou: str | None = None
    parallel: int = 8
    shard: str | None = None
    shards: int | None = None
    output: str | None = None

    def given_without_org(self) -> list[str]:
        """The organization options given although --org is not."""
        defaults = OrgOptions()
        return [
            "--" + name.replace("_", "-")
            for name in vars(self)
            if name != "org" and getattr(self, name) != getattr(defaults, name)
        ]


def org_options(command: F) -> F:
    """The options of `audit --org`, gathered by `OrgOptions(**kwargs)`."""
    options = [
        click.option(
            "--org", is_flag=True, help="Audit every account and region of the organization."
        ),
        click.option(
            "--role",
            default="OrganizationAccountAccessRole",
            show_default=True,
            help="Role to assume in each account (a name, or an ARN with {account}).",
        ),
        click.option(
            "--external-id", default=None, help="ExternalId the role's trust policy asks for."
        ),
        click.option(
            "--session-tags",
            is_flag=True,
            help="Tag role sessions awsarch:tool=awsarch (trust policy: sts:TagSession).",
        ),
        click.option(
            "--regions", default=None, help="all, or r1,r2 (default: the configured region)."
        ),
        click.option("--accounts", default=None, help="Only these account ids (comma-separated)."),
        click.option(
            "--ou",
            default=None,
            help="Only accounts under these OUs (comma-separated, child OUs too).",
        ),
        click.option(
            "--parallel",
            type=click.IntRange(1, 128),
            default=8,
            show_default=True,
            help="Units audited at the same time.",
        ),
        click.option("--shard", default=None, metavar="I/N", help="Audit shard I of N (1-based)."),
        click.option(
            "--shards",
            type=click.IntRange(1),
            default=None,
            metavar="N",
            help="N shards; index (0-based) from AWS_BATCH_JOB_ARRAY_INDEX/JOB_COMPLETION_INDEX.",
        ),
        click.option(
            "--output",
            default=None,
            metavar="s3://BUCKET/PREFIX/|DIR",
            help="Write one JSON per unit there.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (text or "").split(",") if p.strip())


Baseline = tuple[str | None, str | None]
"""`--baseline FILE` and `--write-baseline FILE` (either may be None)."""


def run_org(
    target: Target,
    options: OrgOptions,
    output_format: str,
    blueprint: str | None,
    baseline: Baseline = (None, None),
) -> None:
    """Plan, select, run and report the units; exits with the organization's code."""
    from awsarch.adapters.aws.organization import RoleRequest, caller_account, list_accounts
    from awsarch.cli.org_run import OrgProgress, OrgRun, run_units
    from awsarch.org.units import plan_account_units, select, shard_from

    shard = shard_from(options.shard, options.shards, os.environ)
    base = target.session()
    wanted = _split(options.accounts)
    accounts = list_accounts(base, only=wanted, ous=_split(options.ou))
    missing = sorted(set(wanted) - set(accounts))
    if missing:
        raise InputError(
            f"--accounts {', '.join(missing)}: not an active account of the organization"
            f"{' under --ou' if options.ou else ''} — check the ids (awsarch audits ACTIVE ones)"
        )
    if not accounts and options.ou:
        raise InputError(f"--ou {options.ou}: no active account is under it — check the OU ids")
    if not accounts:
        raise InputError(
            "--org: the organization lists no active account — run it from the management"
            " account (or a delegated administrator), or drop --org to audit this account"
        )
    run = OrgRun(
        base=base,
        home=caller_account(base),
        request=RoleRequest(
            role=options.role, external_id=options.external_id, session_tags=options.session_tags
        ),
        endpoint_url=base.endpoint_url,
        profile=target.profile,
        emulator=target.is_emulator,
        loaded=_loaded(blueprint),
    )
    regions = _split(options.regions) or (base.region,)
    if regions == ("all",):
        regions_of = run.enabled_regions(accounts, parallel=options.parallel)
    else:
        regions_of = {account: regions for account in accounts}
    units = select(plan_account_units(regions_of), shard)
    progress = OrgProgress(len(units))
    started = time.monotonic()
    results = run_units(
        run, units, parallel=options.parallel, keep=_store(base, options.output), on_result=progress
    )
    progress.close()
    _note(units, results, shard, time.monotonic() - started)
    from awsarch.org.merge import merge

    print_report(merge(results), output_format, baseline)


def _loaded(blueprint: str | None) -> Any:
    if not blueprint:
        return None
    from awsarch.usecases.verify import verify_file

    return verify_file(blueprint).loaded


def _store(base: Any, output: str | None) -> Callable[[Any], None]:
    from awsarch.adapters.aws.unit_store import write
    from awsarch.org.results import to_document

    def store(result: Any) -> None:
        if output:
            write(base, output, result.unit.key, to_document(result))

    return store


def _note(units: tuple[Unit, ...], results: list[Any], shard: Any, seconds: float) -> None:
    """One line on stderr for the logs of an array job: what this worker did."""
    calls = sum(r.api_calls for r in results)
    which = f"shard {shard}: " if shard else ""
    click.echo(
        f"{which}{len(units)} units in {seconds:.1f}s, {calls} API calls"
        f" ({calls / max(len(units), 1):.1f} a unit)",
        err=True,
    )


def print_report(report: OrgReport, output_format: str, baseline: Baseline = (None, None)) -> None:
    """The organization report on stdout (with a baseline, its new findings only; with
    --write-baseline, every finding written first); an incomplete one (exit 4) or one with
    errors (exit 3) raised after it."""
    from awsarch.org import report as render

    report = _with_baseline(report, *baseline)

    if output_format == "json":
        click.echo(json.dumps(render.to_json(report), indent=2))
    elif output_format == "sarif":
        click.echo(json.dumps(render.to_sarif(report), indent=2))
    else:
        for line in render.text_lines(report):
            click.echo(line)
    if report.failed:
        raise IncompleteAuditError()
    if report.has_errors:
        raise FindingsError()


def _with_baseline(report: OrgReport, read: str | None, write: str | None) -> OrgReport:
    from awsarch.org import baseline

    if write:
        try:
            with open(write, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(baseline.document(report), indent=2) + "\n")
        except OSError as exc:
            raise InputError(
                f"{write}: cannot write the baseline ({exc.strerror}) — name a writable file"
            ) from exc
    if not read:
        return report
    return baseline.without_known(report, _known(read))[0]


def _known(path: str) -> set[tuple[str, str, str, str]]:
    from awsarch.org.baseline import FIX, keys

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise InputError(f"{path}: no such baseline — {FIX}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{path}: cannot read the baseline ({type(exc).__name__}) — {FIX}"
        ) from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}:{exc.lineno}:{exc.colno}: the baseline is not JSON ({exc.msg}) — {FIX}"
        ) from None
    known = keys(data)
    if known is None:
        raise InputError(
            f"{path}: not an organization baseline (no account and region on its findings) — {FIX}"
        )
    return known
