"""``claimcheck check``: the consistency report."""

from __future__ import annotations

from claimcheck.cli.common import DossierOpt, LedgersArg, ReportFormatOpt
from claimcheck.cli.output import ReportsOpt
from claimcheck.formats import ReportFormat


def check(
    ledgers: LedgersArg = None,
    dossier: DossierOpt = False,
    fmt: ReportFormatOpt = ReportFormat.table,
    reports: ReportsOpt = None,
) -> None:
    """Run the consistency rules and explain each result with its arithmetic."""
    from claimcheck import api
    from claimcheck.cli.common import emit, run_or_exit
    from claimcheck.cli.output import begin

    begin(fmt.value, reports)

    emit(run_or_exit(lambda: api.check(ledgers or [], dossier), fmt.value), fmt.value)
