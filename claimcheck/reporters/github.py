"""GitHub Actions workflow commands: annotations on the ledger's lines."""

from __future__ import annotations

from typing import TextIO

from claimcheck.reporters.common import verdict
from claimcheck.results import Report, Status


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command."""
    # Workflow-command data must escape %, CR and LF; properties also , and :.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property (file, title) of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _where(location: str | None, fallback: str) -> str:
    if not location:
        return f"file={escape_property(fallback)}"
    parts = location.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit():
        return f"file={escape_property(parts[0])},line={parts[1]},col={parts[2]}"
    return f"file={escape_property(location)}"


def render(report: Report, out: TextIO) -> None:
    """Write one ``::error``/``::warning``/``::notice`` line per finding that needs eyes,
    each on its own ledger's file."""
    for part in report.ledger_reports():
        _render_one(part, out)
        # A plain log line: which ledger was checked, and how it went, even when all is well.
        out.write(f"{escape_data(part.title)} · {escape_data(part.ledger)}: ")
        out.write(f"{escape_data(verdict(part))}\n")
    if report.link_summary is not None and not report.link_summary.checked:
        note = escape_data(report.link_summary.note or "network unavailable")
        out.write(f"::warning title=links not checked::{note}\n")


def _render_one(report: Report, out: TextIO) -> None:
    level = {Status.FAIL: "error", Status.WARN: "warning", Status.UNKNOWN: "notice"}
    for f in report.findings:
        if f.status not in level:
            continue
        title = escape_property(f"{f.check} {','.join(f.claims)}".strip())
        body = f.message + (f"\n{f.detail}" if f.detail else "")
        out.write(f"::{level[f.status]} {_where(f.location, report.ledger)},title={title}::")
        out.write(escape_data(body) + "\n")
    checked = report.link_summary is None or report.link_summary.checked
    for link in report.links or []:
        if not checked:
            break
        if link.status.value == "ok" and not link.warnings:
            continue
        failing = link.status in report.fail_on and (link.history is None or link.history.confirmed)
        kind = "error" if failing else "warning"
        what = link.status.value + (
            f" [{', '.join(w.value for w in link.warnings)}]" if link.warnings else ""
        )
        body = f"{link.url}: {what}" + (f" – {link.detail}" if link.detail else "")
        if link.archive_url:
            body += f"\narchived copy: {link.archive_url}"
        body += f"\ncited by sources {', '.join(link.sources)}"
        title = escape_property(f"link {link.status.value}")
        out.write(
            f"::{kind} file={escape_property(report.ledger)},title={title}::{escape_data(body)}\n"
        )
