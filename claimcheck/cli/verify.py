"""``claimcheck verify``: the whole check of a ledger, links included unless ``--offline``."""

from __future__ import annotations

from typing import Annotated

import typer

from claimcheck.cli import link_options as lo
from claimcheck.cli.common import DossierOpt, LedgersArg, ReportFormatOpt
from claimcheck.cli.output import ReportsOpt
from claimcheck.formats import ReportFormat
from claimcheck.links import (
    DEFAULT_ARCHIVE_ENDPOINT,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_PER_HOST,
    DEFAULT_USER_AGENT,
)


def verify(
    ctx: typer.Context,
    ledgers: LedgersArg = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Skip the link check (no network use).")
    ] = False,
    dossier: DossierOpt = False,
    fmt: ReportFormatOpt = ReportFormat.table,
    reports: ReportsOpt = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every finding, grouped by measure.")
    ] = False,
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
) -> None:
    """Validate the ledger, anchor quotes and figures, run the consistency rules, check links."""
    from claimcheck import api
    from claimcheck.cli.common import emit, run_or_exit
    from claimcheck.cli.output import begin
    from claimcheck.cli.progress import link_progress

    begin(fmt.value, reports)

    # Parsed (and so checked) even with --offline: a typo in an option is an error now,
    # not on the first run with a network.
    links, config_used = lo.build_options(ctx, config, links_command=False)
    offline = bool(config_used.value("offline"))
    options = api.VerifyOptions(offline=offline, dossier=dossier, links=links)
    with link_progress(fmt, enabled=not offline) as progress:
        report = run_or_exit(lambda: api.verify(ledgers or [], options, progress), fmt.value)
    for part in [report, *report.parts]:
        part.brief = not verbose
    emit(report, fmt.value)
