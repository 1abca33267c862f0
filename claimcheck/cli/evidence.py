"""``claimcheck evidence``: read every cited page and check each claim's source passage."""

from __future__ import annotations

from typing import Annotated

import typer

from claimcheck.cli import link_options as lo
from claimcheck.cli.common import LedgersArg, ReportFormatOpt
from claimcheck.cli.output import ReportsOpt
from claimcheck.evidence import DEFAULT_PAGE_CAP
from claimcheck.formats import ReportFormat
from claimcheck.links import (
    DEFAULT_ARCHIVE_ENDPOINT,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_PER_HOST,
    DEFAULT_USER_AGENT,
)


def evidence(
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
    max_page_size: Annotated[
        int,
        typer.Option(
            "--max-page-size",
            metavar="BYTES",
            help="Bytes read at most per cited page; a larger page is unverifiable.",
        ),
    ] = DEFAULT_PAGE_CAP,
) -> None:
    """Read every cited page (HTML, PDF, text) and check that it still holds each claim's
    passage and figure. Exit 0 fine, 1 a changed passage or a --fail-on link status,
    2 usage, 3 network unreachable."""
    from dataclasses import replace

    from claimcheck import api
    from claimcheck.cli.common import emit, run_or_exit
    from claimcheck.cli.output import begin
    from claimcheck.cli.progress import link_progress

    begin(fmt.value, reports)
    options, _ = lo.build_options(ctx, config)
    options = replace(options, write_archive=False)  # evidence never rewrites the ledger
    with link_progress(fmt) as progress:
        report = run_or_exit(
            lambda: api.evidence(ledgers or [], options, progress, page_cap=max_page_size),
            fmt.value,
        )
    emit(report, fmt.value)
