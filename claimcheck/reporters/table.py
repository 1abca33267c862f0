"""Tables for people, drawn with Rich.

Every text is shown-escaped first (``escape.visible``: no escape sequence, bidi override or
line break from a ledger or a server reaches the terminal), and Rich prints it with markup
off, so ``[red]`` in a ledger is text.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import TextIO, cast

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from claimcheck.reporters.common import (
    LINK_COLUMNS,
    SYMBOL,
    compact,
    link_line,
    link_rows,
    sections,
    verdict,
)
from claimcheck.reporters.escape import visible_listing, visible_report
from claimcheck.reporters.layout import TrimmedLines, fits, wrapped, write_records
from claimcheck.results import ExitCode, Finding, Listing, Report, Status
from claimcheck.wording import plural

STYLE = {
    Status.PASS: "green",
    Status.FAIL: "bold red",
    Status.WARN: "yellow",
    Status.UNKNOWN: "cyan",
}
# Rich lays out every cell of a table before printing; past this many rows a plain
# column layout keeps `claims` on a 100,000-claim ledger within seconds.
RICH_ROW_LIMIT = 2000


def console_for(out: TextIO) -> Console:
    """A console on ``out``: colour only on a terminal, and never when NO_COLOR is set."""
    is_tty = out.isatty() if hasattr(out, "isatty") else False
    return Console(
        file=out,
        highlight=False,
        markup=False,
        emoji=False,
        # NO_COLOR counts when set to something (https://no-color.org): empty is unset.
        no_color=bool(os.environ.get("NO_COLOR")) or None,
        # Piped output is 120 wide unless COLUMNS says otherwise (Rich reads it).
        width=None if is_tty or os.environ.get("COLUMNS") else 120,
        soft_wrap=False,
    )


def _rich_table(columns: list[str], rows: list[list[str]], title: str | None = None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)
    for name in columns:
        # Ids are what users copy and grep for: never cut them; long cells (URLs,
        # titles) wrap whole rather than end in an ellipsis. (A min_width here makes Rich
        # crop the last column, so none is set.)
        fold = name in ("url", "archive", "title", "detail")
        table.add_column(name, no_wrap=name == "id", overflow="fold" if fold else "ellipsis")
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    return table


def _plain_table(columns: list[str], rows: list[list[str]], out: TextIO) -> None:
    widths = [len(c) for c in columns]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = min(max(widths[i], len(cell)), 60)

    def line(cells: list[str]) -> str:
        return "  ".join(
            (c if len(c) <= widths[i] else c[: widths[i] - 1] + "…").ljust(widths[i])
            for i, c in enumerate(cells)
        ).rstrip()

    out.write(line(columns) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    out.write("\n".join(line(r) for r in rows))
    out.write("\n")


def render_listing(listing: Listing, out: TextIO) -> None:
    """A listing as a table (plain columns past :data:`RICH_ROW_LIMIT` rows; one block
    per record on a terminal too narrow for its columns)."""
    listing = visible_listing(listing)
    out = cast(TextIO, TrimmedLines(out))
    console = console_for(out)
    if len(listing.rows) > RICH_ROW_LIMIT:
        out.write(listing.heading + "\n")
        _plain_table(listing.columns, listing.rows, out)
    elif not fits(listing.columns, listing.rows, console.width):
        out.write(wrapped(listing.heading, console.width))
        write_records(listing.columns, listing.rows, console.width, out)
    else:
        console.print(_rich_table(listing.columns, listing.rows, listing.heading))
    if listing.note:
        out.write(wrapped(listing.note, console.width))
    out.flush()


def _findings_grid(findings: list[Finding]) -> Table:
    """Symbol, check and message in columns, so wrapped messages stay in theirs."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(ratio=1)
    for f in findings:
        message = Text(f.message)
        if f.claims and not any(c in f.message for c in f.claims):
            message.append(f"  [{', '.join(f.claims)}]", style="dim")
        if f.detail:
            message.append("\n" + f.detail, style="dim")
        if f.location and f.status in (Status.FAIL, Status.WARN):
            message.append(f"\nat {f.location}", style="dim")
        grid.add_row(Text(SYMBOL[f.status], style=STYLE[f.status]), f.check, message)
    return grid


def _print_findings(
    console: Console, out: TextIO, findings: list[Finding], plain: bool = False
) -> None:
    """A grid for a readable number of findings; plain lines past :data:`RICH_ROW_LIMIT`."""
    if not plain and len(findings) <= RICH_ROW_LIMIT:
        console.print(_findings_grid(findings))
        return
    width = max(len(f.check) for f in findings)
    for f in findings:
        out.write(f"{SYMBOL[f.status]} {f.check:<{width}} {f.message}\n")
        if f.location and f.status in (Status.FAIL, Status.WARN):
            out.write(f"  {'':<{width}} at {f.location}\n")


def _count(n: int, status: Status) -> str:
    if status == Status.WARN:
        return plural(n, "warning")
    return f"{n:,} " + {"pass": "passed", "fail": "failed", "unknown": "unknown"}[status.value]


def _worst(findings: list[Finding]) -> Status:
    for status in (Status.FAIL, Status.WARN, Status.UNKNOWN):
        if any(f.status == status for f in findings):
            return status
    return Status.PASS


def _brief(report: Report, console: Console, out: TextIO) -> None:
    """One line per section, then only the findings that need attention."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    order = (Status.FAIL, Status.WARN, Status.UNKNOWN, Status.PASS)
    for sec in sections(report):
        counts = Counter(f.status for f in sec.findings)
        tally = ", ".join(_count(counts[st], st) for st in order if counts[st])
        passed = [f.message for f in sec.findings if f.status == Status.PASS]
        if len(sec.findings) <= 3 and passed and not counts[Status.FAIL]:
            # A few passing checks say more in their own words than as a count.
            others = ", ".join(_count(counts[st], st) for st in order[1:3] if counts[st])
            line = "; ".join(passed) + (f"; {others}" if others else "")
        else:
            line = tally
        worst = _worst(sec.findings)
        grid.add_row(Text(SYMBOL[worst], style=STYLE[worst]), sec.title, Text(line))
    summary = report.link_summary
    if report.links is not None and summary is not None:
        status, line = link_line(report)
        grid.add_row(Text(SYMBOL[status], style=STYLE[status]), "Links", Text(line))
    console.print(grid)
    attention = [f for f in report.findings if f.status != Status.PASS]
    if attention:
        console.print()
        console.print(Text("Needs attention:", style="bold"))
        _print_findings(console, out, attention, plain=len(attention) > RICH_ROW_LIMIT)


def render(report: Report, out: TextIO) -> None:
    """The report: sections of findings with ✓ ✗ ! ?, link problems, then the verdict;
    with several ledgers, that for each ledger, then the verdict of the run."""
    report = visible_report(report)
    out = cast(TextIO, TrimmedLines(out))
    console = console_for(out)
    for i, part in enumerate(report.ledger_reports()):
        if i:
            console.print()
        _render_one(part, console, out)
    if report.parts:
        console.print()
        console.rule(style="dim")
        _print_verdict(report, console)
    out.flush()


def _render_one(report: Report, console: Console, out: TextIO) -> None:
    console.print(Text(f"{report.title} · {report.ledger}", style="bold"))
    if "findings" in report.sections and report.brief:
        console.print()
        _brief(report, console, out)
    elif "findings" in report.sections:
        many = len(report.findings) > RICH_ROW_LIMIT
        secs = sections(report)
        # Rich lays out each row at length: past the limit in all, every table is plain.
        plain_rows = (
            sum(len(sec.listing.rows) for sec in secs if sec.listing is not None) > RICH_ROW_LIMIT
        )
        for sec in secs:
            console.print()
            console.rule(Text(sec.title), align="left", style="dim")
            if sec.listing is not None:
                columns, rows = compact(sec.listing.columns, sec.listing.rows)
                if plain_rows:
                    _plain_table(columns, rows, out)
                elif not fits(columns, rows, console.width):
                    write_records(columns, rows, console.width, out)
                    out.write("\n")
                else:
                    console.print(_rich_table(columns, rows))
            _print_findings(console, out, sec.findings, plain=many)
    summary = report.link_summary
    if report.links is not None and report.brief and "findings" in report.sections:
        rows = link_rows(report, only_problems=True)
        if rows and (summary is None or summary.checked):
            console.print()
            console.print(_rich_table(LINK_COLUMNS, rows, "Links with problems or warnings"))
    elif report.links is not None:
        console.print()
        console.rule(Text("Links"), align="left", style="dim")
        if summary is not None and not summary.checked:
            console.print(
                Text(f"? links not checked: {summary.note or 'network down'}", style="cyan")
            )
        else:
            rows = link_rows(report, only_problems=True)
            if rows:
                console.print(_rich_table(LINK_COLUMNS, rows))
            if summary is not None:
                counts = ", ".join(f"{n} {s}" for s, n in sorted(summary.by_status.items()))
                console.print(Text(f"{summary.total} links checked: {counts}"))
    console.print()
    _print_verdict(report, console)


def _print_verdict(report: Report, console: Console) -> None:
    style = "bold green" if report.exit_code == ExitCode.OK else "bold red"
    if report.exit_code == ExitCode.NOT_CHECKED:
        style = "bold yellow"
    console.print(Text(verdict(report), style=style))
