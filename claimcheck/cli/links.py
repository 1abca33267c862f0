"""``claimcheck links``: check every cited URL once and report what rotted."""

from __future__ import annotations

from typing import Annotated

import typer

from claimcheck.cli import link_options as lo
from claimcheck.cli.common import LedgersArg, ReportFormatOpt
from claimcheck.cli.output import ReportsOpt
from claimcheck.formats import ReportFormat
from claimcheck.links import (
    DEFAULT_ARCHIVE_ENDPOINT,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_PER_HOST,
    DEFAULT_USER_AGENT,
)


def links(
    ctx: typer.Context,
    ledgers: LedgersArg = None,
    fmt: ReportFormatOpt = ReportFormat.table,
    reports: ReportsOpt = None,
    fail_on: lo.FailOnOpt = None,
    timeout: lo.TimeoutOpt = 20.0,
    max_concurrency: lo.MaxConcurrencyOpt = DEFAULT_MAX_CONCURRENCY,
    max_per_host: lo.MaxPerHostOpt = DEFAULT_MAX_PER_HOST,
    retries: lo.RetriesOpt = 2,
    user_agent: lo.UserAgentOpt = DEFAULT_USER_AGENT,
    exclude: lo.ExcludeOpt = None,
    allow_private: lo.AllowPrivateOpt = False,
    archive_endpoint: lo.ArchiveEndpointOpt = DEFAULT_ARCHIVE_ENDPOINT,
    no_archive: lo.NoArchiveOpt = False,
    write_archive: Annotated[
        bool,
        typer.Option(
            "--write-archive", help="Record found snapshots as archive_url in the ledger."
        ),
    ] = False,
    cache: lo.CacheOpt = None,
    no_cache: lo.NoCacheOpt = False,
    ttl: lo.TtlOpt = "1d",
    confirm: lo.ConfirmOpt = 1,
    fail_on_http: lo.FailOnHttpOpt = False,
    ca_file: lo.CaFileOpt = None,
    config: lo.ConfigOpt = None,
    shard: Annotated[
        str | None,
        typer.Option(
            help="Check shard K of N (K/N), split by host, for parallel CI jobs.", metavar="K/N"
        ),
    ] = None,
) -> None:
    """Check every cited url and archive_url once; report each with the claims that depend
    on it. Exit 0 fine, 1 a --fail-on status, 2 usage, 3 network unreachable."""
    from claimcheck import api
    from claimcheck.cli.common import emit, run_or_exit
    from claimcheck.cli.output import begin
    from claimcheck.cli.progress import link_progress

    begin(fmt.value, reports)

    options, _ = lo.build_options(ctx, config)
    with link_progress(fmt) as progress:
        report = run_or_exit(lambda: api.links(ledgers or [], options, progress), fmt.value)
    emit(report, fmt.value)
