"""Markdown: fits a CI job summary ($GITHUB_STEP_SUMMARY) or a pull-request comment."""

from __future__ import annotations

from typing import TextIO

from claimcheck.reporters.common import (
    LINK_COLUMNS,
    SYMBOL,
    compact,
    link_rows,
    sections,
    verdict,
)
from claimcheck.results import Listing, Report


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(columns: list[str], rows: list[list[str]], out: TextIO) -> None:
    out.write("| " + " | ".join(columns) + " |\n")
    out.write("|" + "---|" * len(columns) + "\n")
    for row in rows:
        out.write("| " + " | ".join(_cell(c) for c in row) + " |\n")
    out.write("\n")


def render(report: Report, out: TextIO) -> None:
    """Write the report as Markdown (with several ledgers: the verdict of the run, then
    a section per ledger)."""
    if report.parts:
        out.write(f"## {report.title} · {report.ledger}\n\n**{verdict(report)}**\n\n")
    for part in report.ledger_reports():
        _render_one(part, out, "###" if report.parts else "##")


def _render_one(report: Report, out: TextIO, head: str) -> None:
    sub = head + "#"
    out.write(f"{head} {report.title} · `{report.ledger}`\n\n**{verdict(report)}**\n\n")
    if "findings" in report.sections:
        for sec in sections(report):
            out.write(f"{sub} {sec.title}\n\n")
            if sec.listing is not None:
                _table(*compact(sec.listing.columns, sec.listing.rows), out)
            for f in sec.findings:
                claims = f" ({', '.join(f'`{c}`' for c in f.claims)})" if f.claims else ""
                out.write(f"- {SYMBOL[f.status]} **{f.check}**{claims}: {_cell(f.message)}\n")
                if f.detail:
                    out.write(f"  <br>{_cell(f.detail)}\n")
            out.write("\n")
    if report.links is not None:
        out.write(f"{sub} Links\n\n")
        if report.link_summary is not None and not report.link_summary.checked:
            out.write(f"Links were not checked: {report.link_summary.note or 'network down'}.\n\n")
        rows = link_rows(report, only_problems=False)
        if rows:
            _table(LINK_COLUMNS, rows, out)


def render_listing(listing: Listing, out: TextIO) -> None:
    """Write the listing as a Markdown table."""
    out.write(f"### {listing.heading}\n\n")
    _table(listing.columns, listing.rows, out)
    if listing.note:
        out.write(f"{listing.note}\n")
