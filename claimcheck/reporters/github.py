"""GitHub Actions workflow commands: annotations on the ledger's lines.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step and drops
the rest without a word. So the most severe come first, each kind is cut at its limit,
one notice says how many more there are, and those are printed as plain log lines (never
as commands) so the step log still holds every one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from claimcheck.reporters.common import failing_link, offline_run, split_location, verdict
from claimcheck.reporters.escape import gh_data, gh_property, visible
from claimcheck.results import Report, Status

LIMIT = 10
"""Annotations of one level GitHub shows per step."""
LEVELS = ("error", "warning", "notice")


@dataclass(frozen=True)
class Annotation:
    """One workflow command before escaping."""

    level: str
    title: str
    lines: tuple[str, ...]
    """The message's lines (each escaped on its own; they are joined by %0A)."""
    file: str
    line: int | None = None
    column: int | None = None


def repo_path(file: str) -> str:
    """``file`` relative to the repository root (``$GITHUB_WORKSPACE``) when inside it.

    GitHub matches annotation paths against the repository, not the folder the step
    ran in; a file outside the workspace keeps its path as shown.
    """
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return file
    try:
        where = Path(file) if Path(file).is_absolute() else Path.cwd() / file
        return where.resolve().relative_to(Path(workspace).resolve()).as_posix()
    except (ValueError, OSError):
        return file


def collect(report: Report) -> list[Annotation]:
    """Every annotation of the report, each on its own ledger's file, most severe first
    (report order within a level)."""
    out: list[Annotation] = []
    for part in report.ledger_reports():
        out += _findings(part) + _links(part)
    summary = report.link_summary
    if summary is not None and not summary.checked and not offline_run(report):
        # --offline is what was asked for: nothing to say. A network outage is.
        note = summary.note or "the network is unavailable"
        out.append(Annotation("warning", "links not checked", (note,), report.ledger))
    return sorted(out, key=lambda a: LEVELS.index(a.level))


def _findings(report: Report) -> list[Annotation]:
    level_of = {Status.FAIL: "error", Status.WARN: "warning", Status.UNKNOWN: "notice"}
    out: list[Annotation] = []
    for f in report.findings:
        if f.status not in level_of:
            continue
        where = split_location(f.location, report.ledger)
        claims = f" [{', '.join(f.claims)}]" if f.claims else ""
        lines = (f.message + claims, *(f.detail.split("\n") if f.detail else ()))
        out.append(
            Annotation(level_of[f.status], f.check, lines, where.file, where.line, where.column)
        )
    return out


def _links(report: Report) -> list[Annotation]:
    summary = report.link_summary
    if summary is not None and not summary.checked:
        return []
    out: list[Annotation] = []
    for link in report.links or []:
        if link.status.value == "ok" and not link.warnings:
            continue
        what = link.status.value + (
            f" [{', '.join(w.value for w in link.warnings)}]" if link.warnings else ""
        )
        parts = [f"{link.url}: {what}" + (f" – {link.detail}" if link.detail else "")]
        if link.archive_url:
            parts.append(f"archived copy: {link.archive_url}")
        parts.append(f"cited by {', '.join(link.sources)}")
        where = split_location(link.location, report.ledger)
        level = "error" if failing_link(report, link) else "warning"
        title = f"link {link.status.value}"
        out.append(Annotation(level, title, tuple(parts), where.file, where.line, where.column))
    return out


def _command(a: Annotation) -> str:
    props = f"file={gh_property(repo_path(a.file))}"
    if a.line is not None:
        props += f",line={a.line}"
        if a.column is not None:
            props += f",col={a.column}"
    props += f",title={gh_property(a.title)}"
    return f"::{a.level} {props}::{'%0A'.join(gh_data(line) for line in a.lines)}\n"


def _log_line(a: Annotation) -> str:
    where = repo_path(a.file) + (f":{a.line}:{a.column or 1}" if a.line is not None else "")
    # Indented, and shown-escaped: a path or message can never start a command.
    return f"  {a.level}: {visible(where)}: {a.title}: {' / '.join(map(visible, a.lines))}\n"


def render(report: Report, out: TextIO) -> None:
    """Write the annotations GitHub will show, then a notice and log lines for the rest."""
    shown: list[Annotation] = []
    rest: list[Annotation] = []
    counts = dict.fromkeys(LEVELS, 0)
    every = collect(report)
    # One notice is kept for the count of the rest, when there is a rest to count.
    limits = {"error": LIMIT, "warning": LIMIT, "notice": LIMIT}
    if len(every) > sum(min(LIMIT, sum(a.level == lv for a in every)) for lv in LEVELS):
        limits["notice"] = LIMIT - 1
    for a in every:
        if counts[a.level] < limits[a.level]:
            counts[a.level] += 1
            shown.append(a)
        else:
            rest.append(a)
    for a in shown:
        out.write(_command(a))
    for part in report.ledger_reports():
        # A plain log line: which ledger was checked, and how it went, even when all is well.
        out.write(f"{visible(part.title)} · {visible(part.ledger)}: {visible(verdict(part))}\n")
    if rest:
        tally = ", ".join(
            f"{n} {lv}{'s' if n != 1 else ''}"
            for lv in LEVELS
            if (n := sum(a.level == lv for a in rest))
        )
        out.write(
            f"::notice title=more findings::{gh_data(f'{tally} more, not annotated')}"
            f"{gh_data(' (GitHub shows 10 of each kind per step): listed in this step log')}"
            f"{gh_data(' below, and in every other report of the run (--report)')}\n"
        )
        out.write("claimcheck: findings beyond GitHub's annotation limit:\n")
        for a in rest:
            out.write(_log_line(a))
