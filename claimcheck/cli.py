"""The command-line interface: parse options, run a library function, pick a reporter.

Heavy modules (pydantic models, rich, httpx) are imported inside the commands so that
``claimcheck --help`` answers at once.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from claimcheck import __version__

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


class ReportFormat(StrEnum):
    """Formats of a report (``verify``, ``check``, ``links``)."""

    table = "table"
    json = "json"
    markdown = "markdown"
    junit = "junit"
    github = "github"


class ListFormat(StrEnum):
    """Formats of a listing (``claims``, ``sources``)."""

    table = "table"
    json = "json"
    markdown = "markdown"


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
    timeout: Annotated[float, typer.Option(help="Seconds per link request.")] = 20.0,
    cache: Annotated[
        Path | None, typer.Option(help="SQLite file for link results (CI cache).")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the cache.")] = False,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow loopback and private addresses.")
    ] = False,
    archive_endpoint: Annotated[
        str, typer.Option(help="Base URL of the Wayback Machine (CDX and snapshots).")
    ] = "https://web.archive.org",
    exclude: Annotated[
        list[str] | None, typer.Option(help="Skip links matching this regular expression.")
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every finding, grouped by measure.")
    ] = False,
) -> None:
    """Validate the ledger, anchor quotes and figures, run the consistency rules, check links."""
    from claimcheck.cli_common import emit, fail, load_or_exit
    from claimcheck.loader import LedgerError
    from claimcheck.pipeline import run_verify

    loaded = load_or_exit(ledger)
    options = None
    if not offline:
        from claimcheck.links import LinkOptions

        options = LinkOptions(
            timeout=timeout,
            cache_path=cache,
            use_cache=not no_cache,
            allow_private=allow_private,
            archive_endpoint=archive_endpoint,
            exclude=list(exclude or []),
        )
    try:
        report = run_verify(loaded, options, progress=_progress(fmt))
    except LedgerError as err:
        from claimcheck.cli_common import report_ledger_error

        report_ledger_error(err)
    except ValueError as err:  # LinkOptionsError: a bad --exclude regex
        fail(str(err))
    if offline:
        from claimcheck.results import LinkSummary

        report.links = []
        report.link_summary = LinkSummary(checked=False, note="--offline")
    report.brief = not verbose
    emit(report, fmt.value)
    raise typer.Exit(int(report.exit_code))


def _progress(fmt: ReportFormat):  # type: ignore[no-untyped-def]
    """A progress callback on a terminal's stderr, or None."""
    if not sys.stderr.isatty():
        return None
    try:
        from claimcheck.links.progress import stderr_progress
    except ImportError:
        return None
    return stderr_progress()


@app.command()
def check(ledger: LedgerArg = None, fmt: ReportFormatOpt = ReportFormat.table) -> None:
    """Run the consistency rules and explain each result with its arithmetic."""
    from claimcheck.cli_common import emit, load_or_exit
    from claimcheck.pipeline import run_check

    report = run_check(load_or_exit(ledger))
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
    kind: Annotated[
        str | None,
        typer.Option(help="Only claims of this kind (count, date, period, fact, quote)."),
    ] = None,
    said_by: Annotated[
        str | None, typer.Option("--said-by", help="Only claims attributed to this party id.")
    ] = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """List claims, filtered by source, measure, place, date or kind."""
    from claimcheck.cli_common import fail, load_or_exit
    from claimcheck.listing import ClaimFilter, FilterError, claims_listing, select_claims
    from claimcheck.reporters import render_listing

    loaded = load_or_exit(ledger)
    flt = ClaimFilter(source, measure, place, since, until, kind, said_by)
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

    render_listing(sources_listing(load_or_exit(ledger)), fmt.value, sys.stdout)


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

        write_atomic(output, text)


def _register_links() -> None:
    try:
        from claimcheck.links.cli import links_command
    except ImportError:  # pragma: no cover - the link checker is part of the package
        return
    app.command("links")(links_command)


_register_links()


def main() -> None:
    """Entry point of the ``claimcheck`` console script."""
    app()
