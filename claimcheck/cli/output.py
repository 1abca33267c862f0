"""Where a run's reports go: ``--format`` on stdout, ``--report FORMAT=PATH`` to files.

One run renders its report once per format asked for, so nothing is checked or fetched
twice to get JUnit, SARIF and a Markdown summary out of one CI step. A run that stops
before any check (a usage error, a ledger that cannot be used) still gives every machine
format its error document: the JSON object of the command's usual shape with
``errors``, SARIF results, JUnit failures, ``::error`` annotations.

Light to import: ``claimcheck --help`` loads it.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

# Typer carries its own copy of click; its exceptions are the ones raised here.
from typer._click.core import Context
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer.core import TyperGroup

from claimcheck.formats import ReportFormat

if TYPE_CHECKING:
    from claimcheck.loader import Problem
    from claimcheck.results import Report

ReportsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--report",
        metavar="FORMAT=PATH",
        help="Also write the report in FORMAT to the file PATH (repeatable): the same run, "
        "rendered again. FORMAT is one of table, json, markdown, junit, github, sarif.",
        show_default=False,
    ),
]


@dataclass(frozen=True)
class ReportTarget:
    """One ``--report``: a format and the file it goes to."""

    fmt: str
    path: Path


@dataclass
class Output:
    """What the running command was asked to print, for every way out of it."""

    command: str = ""
    fmt: str = "table"
    reports: list[ReportTarget] = field(default_factory=list)


CURRENT = Output()
"""The request of the command running now (set from the command line, then by it)."""

_MACHINE = {"json", "markdown", "junit", "github", "sarif"}


def parse_reports(values: Sequence[str] | None) -> list[ReportTarget]:
    """``FORMAT=PATH`` values → targets; a bad one is a usage error (raised as
    ``BadParameter`` so it is reported like any option error, before any work)."""
    out: list[ReportTarget] = []
    names = ", ".join(f.value for f in ReportFormat)
    for value in values or []:
        fmt, sep, path = value.partition("=")
        fmt = fmt.strip().lower()
        if not sep or not path:
            raise typer.BadParameter(f"{value!r} is not FORMAT=PATH", param_hint="'--report'")
        if fmt not in {f.value for f in ReportFormat}:
            raise typer.BadParameter(
                f"unknown format {fmt!r} (choose from: {names})", param_hint="'--report'"
            )
        target = ReportTarget(fmt, Path(path))
        if target.path.is_dir():
            raise typer.BadParameter(f"{path} is a folder, not a file", param_hint="'--report'")
        if not target.path.parent.is_dir():
            raise typer.BadParameter(
                f"{path}: no folder {target.path.parent}", param_hint="'--report'"
            )
        if any(t.path == target.path for t in out):
            raise typer.BadParameter(f"{path} is named twice", param_hint="'--report'")
        _check_writable(target.path)
        out.append(target)
    return out


def _check_writable(path: Path) -> None:
    """Refuse now what the safe writer would refuse at the end (a folder, a socket, a
    read-only file); a device or a FIFO is fine: it is written as a stream."""
    from claimcheck.atomic import check_writable

    try:
        check_writable(path)
    except OSError as err:
        reason = err.strerror or str(err)
        raise typer.BadParameter(f"{path}: {reason}", param_hint="'--report'") from None


def begin(fmt: str, reports: Sequence[str] | None = None) -> None:
    """Called first by a command: its format, and its ``--report`` targets (checked now,
    so that a long run does not end in a refusal)."""
    CURRENT.fmt = fmt
    CURRENT.reports = parse_reports(reports)


def _write(target: ReportTarget, text: str) -> str | None:
    """Write one report file through the shared safe writer; the reason when it fails."""
    from claimcheck.atomic import write_atomic

    try:
        write_atomic(target.path, text)
    except OSError as err:
        return f"cannot write the {target.fmt} report to {target.path}: {err.strerror or err}"
    return None


def write_reports(report: Report) -> list[str]:
    """Render ``report`` into every ``--report`` file; the reasons of those that failed."""
    from claimcheck.reporters import get_reporter

    failed = []
    for target in CURRENT.reports:
        buffer = io.StringIO()
        get_reporter(target.fmt)(report, buffer)
        reason = _write(target, buffer.getvalue())
        if reason:
            failed.append(reason)
    return failed


def write_problems(problems: Sequence[Problem], ledger: str | None = None) -> None:
    """The error document of a run that stopped (exit 2): on stdout in a machine
    ``--format``, and in every ``--report`` file (a file that cannot be written is told
    on stderr; the run is failing already)."""
    from claimcheck.reporters.errors import render_problems

    command = CURRENT.command or "verify"
    if CURRENT.fmt in _MACHINE:
        render_problems(problems, CURRENT.fmt, sys.stdout, command, ledger)
        sys.stdout.flush()
    for target in CURRENT.reports:
        buffer = io.StringIO()
        render_problems(problems, target.fmt, buffer, command, ledger)
        reason = _write(target, buffer.getvalue())
        if reason:
            from claimcheck.cli.common import warn

            warn(f"claimcheck: error: {reason}")


def usage_problem(message: str) -> Problem:
    """A usage error as a problem with no file."""
    from claimcheck.loader import Problem

    return Problem("", message)


# --- the command line, read before click parses it ------------------------------------------


def _format_in(argv: list[str]) -> str:
    """The ``--format`` value of ``argv`` as typed (``table`` when there is none)."""
    fmt = "table"
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg in ("--format", "-f") and i + 1 < len(argv):
            fmt = argv[i + 1]
        elif arg.startswith("--format="):
            fmt = arg.split("=", 1)[1]
        elif arg.startswith("-f") and not arg.startswith("--") and len(arg) > 2:
            fmt = arg[2:]
    return fmt.lower()


class ClaimcheckGroup(TyperGroup):
    """The command group: knows the format asked for before options are parsed, so an
    option error under ``--format json`` is a JSON error object too."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        names = [a for a in argv if not a.startswith("-")]
        CURRENT.command = names[0] if names and names[0] in self.commands else ""
        CURRENT.fmt = _format_in(argv)
        CURRENT.reports = []
        return super().main(argv, *rest, **kwargs)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Context | None = None,
        **extra: Any,
    ) -> Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except ClickException as exc:
            _machine_usage_error(exc)
            raise

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClickException as exc:
            _machine_usage_error(exc)
            raise


def _machine_usage_error(exc: ClickException) -> None:
    if isinstance(exc, NoArgsIsHelpError):  # help asked for, in effect: not an error
        return
    if CURRENT.fmt in _MACHINE and CURRENT.command:
        write_problems([usage_problem(exc.format_message())])
