"""``claimcheck check``: the consistency report."""

from __future__ import annotations

from claimcheck.cli.common import LedgersArg, ReportFormatOpt
from claimcheck.formats import ReportFormat


def check(ledgers: LedgersArg = None, fmt: ReportFormatOpt = ReportFormat.table) -> None:
    """Run the consistency rules and explain each result with its arithmetic."""
    from claimcheck import api
    from claimcheck.cli.common import emit, run_or_exit

    emit(run_or_exit(lambda: api.check(ledgers or []), fmt.value), fmt.value)
