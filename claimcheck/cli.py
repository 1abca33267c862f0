"""The command-line interface: parse options, run a library function, pick a reporter.

Heavy modules (pydantic models, rich, httpx) are imported inside the commands so that
``claimcheck --help`` answers at once.
"""

from __future__ import annotations

import gc
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from claimcheck import __version__
from claimcheck import cli_links as lc
from claimcheck.formats import ListFormat, ReportFormat
from claimcheck.links import (
    DEFAULT_ARCHIVE_ENDPOINT,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_PER_HOST,
    DEFAULT_USER_AGENT,
)
from claimcheck.results import ExitCode

app = typer.Typer(
    name="claimcheck",
    help=(
        "Check a ledger of an article's factual claims: the schema, quotes in the article, "
        "consistency between claims, and link rot in the cited sources.\n\n"
        "Exit codes: 0 all good; 1 findings that fail; 2 usage or ledger errors; "
        "3 could not check (network down)."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


# The kinds a claim can have, as --kind choices (spelled out: models import pydantic,
# which --help must not pay for; tests/test_cli.py keeps the two lists equal).
ClaimKindChoice = StrEnum("ClaimKindChoice", ["count", "date", "period", "fact", "quote"])


LedgerArg = Annotated[
    Path | None,
    typer.Argument(help="Ledger file (JSON). Default: the bundled ledger.", show_default=False),
]
ReportFormatOpt = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
ListFormatOpt = Annotated[
    ListFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"claimcheck {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """claimcheck: keep a claims ledger honest."""


@app.command()
def verify(
    ledger: LedgerArg = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Skip the link check (no network use).")
    ] = False,
    fmt: ReportFormatOpt = ReportFormat.table,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every finding, grouped by measure.")
    ] = False,
    fail_on: lc.FailOnOpt = None,
    timeout: lc.TimeoutOpt = 20.0,
    max_concurrency: lc.MaxConcurrencyOpt = DEFAULT_MAX_CONCURRENCY,
    max_per_host: lc.MaxPerHostOpt = DEFAULT_MAX_PER_HOST,
    retries: lc.RetriesOpt = 2,
    user_agent: lc.UserAgentOpt = DEFAULT_USER_AGENT,
    exclude: lc.ExcludeOpt = None,
    allow_private: lc.AllowPrivateOpt = False,
    archive_endpoint: lc.ArchiveEndpointOpt = DEFAULT_ARCHIVE_ENDPOINT,
    no_archive: lc.NoArchiveOpt = False,
    cache: lc.CacheOpt = None,
    no_cache: lc.NoCacheOpt = False,
    ttl: lc.TtlOpt = "1d",
    confirm: lc.ConfirmOpt = 1,
) -> None:
    """Validate the ledger, anchor quotes and figures, run the consistency rules, check links."""
    from claimcheck.cli_common import emit, load_or_exit, report_ledger_error
    from claimcheck.links import links_exit_code
    from claimcheck.loader import LedgerError
    from claimcheck.pipeline import exit_code_for, run_verify
    from claimcheck.results import LinkSummary

    # Built (and so checked) even with --offline: a typo in an option is an error now,
    # not on the first run with a network.
    options = lc.build_options(
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
    )
    loaded = load_or_exit(ledger, fmt.value)
    try:
        report = run_verify(loaded)
    except LedgerError as err:  # the document's text cannot be read
        report_ledger_error(err, fmt.value)
    if offline:
        report.links = []
        report.link_summary = LinkSummary(checked=False, note="--offline")
    else:
        show = fmt is ReportFormat.table
        report.links, report.link_summary = lc.run_links(loaded, options, show_progress=show)
        report.fail_on = options.fail_on
        link_code = links_exit_code(report.links, report.link_summary, options)
        # A failing finding outranks links that could not be checked.
        if exit_code_for(report.findings) == ExitCode.OK:
            report.exit_code = link_code
    report.brief = not verbose
    emit(report, fmt.value)
    raise typer.Exit(int(report.exit_code))


@app.command()
def check(ledger: LedgerArg = None, fmt: ReportFormatOpt = ReportFormat.table) -> None:
    """Run the consistency rules and explain each result with its arithmetic."""
    from claimcheck.cli_common import emit, load_or_exit
    from claimcheck.pipeline import run_check

    report = run_check(load_or_exit(ledger, fmt.value))
    emit(report, fmt.value)
    raise typer.Exit(int(report.exit_code))


@app.command()
def claims(
    ledger: LedgerArg = None,
    source: Annotated[str | None, typer.Option(help="Only claims citing this source id.")] = None,
    measure: Annotated[
        str | None, typer.Option(help="Only claims on this measure (shown as a time series).")
    ] = None,
    place: Annotated[
        str | None, typer.Option(help="Only claims on this place or a place inside it.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only claims whose time reaches this date or later.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only claims whose time starts by this date.")
    ] = None,
    kind: Annotated[ClaimKindChoice | None, typer.Option(help="Only claims of this kind.")] = None,
    said_by: Annotated[
        str | None, typer.Option("--said-by", help="Only claims attributed to this party id.")
    ] = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """List claims, filtered by source, measure, place, date or kind."""
    from claimcheck.cli_common import fail, load_or_exit
    from claimcheck.listing import ClaimFilter, FilterError, claims_listing, select_claims
    from claimcheck.reporters import render_listing

    loaded = load_or_exit(ledger, fmt.value)
    flt = ClaimFilter(source, measure, place, since, until, kind.value if kind else None, said_by)
    try:
        selected = select_claims(loaded, flt)
    except FilterError as err:
        fail(str(err))
    listing = claims_listing(loaded, selected, time_series=measure is not None)
    render_listing(listing, fmt.value, sys.stdout)


@app.command()
def sources(ledger: LedgerArg = None, fmt: ListFormatOpt = ListFormat.table) -> None:
    """List sources with the number of claims resting on each and its URL."""
    from claimcheck.cli_common import load_or_exit
    from claimcheck.listing import sources_listing
    from claimcheck.reporters import render_listing

    render_listing(sources_listing(load_or_exit(ledger, fmt.value)), fmt.value, sys.stdout)


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (atomically).")
    ] = None,
) -> None:
    """Print the ledger's JSON Schema (the committed claims.schema.json is this output)."""
    from claimcheck.schema import schema_text

    text = schema_text()
    if output is None:
        sys.stdout.write(text)
    else:
        from claimcheck.atomic import write_atomic
        from claimcheck.cli_common import fail

        try:
            write_atomic(output, text)
        except OSError as err:
            fail(f"cannot write {output}: {err.strerror or err}")


app.command("links")(lc.links_command)


def main() -> None:
    """Entry point of the ``claimcheck`` console script."""
    # A one-shot command builds one large graph of models and findings and then exits:
    # reference counting frees what it drops, while the cycle collector would rescan
    # the whole graph again and again (a third of `check` on 100,000 claims). The link
    # checker, which runs an event loop, turns it back on.
    gc.disable()
    app()
