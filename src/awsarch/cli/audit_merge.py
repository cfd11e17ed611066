"""`awsarch audit merge FILES|DIR|s3://BUCKET/PREFIX/`: unit results of any number of workers
→ one organization report, byte for byte what one unsharded `audit --org` prints."""

from __future__ import annotations

import click

from awsarch.cli.baseline import baseline_options
from awsarch.cli.options import FINDINGS_FORMAT_OPTION
from awsarch.cli.target import make_target, target_options


@click.command("merge")
@click.argument("sources", nargs=-1, required=True, metavar="FILES|DIR|s3://BUCKET/PREFIX/")
@FINDINGS_FORMAT_OPTION
@target_options
@baseline_options
def command(
    sources: tuple[str, ...],
    output_format: str,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
    baseline: str | None,
    write_baseline: str | None,
) -> None:
    """Merge unit results (files, directories, S3 prefixes) into one report (with --baseline,
    only the findings not in it). Exit 4 when a unit failed, else 3 on error findings."""
    from awsarch.adapters.aws.unit_store import is_s3, read_all
    from awsarch.cli.audit_org import print_report
    from awsarch.org.merge import merge
    from awsarch.org.results import from_document

    target = make_target(endpoint_url, region, profile)
    session = target.session() if any(is_s3(s) for s in sources) else None
    results = [from_document(doc, source=src) for src, doc in read_all(session, sources)]
    if not results:
        from awsarch.errors import InputError

        raise InputError(f"no unit results in {', '.join(sources)}")
    print_report(merge(results), output_format, (baseline, write_baseline))
