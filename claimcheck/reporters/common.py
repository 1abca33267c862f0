"""What the people-facing reporters share: grouping findings into sections."""

from __future__ import annotations

from dataclasses import dataclass, field

from claimcheck.results import Finding, Listing, Report, Status

SYMBOL = {Status.PASS: "✓", Status.FAIL: "✗", Status.WARN: "!", Status.UNKNOWN: "?"}
SECTION_TITLES = {
    "ledger": "Ledger",
    "anchor": "Anchoring",
    "consistency": "Consistency",
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


def verdict(report: Report) -> str:
    """One line a person reads in five seconds."""
    c = report.counts()
    parts = [f"{c['pass']} passed", f"{c['fail']} failed"]
    if c["warn"]:
        parts.append(f"{c['warn']} warning{'s' if c['warn'] != 1 else ''}")
    if c["unknown"]:
        parts.append(f"{c['unknown']} unknown")
    line = ", ".join(parts)
    if report.link_summary is not None:
        ls = report.link_summary
        if not ls.checked:
            line += f" · links not checked ({ls.note or 'network unavailable'})"
        else:
            bad = ls.failing
            line += f" · {ls.total} links, {bad} failing"
    head = {0: "OK", 1: "FAILED", 2: "ERROR", 3: "NOT CHECKED"}[int(report.exit_code)]
    return f"{head}: {line}" if report.findings or report.link_summary else head


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
        if link.history and link.history.failing_since:
            detail += (
                f" (failing since {link.history.failing_since[:10]},"
                f" {link.history.consecutive_failures} checks in a row)"
            )
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
