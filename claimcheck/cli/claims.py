"""``claimcheck claims``: list claims, filtered."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from claimcheck.cli.common import LedgerArg, ListFormatOpt
from claimcheck.formats import ListFormat

# The kinds a claim can have, as --kind choices (spelled out: models import pydantic,
# which --help must not pay for; tests/test_cli.py keeps the two lists equal).
ClaimKindChoice = StrEnum("ClaimKindChoice", ["count", "date", "period", "fact", "quote"])


def claims(
    ledger: LedgerArg = None,
    source: Annotated[
        str | None, typer.Option(help="Only claims citing this source id.", metavar="ID")
    ] = None,
    measure: Annotated[
        str | None,
        typer.Option(help="Only claims on this measure (shown as a time series).", metavar="ID"),
    ] = None,
    place: Annotated[
        str | None,
        typer.Option(help="Only claims on this place or a place inside it.", metavar="ID"),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only claims whose time reaches this date or later.", metavar="DATE"),
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only claims whose time starts by this date.", metavar="DATE")
    ] = None,
    kind: Annotated[ClaimKindChoice | None, typer.Option(help="Only claims of this kind.")] = None,
    said_by: Annotated[
        str | None,
        typer.Option("--said-by", help="Only claims attributed to this party id.", metavar="ID"),
    ] = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """List claims, filtered by source, measure, place, date or kind."""
    from claimcheck import api
    from claimcheck.cli.common import emit_listing, run_or_exit
    from claimcheck.listing import ClaimFilter

    where = ClaimFilter(source, measure, place, since, until, kind.value if kind else None, said_by)
    emit_listing(run_or_exit(lambda: api.claims(ledger, where), fmt.value), fmt.value)
