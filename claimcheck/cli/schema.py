"""``claimcheck schema``: the ledger's JSON Schema, printed or written to a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (atomically).", metavar="FILE"),
    ] = None,
    report: Annotated[
        bool,
        typer.Option(
            "--report",
            help="The schema of --format json output instead (report.schema.json).",
        ),
    ] = False,
) -> None:
    """Print the ledger's JSON Schema (the committed claims.schema.json is this output)."""
    if report:
        from claimcheck.report_schema import report_schema_text

        text = report_schema_text()
    else:
        from claimcheck.schema import schema_text

        text = schema_text()
    if output is None:
        sys.stdout.write(text)
        return
    from claimcheck.atomic import write_atomic
    from claimcheck.cli.common import fail

    try:
        write_atomic(output, text)
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror or err}")
