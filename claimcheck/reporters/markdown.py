"""Markdown: fits a CI job summary ($GITHUB_STEP_SUMMARY) or a pull-request comment.

Nothing from the ledger or a server becomes markup: prose is backslash-escaped, ids,
URLs and paths are code spans, and ``@`` and ``#`` never reach the text where GitHub or
GitLab would turn them into a mention or an issue link (see ``escape.md_text``). The
only HTML is none at all.
"""

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
from claimcheck.reporters.escape import md_code, md_text
from claimcheck.results import Listing, Report

# Cells that hold identifiers or addresses: code spans, never links or mentions.
_CODE_COLUMNS = {"id", "sources"}
_URL_COLUMNS = {"url", "archive"}


def _cell(column: str, text: str) -> str:
    if column in _CODE_COLUMNS or (column in _URL_COLUMNS and "://" in text):
        return md_code(text, in_table=True)
    return md_text(text)


def _table(columns: list[str], rows: list[list[str]], out: TextIO) -> None:
    out.write("| " + " | ".join(md_text(c) for c in columns) + " |\n")
    out.write("|" + "---|" * len(columns) + "\n")
    for row in rows:
        out.write("| " + " | ".join(_cell(col, c) for col, c in zip(columns, row, strict=True)))
        out.write(" |\n")
    out.write("\n")


def render(report: Report, out: TextIO) -> None:
    """Write the report as Markdown (with several ledgers: the verdict of the run, then
    a section per ledger)."""
    if report.parts:
        out.write(f"## {md_text(report.title)} · {md_text(report.ledger)}\n\n")
        out.write(f"**{md_text(verdict(report))}**\n\n")
    for part in report.ledger_reports():
        _render_one(part, out, "###" if report.parts else "##")


def _render_one(report: Report, out: TextIO, head: str) -> None:
    sub = head + "#"
    out.write(f"{head} {md_text(report.title)} · {md_code(report.ledger)}\n\n")
    out.write(f"**{md_text(verdict(report))}**\n\n")
    if "findings" in report.sections:
        for sec in sections(report):
            out.write(f"{sub} {md_text(sec.title)}\n\n")
            if sec.listing is not None:
                _table(*compact(sec.listing.columns, sec.listing.rows), out)
            for f in sec.findings:
                claims = f" ({', '.join(md_code(c) for c in f.claims)})" if f.claims else ""
                out.write(f"- {SYMBOL[f.status]} **{md_text(f.check)}**{claims}: ")
                out.write(md_text(f.message))
                # Each line of the detail after a hard line break (\); no line starts
                # with data.
                for line in f.detail.split("\n") if f.detail else ():
                    out.write(f"\\\n  ↳ {md_text(line)}")
                out.write("\n")
            out.write("\n")
    if report.links is not None:
        out.write(f"{sub} Links\n\n")
        summary = report.link_summary
        if summary is not None and not summary.checked:
            out.write(f"Links were not checked: {md_text(summary.note or 'network down')}.\n\n")
        rows = link_rows(report, only_problems=False)
        if rows:
            _table(LINK_COLUMNS, rows, out)


def render_listing(listing: Listing, out: TextIO) -> None:
    """Write the listing as a Markdown table."""
    out.write(f"### {md_text(listing.title)}")
    out.write(f" · {md_code(listing.ledger)}\n\n" if listing.ledger else "\n\n")
    _table(listing.columns, listing.rows, out)
    if listing.note:
        out.write(f"{md_text(listing.note)}\n")
