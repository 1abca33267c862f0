"""The ``claimcheck`` command: the Typer app and its console-script entry point.

Each command lives in its own module (``claimcheck/cli/<command>.py``) and only parses
options, calls its function in :mod:`claimcheck.api` and picks a reporter. Heavy modules
(pydantic models, rich, httpx) are imported inside the commands so that
``claimcheck --help`` answers at once.
"""

from __future__ import annotations

import gc
import sys
from typing import Annotated, Any

import typer

from claimcheck import __version__
from claimcheck.cli.check import check
from claimcheck.cli.claimreview import claimreview
from claimcheck.cli.claims import claims
from claimcheck.cli.config import config
from claimcheck.cli.coverage import coverage
from claimcheck.cli.evidence import evidence
from claimcheck.cli.links import links
from claimcheck.cli.output import ClaimcheckGroup
from claimcheck.cli.report import report
from claimcheck.cli.schema import schema
from claimcheck.cli.sources import sources
from claimcheck.cli.verify import verify


def _argument_types_in_words() -> None:
    """Help shows an argument by its name in words (``LEDGER``), as options with a
    ``metavar`` are shown, never by its Python type (``<list[Path]>``)."""
    from typer.core import TyperArgument

    typed = TyperArgument.display_type_rich

    def display_type_rich(self: TyperArgument, ctx: Any) -> str | None:
        return None if self.metavar is not None else typed(self, ctx)

    TyperArgument.display_type_rich = display_type_rich  # type: ignore[method-assign,assignment]


_argument_types_in_words()

app = typer.Typer(
    name="claimcheck",
    help=(
        "Check a ledger of an article's factual claims: the schema, quotes in the article, "
        "consistency between claims, and link rot in the cited sources.\n\n"
        "Exit codes: 0 all good; 1 findings that fail; 2 usage or ledger errors; "
        "3 could not check (network down)."
    ),
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    cls=ClaimcheckGroup,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"claimcheck {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """claimcheck: keep a claims ledger honest."""


# In the order `claimcheck --help` lists them.
for command in (
    verify,
    check,
    links,
    evidence,
    claims,
    sources,
    coverage,
    claimreview,
    report,
    schema,
    config,
):
    app.command()(command)


def main() -> None:
    """Entry point of the ``claimcheck`` console script."""
    # A one-shot command builds one large graph of models and findings and then exits:
    # reference counting frees what it drops, while the cycle collector would rescan
    # the whole graph again and again (a third of `check` on 100,000 claims). The link
    # checker, which runs an event loop, turns it back on.
    gc.disable()
    from claimcheck.cli.process import run

    run(app)  # closed pipes, full disks and signals end with their documented codes
