"""What every command shares: finding the ledger, loading it or exiting 2, printing a report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

from claimcheck.loader import LedgerError, LoadedLedger, load_ledger
from claimcheck.results import ExitCode, Report

_PACKAGE = Path(__file__).resolve().parent


def bundled_ledger() -> Path:
    """The ledger shipped with claimcheck: in the wheel, or in the source tree."""
    installed = _PACKAGE / "_data" / "claims.json"
    if installed.exists():
        return installed
    return _PACKAGE.parent / "data" / "claims.json"


def resolve_ledger(path: Path | None) -> Path:
    """The ledger to use: ``path``, or the bundled one when none is given."""
    return path if path is not None else bundled_ledger()


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code``."""
    sys.stderr.write(f"claimcheck: error: {message}\n")
    raise SystemExit(int(code))


def report_ledger_error(err: LedgerError, fmt: str = "table") -> NoReturn:
    """Print every located problem, one per line on stderr, and exit 2.

    Machine formats also get the problems on stdout, so a CI job that reads the JSON,
    the JUnit file or the annotations sees why nothing was checked.
    """
    for problem in err.problems:
        sys.stderr.write(f"{problem}\n")
    n = len(err.problems)
    if n > 1:
        sys.stderr.write(f"claimcheck: {n} problems; the ledger was not checked\n")
    if fmt != "table":
        from claimcheck.reporters.errors import render_problems

        render_problems(err.problems, fmt, sys.stdout)
        sys.stdout.flush()
    raise SystemExit(int(ExitCode.USAGE))


def load_or_exit(path: Path | None, fmt: str = "table") -> LoadedLedger:
    """Load the ledger at ``path`` (bundled when None), or report why not and exit 2."""
    try:
        return load_ledger(resolve_ledger(path))
    except LedgerError as err:
        report_ledger_error(err, fmt)


def emit(report: Report, fmt: str) -> None:
    """Render ``report`` on stdout in format ``fmt``."""
    from claimcheck.reporters import get_reporter

    get_reporter(fmt)(report, sys.stdout)
    sys.stdout.flush()
