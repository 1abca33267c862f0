"""``claimcheck sources``: the sources, their claim counts and URLs."""

from __future__ import annotations

from claimcheck.cli.common import LedgerArg, ListFormatOpt
from claimcheck.formats import ListFormat


def sources(ledger: LedgerArg = None, fmt: ListFormatOpt = ListFormat.table) -> None:
    """List sources with the number of claims resting on each and its URL."""
    from claimcheck import api
    from claimcheck.cli.common import emit_listing, run_or_exit

    emit_listing(run_or_exit(lambda: api.sources(ledger), fmt.value), fmt.value)
