"""``claimcheck evidence``: read every cited page and check each claim's source passage."""

from __future__ import annotations

from typing import Annotated

import typer

from claimcheck.cli import link_options as lo
from claimcheck.cli.common import LedgersArg, ReportFormatOpt
from claimcheck.evidence import DEFAULT_PAGE_CAP
from claimcheck.formats import ReportFormat
from claimcheck.links import (
    DEFAULT_ARCHIVE_ENDPOINT,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_PER_HOST,
    DEFAULT_USER_AGENT,
)


def evidence(
    ledgers: LedgersArg = None,
    fmt: ReportFormatOpt = ReportFormat.table,
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
    shard: Annotated[
        str | None,
        typer.Option(help="Check shard K of N (K/N), split by host, for parallel CI jobs."),
    ] = None,
    max_page_size: Annotated[
        int,
        typer.Option(
            "--max-page-size",
            help="Bytes read at most per cited page; a larger page is unverifiable.",
        ),
    ] = DEFAULT_PAGE_CAP,
) -> None:
    """Read every cited page (HTML, PDF, text) and check that it still holds each claim's
    passage and figure. Exit 0 fine, 1 a changed passage or a --fail-on link status,
    2 usage, 3 network unreachable."""
    from claimcheck import api
    from claimcheck.cli.common import emit, run_or_exit
    from claimcheck.cli.progress import link_progress

    options = lo.build_options(
        fail_on=fail_on,
        timeout=timeout,
        max_concurrency=max_concurrency,
        max_per_host=max_per_host,
        retries=retries,
        user_agent=user_agent,
        exclude=exclude,
        allow_private=allow_private,
        archive_endpoint=archive_endpoint,
        no_archive=no_archive,
        cache=cache,
        no_cache=no_cache,
        ttl=ttl,
        confirm=confirm,
        shard=shard,
    )
    with link_progress(fmt) as progress:
        report = run_or_exit(
            lambda: api.evidence(ledgers or [], options, progress, page_cap=max_page_size),
            fmt.value,
        )
    emit(report, fmt.value)
