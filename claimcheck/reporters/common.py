"""What the people-facing reporters share: grouping findings into sections."""

from __future__ import annotations

from dataclasses import dataclass, field

from claimcheck.results import Finding, LinkResult, Listing, Report, Status
from claimcheck.wording import plural

SYMBOL = {Status.PASS: "✓", Status.FAIL: "✗", Status.WARN: "!", Status.UNKNOWN: "?"}
SECTION_TITLES = {
    "ledger": "Ledger",
    "anchor": "Anchoring",
    "consistency": "Consistency",
    "evidence": "Evidence",
    "coverage": "Coverage",
    "other": "Other checks",
}


@dataclass
class Section:
    """A titled group of findings, with the listing that goes with it."""

    title: str
    findings: list[Finding] = field(default_factory=list)
    listing: Listing | None = None


def family(check: str) -> str:
    """Which section a check belongs to."""
    head = check.split(".", 1)[0]
    if head in {"schema", "sources", "document"}:
        return "ledger"
    if head == "anchor":
        return "anchor"
    if head in {"consistency", "check"}:
        return "consistency"
    if head == "evidence":
        return "evidence"
    if head == "coverage":
        return "coverage"
    return "other"


def sections(report: Report) -> list[Section]:
    """Findings grouped: ledger, anchoring, then consistency by measure, then the rest."""
    by_listing = {lst.key: lst for lst in report.listings if lst.key}
    out: dict[str, Section] = {}
    order = ["ledger", "anchor"]
    for name in order:
        out[name] = Section(SECTION_TITLES[name])
    for f in report.findings:
        fam = family(f.check)
        if fam == "consistency" and report.brief:
            key = "consistency"
            if key not in out:
                out[key] = Section("Consistency")
        elif fam == "consistency":
            key = f"consistency:{f.measure or ''}"
            if key not in out:
                title = f"Consistency: {f.measure}" if f.measure else "Consistency: dates and lists"
                out[key] = Section(title, listing=by_listing.get(f.measure or ""))
        else:
            key = fam
            if key not in out:
                out[key] = Section(SECTION_TITLES[fam])
        out[key].findings.append(f)
    # Measures that have a listing but no finding still show their claims.
    for key_, lst in by_listing.items():
        if f"consistency:{key_}" not in out and not report.brief:
            out[f"consistency:{key_}"] = Section(f"Consistency: {key_}", listing=lst)
    return [s for s in out.values() if s.findings or s.listing]


def link_line(report: Report) -> tuple[Status, str]:
    """How the links fared, in one line, and the status that line deserves."""
    ls = report.link_summary
    if ls is None:
        return Status.UNKNOWN, "not checked"
    if not ls.checked:
        return Status.UNKNOWN, f"not checked ({ls.note or 'network unavailable'})"
    counts = ", ".join(f"{n} {s}" for s, n in sorted(ls.by_status.items()))
    line = f"{ls.total:,} checked: {counts}" if ls.total else "none to check"
    if ls.failing:
        return Status.FAIL, f"{line} ({ls.failing} failing)"
    skipped = ls.by_status.get("skipped", 0)
    if ls.total and skipped == ls.total:
        return Status.WARN, f"{line}: none was checked"
    problems = ls.total - ls.by_status.get("ok", 0) - skipped
    return (Status.WARN if problems or skipped else Status.PASS), line


def verdict(report: Report) -> str:
    """One line a person reads in five seconds."""
    head = {0: "OK", 1: "FAILED", 2: "ERROR", 3: "NOT CHECKED"}[int(report.exit_code)]
    parts = []
    if report.parts:
        parts.append(plural(len(report.parts), "ledger"))
    if "findings" in report.sections:
        c = report.counts()
        parts.append(f"{c['pass']} passed, {c['fail']} failed")
        if c["warn"]:
            parts[-1] += f", {plural(c['warn'], 'warning')}"
        if c["unknown"]:
            parts[-1] += f", {c['unknown']} unknown"
    if report.link_summary is not None:
        parts.append(f"links {link_line(report)[1]}")
    return f"{head}: " + " · ".join(parts) if parts else head


def link_rows(report: Report, only_problems: bool) -> list[list[str]]:
    """Rows for a link table: status, URL, HTTP, what cites it, archive, detail."""
    rows = []
    for link in report.links or []:
        if only_problems and link.status.value == "ok" and not link.warnings:
            continue
        detail = link.detail or ""
        if link.final_url and link.final_url != link.url:
            detail = f"→ {link.final_url} " + detail
        if link.warnings:
            detail = (detail + " [" + ", ".join(w.value for w in link.warnings) + "]").strip()
        rows.append(
            [
                link.status.value,
                link.url,
                str(link.http_status or ""),
                ", ".join(link.sources),
                link.archive_url or "",
                detail.strip(),
            ]
        )
    return rows


LINK_COLUMNS = ["status", "url", "http", "sources", "archive", "detail"]


def compact(columns: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Drop the columns that are empty in every row (a date-only measure has no place)."""
    keep = [i for i, _ in enumerate(columns) if any(row[i] for row in rows)] or list(
        range(len(columns))
    )
    return [columns[i] for i in keep], [[row[i] for i in keep] for row in rows]


@dataclass(frozen=True)
class Where:
    """A location split into its parts: ``file`` alone when no line is known."""

    file: str
    line: int | None = None
    column: int | None = None


def split_location(location: str | None, fallback: str) -> Where:
    """``file:line:col`` (as findings carry it) → its parts; ``fallback`` when None."""
    if not location:
        return Where(fallback)
    parts = location.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return Where(parts[0], int(parts[1]), int(parts[2]))
    return Where(location)


def failing_link(report: Report, link: LinkResult) -> bool:
    """Whether ``link`` fails the run (its status is in ``--fail-on``, and confirmed)."""
    return link.status in report.fail_on and (link.history is None or link.history.confirmed)


def offline_run(report: Report) -> bool:
    """Links were left out on purpose (``--offline``), not lost to a network outage."""
    summary = report.link_summary
    return summary is not None and not summary.checked and summary.note == "--offline"
