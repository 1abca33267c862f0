"""``claimcheck coverage``: the article's figures and dates that no claim tracks yet."""

from __future__ import annotations

from typing import Annotated

import typer

from claimcheck.cli.common import LedgerArg, ListFormatOpt
from claimcheck.formats import ListFormat


def coverage(
    ledger: LedgerArg = None,
    every: Annotated[
        bool,
        typer.Option(
            "--all", help="List every figure and date with its status, not only those not covered."
        ),
    ] = False,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """List the article's figures and dates that no claim's quote covers, with their line
    and sentence (a ledger's `left_out` passages say which are left out on purpose)."""
    from claimcheck import api
    from claimcheck.cli.common import emit_listing, run_or_exit

    emit_listing(run_or_exit(lambda: api.coverage(ledger, every), fmt.value), fmt.value)
