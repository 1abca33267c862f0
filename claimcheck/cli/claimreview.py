"""``claimcheck claimreview``: the verdicts as schema.org ClaimReview JSON-LD."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from claimcheck.cli.common import DossierOpt, LedgersArg


def claimreview(
    ledgers: LedgersArg = None,
    url: Annotated[
        str,
        typer.Option(
            "--url",
            help="The page that publishes the fact check (each review links #claim-ID).",
            metavar="URL",
        ),
    ] = "",
    author: Annotated[
        str | None,
        typer.Option("--author", help="The organisation publishing the reviews.", metavar="NAME"),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="Publication date of the reviews (ISO 8601).", metavar="DATE"),
    ] = None,
    dossier: DossierOpt = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (atomically).", metavar="FILE"),
    ] = None,
) -> None:
    """Export the verdicts as schema.org ClaimReview JSON-LD: one review per claim that a
    finding settles (Consistent or Inconsistent), the article as the claim's appearance."""
    from claimcheck import api
    from claimcheck.cli.common import fail, run_or_exit

    if not url:
        fail("--url is required: the address of the page that publishes the fact check")
    reviewer = api.Reviewer(url=url, author=author, date=date)
    try:
        reviews = run_or_exit(lambda: api.claimreview(ledgers or [], reviewer, dossier))
    except ValueError as err:
        fail(str(err))
    from claimcheck.reporters.escape import json_text

    text = json_text(reviews) + "\n"  # exact data; no raw control or bidi character
    if output is None:
        sys.stdout.write(text)
        return
    from claimcheck.atomic import write_atomic

    try:
        write_atomic(output, text)
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror or err}")
