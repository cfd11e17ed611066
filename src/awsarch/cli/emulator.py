"""`awsarch emulator`: the embedded AWS emulator (moto's server) on 127.0.0.1, in the foreground."""

from __future__ import annotations

import click


@click.command("emulator")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=4566,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option("--quiet", is_flag=True, help="Do not log each request.")
@click.option(
    "--without",
    "without",
    multiple=True,
    metavar="BEHAVIOUR",
    help="Switch off one of AWS's behaviours (repeatable), e.g. nat_deletion; "
    "`awsarch emulator --list` names them.",
)
@click.option("--list", "list_behaviours", is_flag=True, help="List AWS's behaviours and exit.")
def command(port: int, quiet: bool, without: tuple[str, ...], list_behaviours: bool) -> None:
    """Run an AWS emulator on this machine so every command works without an AWS account."""
    from awsarch.adapters import emulator

    if list_behaviours:
        for name in emulator.BEHAVIOURS:
            click.echo(name)
        return

    def ready(running: emulator.Emulator) -> None:
        click.echo(f"awsarch emulator listening on {running.endpoint_url} (127.0.0.1 only)")
        off = sorted(set(emulator.BEHAVIOURS) - running.behaviours)
        click.echo(f"AWS behaviours on: {len(running.behaviours)}; off: {', '.join(off) or 'none'}")
        click.echo("in another terminal:")
        click.echo(f"  export AWS_ENDPOINT_URL={running.endpoint_url}")
        click.echo("  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing")
        click.echo("  export AWS_REGION=ap-northeast-2")
        click.echo("  awsarch up --yes && awsarch audit")
        click.echo("Ctrl-C stops it; everything it holds is forgotten.")

    emulator.serve(port, log_requests=not quiet, on_ready=ready, without=without)
