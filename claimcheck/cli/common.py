"""What every command shares: the ledger argument, ``--format``, and reporting problems.

Light to import (no pydantic, rich or httpx): ``claimcheck --help`` imports it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from claimcheck.formats import ListFormat, ReportFormat
from claimcheck.results import ExitCode

if TYPE_CHECKING:
    from claimcheck.loader import LedgerError
    from claimcheck.results import Listing, Report

T = TypeVar("T")

_DEFAULT = "Default: claims.json or data/claims.json in the working folder, else the bundled one."
LedgerArg = Annotated[
    Path | None,
    typer.Argument(help=f"Ledger file (JSON). {_DEFAULT}", show_default=False, metavar="LEDGER"),
]
LedgersArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Ledger files, folders (their *.json ledgers) or glob patterns, any number; "
        f"one report with a section per ledger. {_DEFAULT}",
        show_default=False,
        metavar="LEDGER",
    ),
]
DossierOpt = Annotated[
    bool,
    typer.Option(
        "--dossier",
        help="Check all the ledgers as one story: their claims compared with each other "
        "(a dossier file always is one).",
    ),
]
ReportFormatOpt = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
ListFormatOpt = Annotated[
    ListFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]


def warn(line: str) -> None:
    """Write ``line`` on stderr, every unsafe character shown escaped (it may quote a
    ledger, a path or a server)."""
    from claimcheck.reporters.escape import visible

    sys.stderr.write(visible(line) + "\n")


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> NoReturn:
    """Print ``claimcheck: error: message`` on stderr and exit with ``code``; a machine
    ``--format`` (and every ``--report`` file) gets the error document too."""
    from claimcheck.cli.output import usage_problem, write_problems

    warn(f"claimcheck: error: {message}")
    write_problems([usage_problem(message)])
    raise SystemExit(int(code))


def print_problems(problems: list[str], what: str) -> NoReturn:
    """Print each located problem on its own line on stderr and exit 2; a machine
    ``--format`` (and every ``--report`` file) gets the error document too."""
    from claimcheck.cli.output import usage_problem, write_problems

    for problem in problems:
        warn(problem)
    if len(problems) > 1:
        warn(f"claimcheck: {len(problems)} problems; {what}")
    write_problems([usage_problem(p) for p in problems])
    raise SystemExit(int(ExitCode.USAGE))


def report_ledger_error(err: LedgerError, fmt: str = "table") -> NoReturn:
    """Print every located problem, one per line on stderr, and exit 2.

    Machine formats also get the problems on stdout, and every ``--report`` file gets
    them, so a CI job that reads the JSON, the JUnit file or the annotations sees why
    nothing was checked.
    """
    for problem in err.problems:
        warn(str(problem))
    n = len(err.problems)
    files = len({p.file for p in err.problems})
    if files > 1:
        warn(f"claimcheck: {n} problems in {files} files; nothing was checked")
    elif n > 1:
        warn(f"claimcheck: {n} problems; the ledger was not checked")
    from claimcheck.cli.output import write_problems

    write_problems(err.problems)
    raise SystemExit(int(ExitCode.USAGE))


def run_or_exit(job: Callable[[], T], fmt: str = "table") -> T:
    """Run a library call; a problem the user caused becomes its message and exit 2."""
    from claimcheck.links import LinkOptionsError
    from claimcheck.listing import FilterError
    from claimcheck.loader import LedgerError

    try:
        return job()
    except LedgerError as err:
        report_ledger_error(err, fmt)
    except (LinkOptionsError, FilterError) as err:
        fail(str(err))


def print_notes(notes: list[str]) -> None:
    """Notes of the run on stderr, so that stdout keeps only the report."""
    for note in notes:
        # A store set aside (a file renamed on the user's disk) deserves more than a note.
        level = "warning" if note.startswith("link cache") else "note"
        warn(f"claimcheck: {level}: {note}")


def emit(report: Report, fmt: str) -> NoReturn:
    """Render ``report`` on stdout in format ``fmt`` and into every ``--report`` file,
    its notes on stderr, and exit with its exit code (2 when a report file could not be
    written)."""
    from claimcheck.cli.output import write_reports
    from claimcheck.reporters import get_reporter

    print_notes(report.notes)
    failed = write_reports(report)
    get_reporter(fmt)(report, sys.stdout)
    sys.stdout.flush()
    for reason in failed:  # a report CI waits for is missing: the run is not usable
        warn(f"claimcheck: error: {reason}")
    raise typer.Exit(int(ExitCode.USAGE if failed else report.exit_code))


def emit_listing(listing: Listing, fmt: str) -> None:
    """Render ``listing`` on stdout in format ``fmt``."""
    from claimcheck.reporters import render_listing

    render_listing(listing, fmt, sys.stdout)
