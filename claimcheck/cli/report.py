"""``claimcheck report``: the self-contained HTML report of ledgers or a dossier."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from claimcheck.cli.common import DossierOpt, LedgersArg


def report(
    ledgers: LedgersArg = None,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The HTML file to write (atomically).", metavar="FILE"),
    ] = Path("report.html"),
    dossier: DossierOpt = False,
    links: Annotated[
        bool,
        typer.Option(
            "--links",
            help="Also read every cited page and show the link and evidence verdicts, with "
            "archived copies (uses the network; default link options).",
        ),
    ] = False,
    title: Annotated[
        str | None, typer.Option("--title", help="The page's title.", metavar="TEXT")
    ] = None,
) -> None:
    """Write one self-contained HTML page (nothing loaded from elsewhere): the summary,
    a timeline chart per measure, the place tree, every finding with its arithmetic, the
    article with each quote highlighted and linked to its claim, filters."""
    import sys

    from claimcheck import api
    from claimcheck.atomic import write_atomic
    from claimcheck.cli.common import fail, run_or_exit
    from claimcheck.links import LinkOptions

    options = LinkOptions() if links else None
    made = run_or_exit(lambda: api.report(ledgers or [], dossier, options, title))
    try:
        write_atomic(output, made.html)
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror or err}")
    from claimcheck.reporters.common import verdict

    sys.stderr.write(f"claimcheck: wrote {output} · {verdict(made.report)}\n")
    raise typer.Exit(int(made.report.exit_code))
